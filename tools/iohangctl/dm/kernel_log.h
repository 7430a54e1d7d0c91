// SPDX-License-Identifier: GPL-2.0
// The kernel log lines written since a point in time, to show why the
// kernel refused a table: device-mapper returns only -EINVAL and the
// target's explanation (ti->error) goes to the kernel log.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "sys/unique_fd.h"

namespace iohang {

// The message text of one /dev/kmsg record ("6,1234,5678,-;text"), or
// nullopt if the record is malformed.
std::optional<std::string> kmsg_record_text(std::string_view record);

// From a /dev/kmsg record's text "device-mapper: table: 253:0: iohang:
// Invalid timeout (-EINVAL)", the part after "device-mapper: table: ";
// nullopt for other lines and for other devices than `number` ("253:0").
std::optional<std::string> dm_table_error(std::string_view text, std::string_view number);

class KernelLogCursor {
public:
	// Remembers the end of the log now.  Without access to /dev/kmsg
	// (not root, dmesg_restrict) the cursor stays empty.
	KernelLogCursor();
	// The last "device-mapper: table:" reason logged since construction
	// about device `number`.
	std::optional<std::string> last_table_error(std::string_view number);

private:
	UniqueFd fd_;
};

} // namespace iohang
