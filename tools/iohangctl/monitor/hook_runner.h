// SPDX-License-Identifier: GPL-2.0
// Runs the --exec hook for each event, at most N at once, without ever
// blocking the monitor.  Hooks are bounded: each runs in its own process
// group, killed whole after the hook timeout (a hook that touches the hung
// device would otherwise hold its slot for as long as the hang lasts), and
// events beyond a full queue are dropped and counted.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <cstdint>
#include <deque>
#include <ostream>
#include <string>
#include <vector>

namespace iohang {

struct HookLimits {
	std::size_t max_running = 4;
	std::size_t max_queued = 1000;
	std::chrono::milliseconds timeout{30000};
};

class HookRunner {
public:
	using Clock = std::chrono::steady_clock;

	// command runs as /bin/sh -c command.  Failures are reported on err.
	HookRunner(std::string command, const HookLimits &limits, std::ostream &err);

	// Starts a hook with these extra environment entries, or queues it,
	// or drops it when the queue is full.
	void submit(std::vector<std::string> environment);
	// Collects finished hooks (waitpid WNOHANG on our own children only),
	// kills those past their timeout, and starts queued ones in the freed
	// slots.  Call on SIGCHLD and at least once a second.
	void reap();
	// Kills every running hook's process group and forgets the queue,
	// saying what was not run.
	void stop();

	std::size_t running() const { return running_.size(); }
	std::size_t queued() const { return queue_.size(); }
	bool idle() const { return running_.empty() && queue_.empty(); }
	const HookLimits &limits() const { return limits_; }

private:
	struct Hook {
		pid_t pid;
		Clock::time_point deadline;
	};

	void start(const std::vector<std::string> &environment);
	void report_drops();

	std::string command_;
	HookLimits limits_;
	std::ostream &err_;
	std::vector<Hook> running_;
	// Killed at their timeout but not exited yet (a process in D state
	// dies only when its I/O returns): reaped, but they hold no slot.
	std::vector<pid_t> killed_;
	std::deque<std::vector<std::string>> queue_;
	std::uint64_t dropped_ = 0;
};

} // namespace iohang
