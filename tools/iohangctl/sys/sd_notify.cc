// SPDX-License-Identifier: GPL-2.0
#include "sys/sd_notify.h"

#include <sys/socket.h>
#include <sys/un.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <string>
#include <string_view>

#include "core/errors.h"
#include "sys/unique_fd.h"

namespace iohang {

void notify_systemd_ready()
{
	const char *name = std::getenv("NOTIFY_SOCKET");
	if (!name || !*name)
		return;
	const std::string_view path(name);
	sockaddr_un address{};
	address.sun_family = AF_UNIX;
	if (path.size() >= sizeof(address.sun_path) || (path[0] != '/' && path[0] != '@'))
		throw OperationError("NOTIFY_SOCKET '" + std::string(path) +
				     "' is not a socket path");
	path.copy(address.sun_path, path.size());
	if (path[0] == '@') // the abstract namespace
		address.sun_path[0] = '\0';
	const socklen_t length =
		static_cast<socklen_t>(offsetof(sockaddr_un, sun_path) + path.size());

	UniqueFd fd(::socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0));
	constexpr std::string_view kReady = "READY=1";
	if (!fd.valid() || ::sendto(fd.get(), kReady.data(), kReady.size(), MSG_NOSIGNAL,
				    reinterpret_cast<sockaddr *>(&address), length) < 0)
		throw OperationError("cannot notify systemd at " + std::string(path) + ": " +
				     std::strerror(errno));
}

} // namespace iohang
