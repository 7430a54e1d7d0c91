// SPDX-License-Identifier: GPL-2.0
// Shared by list, status and metrics.
#pragma once

#include <ostream>
#include <vector>

#include "core/report.h"
#include "dm/device_mapper.h"

namespace iohang {

// Every device whose table is a single iohang target, in list order.
std::vector<DeviceReport> report_all_iohang_devices(DeviceMapper &dm);

// Notes on err, for each device, what a newer module printed that this
// tool did not understand.
void warn_not_understood(const std::vector<DeviceReport> &reports, std::ostream &err);

// Also warns as warn_not_understood does.
void print_reports(const std::vector<DeviceReport> &reports, bool json, std::ostream &out,
		   std::ostream &err);

} // namespace iohang
