// SPDX-License-Identifier: GPL-2.0
// One iohang device as `list` and `status` show it: as rows of a text table
// or as JSON (schema in iohangctl(8), section JSON OUTPUT).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/status.h"
#include "dm/device_mapper.h"
#include "core/table.h"

namespace iohang {

struct DeviceReport {
	std::string name;
	std::string device;       // readable backing device, e.g. /dev/sdb
	std::uint64_t sectors = 0; // length of the mapping
	IohangParams params;      // params.device is "major:minor"
	IohangStatus status;
	DeviceInfo info;
};

// What this tool could not interpret in the device's table and status,
// e.g. {"state 'draining'", "table options 'drain_ms 5'"}.
std::vector<std::string> not_understood(const DeviceReport &report);

// "retry_on=ioerr retry_all max_held=8", or "-" when all default.
std::string describe_options(const IohangOptions &options);

// Aligned columns with a header line; the header alone when empty.
std::string format_report_table(const std::vector<DeviceReport> &reports);

// {"version":1,"devices":[...]} on one line.
std::string format_report_json(const std::vector<DeviceReport> &reports);

} // namespace iohang
