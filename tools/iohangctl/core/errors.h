// SPDX-License-Identifier: GPL-2.0
// The two kinds of failure iohangctl reports.  run() has the only handler:
// UsageError exits 2 (the user asked for something malformed), TimedOut
// 124, anything else exits 1 (a well-formed request failed).
#pragma once

#include <stdexcept>
#include <string>

namespace iohang {

// Input the tool cannot accept; the message says what was expected.
struct UsageError : std::runtime_error {
	using std::runtime_error::runtime_error;
};

// A well-formed request that failed (kernel refused, device missing, ...).
struct OperationError : std::runtime_error {
	using std::runtime_error::runtime_error;
};

// What was waited for did not happen in time; exit status 124, as
// timeout(1) has it.
struct TimedOut : OperationError {
	using OperationError::OperationError;
};

} // namespace iohang
