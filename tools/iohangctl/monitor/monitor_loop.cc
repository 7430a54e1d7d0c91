// SPDX-License-Identifier: GPL-2.0
#include "monitor/monitor_loop.h"

#include <poll.h>
#include <signal.h>
#include <syslog.h>

#include <cerrno>
#include <chrono>
#include <cstring>

#include "core/errors.h"
#include "monitor/hook_runner.h"
#include "sys/sd_notify.h"
#include "sys/signal_fd.h"

namespace iohang {
namespace {

using Clock = std::chrono::steady_clock;

constexpr int kHookReapIntervalMs = 1000;

class SyslogSink {
public:
	SyslogSink() { openlog("iohangctl", LOG_PID, LOG_DAEMON); }
	~SyslogSink() { closelog(); }
	SyslogSink(const SyslogSink &) = delete;
	SyslogSink &operator=(const SyslogSink &) = delete;

	void send(const IohangEvent &event, const std::string &line)
	{
		// A hang or failed I/O wants attention; a recovery is news.
		const int priority = event.action == "recover" ? LOG_NOTICE : LOG_WARNING;
		syslog(priority, "%s", line.c_str());
	}
};

// A parent may hand SIGCHLD down ignored; children would then reap
// themselves and hook exit statuses could not be reported.  Default
// disposition for the monitor's lifetime.
class DefaultSigchld {
public:
	DefaultSigchld()
	{
		struct sigaction dfl {};
		dfl.sa_handler = SIG_DFL;
		sigemptyset(&dfl.sa_mask);
		sigaction(SIGCHLD, &dfl, &old_);
	}
	~DefaultSigchld() { sigaction(SIGCHLD, &old_, nullptr); }
	DefaultSigchld(const DefaultSigchld &) = delete;
	DefaultSigchld &operator=(const DefaultSigchld &) = delete;

private:
	struct sigaction old_ {};
};

int poll_timeout_ms(const std::optional<Clock::time_point> &deadline)
{
	if (!deadline)
		return -1;
	const auto left = std::chrono::ceil<std::chrono::milliseconds>(*deadline - Clock::now());
	return left.count() <= 0 ? 0 : static_cast<int>(std::min<long long>(left.count(), 1 << 30));
}

} // namespace

void run_monitor(const MonitorSettings &settings, EventSource &source,
		 const StateReader &read_states, std::ostream &out, std::ostream &err)
{
	DefaultSigchld default_sigchld;
	SignalFd signals({SIGINT, SIGTERM, SIGCHLD});
	std::optional<HookRunner> hooks;
	if (!settings.exec.empty())
		hooks.emplace(settings.exec, settings.hooks, err);
	std::optional<SyslogSink> syslog_sink;
	if (settings.syslog)
		syslog_sink.emplace();

	std::optional<Clock::time_point> deadline;
	if (settings.duration_ms)
		deadline = Clock::now() + std::chrono::milliseconds(*settings.duration_ms);

	std::uint64_t relayed = 0;
	auto relay = [&](const IohangEvent &event) {
		const std::string text = format_text(event);
		if (!settings.quiet)
			out << (settings.json ? format_json(event) : text) << std::endl;
		if (syslog_sink)
			syslog_sink->send(event, text);
		if (hooks)
			hooks->submit(hook_environment(event));
	};
	// What was lost cannot be known, so every device's state is read
	// again: whoever follows the events sees the truth after the gap.
	auto report_overflow = [&] {
		const char *what = "uevents were lost: the receive buffer overflowed";
		err << "iohangctl: monitor: " << what << std::endl;
		if (syslog_sink)
			syslog(LOG_ERR, "%s", what);
		IohangEvent lost;
		lost.time = std::chrono::system_clock::now();
		lost.action = kLostAction;
		relay(lost);
		try {
			for (const auto &state : read_states())
				if (event_matches(state, settings.names))
					relay(state);
		} catch (const std::exception &e) {
			err << "iohangctl: monitor: cannot read the devices' state again: "
			    << e.what() << std::endl;
		}
	};
	// true: stop requested
	auto handle_signals = [&] {
		bool stop = false;
		for (int sig : signals.read_pending()) {
			if (sig == SIGCHLD) {
				if (hooks)
					hooks->reap();
			} else {
				stop = true;
			}
		}
		return stop;
	};

	// Uevents of any block disk may mean an iohang device came, went or
	// changed state; whatever the batch held, the file is rewritten.
	auto refresh_metrics_or_warn = [&] {
		if (!settings.refresh_metrics)
			return;
		try {
			settings.refresh_metrics();
		} catch (const std::exception &e) {
			err << "iohangctl: monitor: cannot write the metrics: " << e.what() << std::endl;
		}
	};

	// The file is there before "ready", so whoever waits for that line
	// may read it at once.
	if (settings.refresh_metrics)
		settings.refresh_metrics();
	// Subscribed and with its signals in hand: whoever started the
	// monitor may now cause the events it waits for.
	err << "iohangctl: monitor: ready" << std::endl;
	notify_systemd_ready();

	bool stop = false;
	while (!stop) {
		int timeout = poll_timeout_ms(deadline);
		if (deadline && timeout == 0)
			break;
		// SIGCHLD drives reaping; the periodic look is a safety net for
		// a parent that left SIGCHLD ignored (children then reap
		// themselves and the queue must still move on).
		if (hooks && !hooks->idle() && (timeout < 0 || timeout > kHookReapIntervalMs))
			timeout = kHookReapIntervalMs;
		pollfd fds[2] = {{signals.fd(), POLLIN, 0}, {source.fd(), POLLIN, 0}};
		const int n = ::poll(fds, 2, timeout);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			throw OperationError(std::string("poll: ") + std::strerror(errno));
		}
		if (fds[0].revents & POLLIN)
			stop = handle_signals();
		// POLLERR is how an overrun netlink socket says the next read
		// fails with ENOBUFS; receive() notes that and reads on.
		if (fds[1].revents & (POLLHUP | POLLNVAL))
			throw OperationError("the uevent source failed");
		if (!stop && (fds[1].revents & (POLLIN | POLLERR))) {
			const auto now = std::chrono::system_clock::now();
			for (const auto &properties : source.receive()) {
				const auto event = iohang_event_from(properties, now);
				if (!event || !event_matches(*event, settings.names))
					continue;
				relay(*event);
				++relayed;
				if (settings.count && relayed >= *settings.count) {
					stop = true;
					break;
				}
			}
			if (source.take_overflow())
				report_overflow();
			refresh_metrics_or_warn();
		}
		if (hooks)
			hooks->reap();
	}

	// Events already relayed get their hooks, even on the way out, but
	// a stop must not wait for a hook stuck on the hung device.
	if (!hooks)
		return;
	const auto give_up = Clock::now() + hooks->limits().timeout;
	for (hooks->reap(); !hooks->idle() && Clock::now() < give_up; hooks->reap()) {
		pollfd fd = {signals.fd(), POLLIN, 0};
		const int wait_ms = std::min(kHookReapIntervalMs, poll_timeout_ms(give_up));
		if (::poll(&fd, 1, wait_ms) < 0 && errno != EINTR)
			break;
		if (handle_signals())
			break;
	}
	hooks->stop();
}

} // namespace iohang
