// SPDX-License-Identifier: GPL-2.0
#include "udev/libudev_source.h"

#include <libudev.h>

#include <cerrno>
#include <cstring>
#include <utility>

#include "core/errors.h"

namespace iohang {
namespace {

// unique_ptr aliases calling the matching *_unref (after ceph's krbd.cc).
struct UdevUnref {
	void operator()(udev *u) const { udev_unref(u); }
	void operator()(udev_monitor *m) const { udev_monitor_unref(m); }
	void operator()(udev_device *d) const { udev_device_unref(d); }
};
using UdevPtr = std::unique_ptr<udev, UdevUnref>;
using UdevMonitorPtr = std::unique_ptr<udev_monitor, UdevUnref>;
using UdevDevicePtr = std::unique_ptr<udev_device, UdevUnref>;

class LibudevSource final : public EventSource {
public:
	explicit LibudevSource(const EventSourceOptions &options)
	{
		udev_.reset(udev_new());
		if (!udev_)
			throw OperationError(std::string("udev_new failed: ") + std::strerror(errno));
		const char *group = options.origin == EventOrigin::kKernel ? "kernel" : "udev";
		monitor_.reset(udev_monitor_new_from_netlink(udev_.get(), group));
		if (!monitor_)
			throw OperationError(std::string("cannot listen to ") + group +
					     " uevents: " + std::strerror(errno));
		// dm devices are whole disks; partitions and other subsystems
		// never carry DM_TARGET=iohang.
		if (udev_monitor_filter_add_match_subsystem_devtype(monitor_.get(), "block",
								    "disk") < 0)
			throw OperationError("cannot set the uevent filter");
		// Best effort: without CAP_NET_ADMIN the kernel may cap the
		// size; overflow is still detected and reported.
		udev_monitor_set_receive_buffer_size(monitor_.get(), options.receive_buffer_bytes);
		if (udev_monitor_enable_receiving(monitor_.get()) < 0)
			throw OperationError(std::string("cannot receive uevents: ") +
					     std::strerror(errno));
	}

	int fd() const override { return udev_monitor_get_fd(monitor_.get()); }

	std::vector<UeventProperties> receive() override
	{
		std::vector<UeventProperties> events;
		for (;;) {
			errno = 0;
			UdevDevicePtr device(udev_monitor_receive_device(monitor_.get()));
			if (!device) {
				if (errno == ENOBUFS)
					overflow_ = true;
				// EAGAIN: drained.  Anything else: the next poll
				// tells again if data is really there.
				if (errno == ENOBUFS || errno == EINTR)
					continue;
				break;
			}
			UeventProperties properties;
			for (udev_list_entry *e = udev_device_get_properties_list_entry(device.get());
			     e; e = udev_list_entry_get_next(e)) {
				const char *value = udev_list_entry_get_value(e);
				properties[udev_list_entry_get_name(e)] = value ? value : "";
			}
			events.push_back(std::move(properties));
		}
		return events;
	}

	bool take_overflow() override { return std::exchange(overflow_, false); }

private:
	UdevPtr udev_;
	UdevMonitorPtr monitor_;
	bool overflow_ = false;
};

} // namespace

std::unique_ptr<EventSource> open_libudev_source(const EventSourceOptions &options)
{
	return std::make_unique<LibudevSource>(options);
}

} // namespace iohang
