// SPDX-License-Identifier: GPL-2.0
// The command line, start to finish: parse, dispatch, and the single place
// where errors become messages and exit statuses.
#pragma once

#include <string>
#include <vector>

#include "cli/action.h"

namespace iohang {

constexpr int kExitOk = 0;
constexpr int kExitFailure = 1; // the operation failed
constexpr int kExitUsage = 2;   // the command line was wrong
constexpr int kExitTimeout = 124; // wait: the state was not reached in time

// arguments: argv without argv[0].  Returns the exit status.
int run(const std::vector<std::string> &arguments, Context &context);

} // namespace iohang
