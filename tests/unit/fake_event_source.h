// SPDX-License-Identifier: GPL-2.0
// An EventSource fed by the test, and iohang uevents to feed it.
#pragma once

#include <unistd.h>

#include <cstdlib>
#include <deque>
#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "sys/unique_fd.h"
#include "udev/event_source.h"

namespace iohang::testing {

// Readable through a pipe while events are queued.
class FakeEventSource : public EventSource {
public:
	FakeEventSource()
	{
		int fds[2];
		if (::pipe(fds) != 0)
			std::abort();
		read_end_.reset(fds[0]);
		write_end_.reset(fds[1]);
	}
	void push(UeventProperties event)
	{
		batches_.push_back({std::move(event)});
		[[maybe_unused]] auto n = ::write(write_end_.get(), "x", 1);
	}
	int fd() const override { return read_end_.get(); }
	std::vector<UeventProperties> receive() override
	{
		if (on_receive)
			on_receive();
		char byte;
		std::vector<UeventProperties> out;
		while (!batches_.empty()) {
			[[maybe_unused]] auto n = ::read(read_end_.get(), &byte, 1);
			for (auto &e : batches_.front())
				out.push_back(std::move(e));
			batches_.pop_front();
		}
		return out;
	}
	bool take_overflow() override { return std::exchange(overflow, false); }

	bool overflow = false;
	std::function<void()> on_receive;

private:
	UniqueFd read_end_, write_end_;
	std::deque<std::vector<UeventProperties>> batches_;
};

inline UeventProperties iohang_uevent(const std::string &name, const std::string &action,
				      const std::string &held = "1")
{
	return {{"ACTION", "change"},         {"DEVNAME", "dm-0"},
		{"DM_TARGET", "iohang"},      {"DM_ACTION", "IOHANG_" + action},
		{"DM_NAME", name},            {"DM_UUID", ""},
		{"DM_IOHANG_HELD", held}};
}

} // namespace iohang::testing
