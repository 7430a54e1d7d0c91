// SPDX-License-Identifier: GPL-2.0
// Where `monitor` gets uevents from: an interface so that tests can feed
// events without a kernel.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "core/uevent.h"

namespace iohang {

enum class EventOrigin {
	kKernel, // the kernel's netlink group: works without udevd
	kUdev,   // events after udevd processed them
};

class EventSource {
public:
	virtual ~EventSource() = default;
	// A descriptor that polls readable when receive() has something.
	virtual int fd() const = 0;
	// Everything that can be read now without blocking.
	virtual std::vector<UeventProperties> receive() = 0;
	// True once after the kernel dropped events because the receive
	// buffer was full.  Lost events are reported, never passed over
	// silently.
	virtual bool take_overflow() = 0;
};

struct EventSourceOptions {
	EventOrigin origin = EventOrigin::kKernel;
	// Asked of the kernel, so that a burst of hang events on many devices
	// fits while the monitor is busy.
	int receive_buffer_bytes = 128 * 1024 * 1024;
};

using EventSourceFactory =
	std::function<std::unique_ptr<EventSource>(const EventSourceOptions &)>;

} // namespace iohang
