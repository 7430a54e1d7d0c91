// SPDX-License-Identifier: GPL-2.0
// iohang devices in the Prometheus text exposition format (version 0.0.4),
// as `iohangctl metrics` prints it and node_exporter's textfile collector
// reads it.  The metrics are described in docs/observability.md.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/report.h"

namespace iohang {

// The file name node_exporter's textfile collector picks up (*.prom).
constexpr const char *kMetricsFileName = "iohang.prom";

// value with backslash, double quote and newline escaped, for between the
// double quotes of a label value.
std::string escape_label_value(std::string_view value);

// Milliseconds as exact decimal seconds: 2900 -> "2.9", 5000 -> "5",
// 1 -> "0.001".  Prometheus wants base units; going through a double would
// print 0.0030000000000000001 for some values.
std::string seconds_from_ms(std::uint64_t ms);

// Every metric family with its HELP and TYPE lines, each followed by one
// sample per device (iohang_state: one per state), devices in name order
// so that the output only changes when a value does.  The families are
// there, without samples, when there are no devices.
std::string format_metrics(std::vector<DeviceReport> reports);

} // namespace iohang
