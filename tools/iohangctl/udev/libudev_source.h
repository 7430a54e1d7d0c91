// SPDX-License-Identifier: GPL-2.0
// EventSource on a libudev netlink monitor, filtered to block disks.
#pragma once

#include <memory>

#include "udev/event_source.h"

namespace iohang {

// Receive buffer asked for, so that a burst of hang events on many
// devices fits while the monitor is busy.
constexpr int kUeventReceiveBufferBytes = 128 * 1024 * 1024;

std::unique_ptr<EventSource> open_libudev_source(EventOrigin origin);

} // namespace iohang
