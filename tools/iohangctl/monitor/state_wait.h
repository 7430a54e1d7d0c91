// SPDX-License-Identifier: GPL-2.0
// The loop of `wait`: read a device's state, and again after each of its
// uevents, until it is the one wanted.  The caller subscribes (creates the
// source) before calling, so no transition falls between the first read
// and the first event.
#pragma once

#include <chrono>
#include <functional>
#include <optional>
#include <string>

#include "core/status.h"
#include "udev/event_source.h"

namespace iohang {

// Returns the last state read: `wanted`, or another one at the deadline.
// read_state throws OperationError (device gone, ...), which passes through.
HangState wait_for_state(EventSource &source, const std::string &name, HangState wanted,
			 const std::function<HangState()> &read_state,
			 std::optional<std::chrono::steady_clock::time_point> deadline);

} // namespace iohang
