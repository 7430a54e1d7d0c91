// SPDX-License-Identifier: GPL-2.0
// Shared by metrics --textfile and monitor --metrics-textfile.
#pragma once

#include <string>

#include "cli/action.h"

namespace iohang {

// The directory named by --option, or UsageError when it is empty.
std::string textfile_directory(const po::variables_map &arguments, const char *option);

// Replaces dir/iohang.prom with the metrics of every iohang device, as
// node_exporter's textfile collector wants it: whole or not at all.
// Throws OperationError, e.g. when dir does not exist.
void write_metrics_textfile(DeviceMapper &dm, const std::string &dir);

} // namespace iohang
