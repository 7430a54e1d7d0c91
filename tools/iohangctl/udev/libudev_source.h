// SPDX-License-Identifier: GPL-2.0
// EventSource on a libudev netlink monitor, filtered to block disks.
#pragma once

#include <memory>

#include "udev/event_source.h"

namespace iohang {

std::unique_ptr<EventSource> open_libudev_source(const EventSourceOptions &options);

} // namespace iohang
