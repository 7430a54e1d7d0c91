// SPDX-License-Identifier: GPL-2.0
#include "dm/failure_reason.h"

#include <cerrno>
#include <cstring>

namespace iohang {
namespace {

bool ends_with(const std::string &text, const std::string &tail)
{
	return text.size() >= tail.size() &&
	       text.compare(text.size() - tail.size(), tail.size(), tail) == 0;
}

// The errno whose strerror() text ends the log line, or 0.
int errno_in(const std::string &line)
{
	for (int err : {EBUSY, EINVAL, ENXIO, ENODEV, EEXIST, ENOENT, EACCES, EPERM, ENOMEM,
			ENOSPC, EIO, ENOTTY})
		if (ends_with(line, std::string(": ") + std::strerror(err)))
			return err;
	return 0;
}

} // namespace

std::string failure_reason(int err, const std::string &last_log_line,
			   const std::optional<std::string> &kernel_reason)
{
	if (err == 0)
		err = errno_in(last_log_line);
	std::string reason;
	switch (err) {
	case 0:
		reason = last_log_line.empty() ? std::string("unknown error") : last_log_line;
		break;
	case EBUSY:
		reason = "device busy";
		break;
	case ENXIO:
	case ENODEV:
		reason = "no such device";
		break;
	default:
		reason = std::strerror(err);
	}
	if (kernel_reason)
		return reason + " (kernel: " + *kernel_reason + ")";
	// A refused table is explained only in the kernel log.
	if (err == EINVAL)
		return reason + " (see dmesg for the target's reason)";
	return reason;
}

} // namespace iohang
