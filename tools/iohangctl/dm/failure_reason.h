// SPDX-License-Identifier: GPL-2.0
// Turning what libdevmapper reports about a failed ioctl into one readable
// reason.  Pure logic, so it is unit-tested.
#pragma once

#include <optional>
#include <string>

namespace iohang {

// err: dm_task_get_errno() (0 when libdevmapper did not record one, as
// for a call it runs as several ioctls of its own).
// last_log_line: libdevmapper's last error message, used to recover the
// errno ("...: Device or resource busy") or as the reason itself.
// kernel_reason: the target's explanation from the kernel log, if any.
std::string failure_reason(int err, const std::string &last_log_line,
			   const std::optional<std::string> &kernel_reason);

} // namespace iohang
