// SPDX-License-Identifier: GPL-2.0
// Signals as a pollable descriptor: blocks them for the object's lifetime
// and hands them out through signalfd.
#pragma once

#include <signal.h>

#include <initializer_list>
#include <vector>

#include "sys/unique_fd.h"

namespace iohang {

class SignalFd {
public:
	explicit SignalFd(std::initializer_list<int> signals);
	// Consumes what is still pending (so that restoring the mask does not
	// deliver a late SIGINT with its default action), then restores the
	// previous mask.
	~SignalFd();
	SignalFd(const SignalFd &) = delete;
	SignalFd &operator=(const SignalFd &) = delete;

	int fd() const { return fd_.get(); }
	// Signals pending now, without blocking.
	std::vector<int> read_pending();

private:
	sigset_t old_mask_{};
	UniqueFd fd_;
};

} // namespace iohang
