// SPDX-License-Identifier: GPL-2.0
// Runs the --exec hook for each event, at most N at once, without ever
// blocking the monitor and without dropping an event: when all slots are
// busy, the event waits in a queue until a hook finishes.
#pragma once

#include <sys/types.h>

#include <deque>
#include <ostream>
#include <string>
#include <vector>

namespace iohang {

class HookRunner {
public:
	// command runs as /bin/sh -c command.  Failures are reported on err.
	HookRunner(std::string command, std::size_t max_running, std::ostream &err);

	// Starts a hook with these extra environment entries, or queues it.
	void submit(std::vector<std::string> environment);
	// Collects finished hooks (waitpid WNOHANG on our own children only)
	// and starts queued ones in the freed slots.  Call on SIGCHLD.
	void reap();

	std::size_t running() const { return running_.size(); }
	std::size_t queued() const { return queue_.size(); }
	bool idle() const { return running_.empty() && queue_.empty(); }

private:
	void start(const std::vector<std::string> &environment);

	std::string command_;
	std::size_t max_running_;
	std::ostream &err_;
	std::vector<pid_t> running_;
	std::deque<std::vector<std::string>> queue_;
};

} // namespace iohang
