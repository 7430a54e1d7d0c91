// SPDX-License-Identifier: GPL-2.0
// Shared by list and status.
#pragma once

#include <ostream>
#include <vector>

#include "core/report.h"
#include "dm/device_mapper.h"

namespace iohang {

// Every device whose table is a single iohang target, in list order.
std::vector<DeviceReport> report_all_iohang_devices(DeviceMapper &dm);

// Also notes on err what a newer module printed that this tool did not
// understand.
void print_reports(const std::vector<DeviceReport> &reports, bool json, std::ostream &out,
		   std::ostream &err);

} // namespace iohang
