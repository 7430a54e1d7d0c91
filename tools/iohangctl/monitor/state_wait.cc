// SPDX-License-Identifier: GPL-2.0
#include "monitor/state_wait.h"

#include <poll.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "core/errors.h"
#include "core/uevent.h"

namespace iohang {
namespace {

using Clock = std::chrono::steady_clock;

int milliseconds_until(const std::optional<Clock::time_point> &deadline)
{
	if (!deadline)
		return -1;
	const auto left = std::chrono::ceil<std::chrono::milliseconds>(*deadline - Clock::now());
	return static_cast<int>(std::clamp<long long>(left.count(), 0, 1 << 30));
}

// True when one of the events concerns `name`, or some were lost.
bool news_of(EventSource &source, const std::string &name)
{
	bool news = false;
	const auto now = std::chrono::system_clock::now();
	for (const auto &properties : source.receive()) {
		const auto event = iohang_event_from(properties, now);
		if (event && event->name == name)
			news = true;
	}
	return source.take_overflow() || news;
}

} // namespace

HangState wait_for_state(EventSource &source, const std::string &name, HangState wanted,
			 const std::function<HangState()> &read_state,
			 std::optional<Clock::time_point> deadline)
{
	HangState state = read_state();
	while (state != wanted) {
		const int timeout = milliseconds_until(deadline);
		if (timeout == 0)
			break;
		pollfd fd = {source.fd(), POLLIN, 0};
		const int n = ::poll(&fd, 1, timeout);
		if (n < 0 && errno != EINTR)
			throw OperationError(std::string("poll: ") + std::strerror(errno));
		if (fd.revents & (POLLHUP | POLLNVAL))
			throw OperationError("the uevent source failed");
		if ((fd.revents & (POLLIN | POLLERR)) && news_of(source, name))
			state = read_state();
	}
	return state;
}

} // namespace iohang
