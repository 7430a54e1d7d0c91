// SPDX-License-Identifier: GPL-2.0
#include "monitor/hook_runner.h"

#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cstring>
#include <map>
#include <memory>

extern char **environ;

namespace iohang {
namespace {

// The monitor's environment with the event's entries replacing any of the
// same name (a stale IOHANG_HELD from the parent must not leak through).
std::vector<std::string> merged_environment(const std::vector<std::string> &extra)
{
	std::map<std::string, std::string> by_name;
	std::vector<std::string> order;
	auto put = [&](const std::string &entry) {
		const std::string name = entry.substr(0, entry.find('='));
		if (by_name.emplace(name, entry).second)
			order.push_back(name);
		else
			by_name[name] = entry;
	};
	for (char **e = environ; e && *e; ++e)
		put(*e);
	for (const auto &entry : extra)
		put(entry);
	std::vector<std::string> out;
	for (const auto &name : order)
		out.push_back(by_name[name]);
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

HookRunner::HookRunner(std::string command, std::size_t max_running, std::ostream &err)
	: command_(std::move(command)), max_running_(std::max<std::size_t>(1, max_running)),
	  err_(err)
{
}

void HookRunner::submit(std::vector<std::string> environment)
{
	if (running_.size() < max_running_ && queue_.empty())
		start(environment);
	else
		queue_.push_back(std::move(environment));
}

void HookRunner::start(const std::vector<std::string> &environment)
{
	const std::vector<std::string> env = merged_environment(environment);
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
	posix_spawnattr_setflags(&attr.attr, POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);

	// stdout carries only event lines (a test or script reads it through
	// a pipe), so what a hook prints goes to stderr.
	SpawnActions actions;
	posix_spawn_file_actions_adddup2(&actions.actions, STDERR_FILENO, STDOUT_FILENO);

	pid_t pid = 0;
	const int rc = posix_spawn(&pid, "/bin/sh", &actions.actions, &attr.attr, argv, envp.data());
	if (rc != 0) {
		err_ << "iohangctl: monitor: cannot run hook: " << std::strerror(rc) << std::endl;
		return;
	}
	running_.push_back(pid);
}

void HookRunner::reap()
{
	for (auto it = running_.begin(); it != running_.end();) {
		int status = 0;
		const pid_t done = ::waitpid(*it, &status, WNOHANG);
		if (done == 0) {
			++it;
			continue;
		}
		if (done > 0) {
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
	while (running_.size() < max_running_ && !queue_.empty()) {
		std::vector<std::string> next = std::move(queue_.front());
		queue_.pop_front();
		start(next);
	}
}

} // namespace iohang
