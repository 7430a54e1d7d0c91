// SPDX-License-Identifier: GPL-2.0
#include "monitor/hook_runner.h"

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <map>
#include <memory>

#include "core/duration.h"

extern char **environ;

namespace iohang {
namespace {

// The monitor's environment without any IOHANG_* variable, then the
// event's: a stale IOHANG_DURATION_MS inherited by the monitor must not
// look like part of an event that has none.
std::vector<std::string> hook_environment_of(const std::vector<std::string> &event)
{
	std::vector<std::string> out;
	for (char **e = environ; e && *e; ++e)
		if (std::strncmp(*e, "IOHANG_", 7) != 0)
			out.emplace_back(*e);
	out.insert(out.end(), event.begin(), event.end());
	return out;
}

struct SpawnAttr {
	posix_spawnattr_t attr;
	SpawnAttr() { posix_spawnattr_init(&attr); }
	~SpawnAttr() { posix_spawnattr_destroy(&attr); }
};

struct SpawnActions {
	posix_spawn_file_actions_t actions;
	SpawnActions() { posix_spawn_file_actions_init(&actions); }
	~SpawnActions() { posix_spawn_file_actions_destroy(&actions); }
};

} // namespace

HookRunner::HookRunner(std::string command, const HookLimits &limits, std::ostream &err)
	: command_(std::move(command)), limits_(limits), err_(err)
{
	limits_.max_running = std::max<std::size_t>(1, limits_.max_running);
}

void HookRunner::submit(std::vector<std::string> environment)
{
	if (running_.size() < limits_.max_running && queue_.empty())
		start(environment);
	else if (queue_.size() < limits_.max_queued)
		queue_.push_back(std::move(environment));
	else
		++dropped_;
}

void HookRunner::report_drops()
{
	if (!dropped_)
		return;
	err_ << "iohangctl: monitor: " << dropped_ << " hook(s) dropped: the queue of "
	     << limits_.max_queued << " was full" << std::endl;
	dropped_ = 0;
}

void HookRunner::start(const std::vector<std::string> &environment)
{
	const std::vector<std::string> env = hook_environment_of(environment);
	std::vector<char *> envp;
	for (const auto &entry : env)
		envp.push_back(const_cast<char *>(entry.c_str()));
	envp.push_back(nullptr);
	std::string sh = "/bin/sh", dash_c = "-c", command = command_;
	char *argv[] = {sh.data(), dash_c.data(), command.data(), nullptr};

	// The monitor blocks SIGINT, SIGTERM and SIGCHLD for its signalfd; a
	// hook must start with a clean mask and default handlers.
	SpawnAttr attr;
	sigset_t empty, defaults;
	sigemptyset(&empty);
	sigemptyset(&defaults);
	for (int sig : {SIGINT, SIGTERM, SIGCHLD, SIGPIPE})
		sigaddset(&defaults, sig);
	posix_spawnattr_setsigmask(&attr.attr, &empty);
	posix_spawnattr_setsigdefault(&attr.attr, &defaults);
	// Its own process group, so that the timeout kills what it started.
	posix_spawnattr_setpgroup(&attr.attr, 0);
	posix_spawnattr_setflags(&attr.attr,
				 POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETPGROUP);

	// stdout carries only event lines (a test or script reads it through
	// a pipe), so what a hook prints goes to stderr.  stdin is not the
	// hook's to read.
	SpawnActions actions;
	posix_spawn_file_actions_addopen(&actions.actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
	posix_spawn_file_actions_adddup2(&actions.actions, STDERR_FILENO, STDOUT_FILENO);

	pid_t pid = 0;
	const int rc = posix_spawn(&pid, "/bin/sh", &actions.actions, &attr.attr, argv, envp.data());
	if (rc != 0) {
		err_ << "iohangctl: monitor: cannot run hook: " << std::strerror(rc) << std::endl;
		return;
	}
	running_.push_back({pid, Clock::now() + limits_.timeout});
}

void HookRunner::reap()
{
	const auto now = Clock::now();
	for (auto it = running_.begin(); it != running_.end();) {
		int status = 0;
		const pid_t done = ::waitpid(it->pid, &status, WNOHANG);
		if (done == 0 && now < it->deadline) {
			++it;
			continue;
		}
		if (done == 0) {
			::kill(-it->pid, SIGKILL);
			err_ << "iohangctl: monitor: hook ran longer than "
			     << format_duration_ms(static_cast<std::uint64_t>(limits_.timeout.count()))
			     << ": killed" << std::endl;
			killed_.push_back(it->pid);
		} else if (done > 0) {
			if (WIFEXITED(status) && WEXITSTATUS(status) != 0)
				err_ << "iohangctl: monitor: hook exited with status "
				     << WEXITSTATUS(status) << std::endl;
			else if (WIFSIGNALED(status))
				err_ << "iohangctl: monitor: hook killed by signal "
				     << WTERMSIG(status) << std::endl;
		}
		// done < 0 (ECHILD): someone else reaped it; the slot is free.
		it = running_.erase(it);
	}
	killed_.erase(std::remove_if(killed_.begin(), killed_.end(),
				     [](pid_t pid) { return ::waitpid(pid, nullptr, WNOHANG) != 0; }),
		      killed_.end());
	report_drops();
	while (running_.size() < limits_.max_running && !queue_.empty()) {
		std::vector<std::string> next = std::move(queue_.front());
		queue_.pop_front();
		start(next);
	}
}

void HookRunner::stop()
{
	report_drops();
	if (idle())
		return;
	err_ << "iohangctl: monitor: stopping; " << running_.size() << " hook(s) killed, "
	     << queue_.size() << " queued hook(s) not run" << std::endl;
	for (const Hook &hook : running_) {
		::kill(-hook.pid, SIGKILL);
		killed_.push_back(hook.pid);
	}
	running_.clear();
	queue_.clear();
}

} // namespace iohang
