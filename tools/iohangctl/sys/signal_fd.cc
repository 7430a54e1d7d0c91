// SPDX-License-Identifier: GPL-2.0
#include "sys/signal_fd.h"

#include <sys/signalfd.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string>

#include "core/errors.h"

namespace iohang {

SignalFd::SignalFd(std::initializer_list<int> signals)
{
	sigset_t mask;
	sigemptyset(&mask);
	for (int sig : signals)
		sigaddset(&mask, sig);
	// iohangctl is single-threaded, so the process mask is the thread's.
	if (sigprocmask(SIG_BLOCK, &mask, &old_mask_) != 0)
		throw OperationError(std::string("sigprocmask: ") + std::strerror(errno));
	fd_.reset(signalfd(-1, &mask, SFD_NONBLOCK | SFD_CLOEXEC));
	if (!fd_.valid()) {
		const int err = errno;
		sigprocmask(SIG_SETMASK, &old_mask_, nullptr);
		throw OperationError(std::string("signalfd: ") + std::strerror(err));
	}
}

SignalFd::~SignalFd()
{
	read_pending();
	fd_.reset();
	sigprocmask(SIG_SETMASK, &old_mask_, nullptr);
}

std::vector<int> SignalFd::read_pending()
{
	std::vector<int> out;
	signalfd_siginfo info;
	for (;;) {
		const ssize_t n = ::read(fd_.get(), &info, sizeof(info));
		if (n == static_cast<ssize_t>(sizeof(info))) {
			out.push_back(static_cast<int>(info.ssi_signo));
			continue;
		}
		if (n < 0 && errno == EINTR)
			continue;
		return out;
	}
}

} // namespace iohang
