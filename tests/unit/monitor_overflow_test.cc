// SPDX-License-Identifier: GPL-2.0
// `monitor` on a real netlink socket whose receive buffer overran: the
// kernel reports POLLIN|POLLERR and the next read ENOBUFS, exactly as on a
// uevent socket during a burst.  NETLINK_USERSOCK lets an unprivileged
// process broadcast to a group it listens to, so no root is needed.
#include <gtest/gtest.h>

#include <linux/netlink.h>
#include <sys/socket.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>

#include "cli_harness.h"
#include "sys/unique_fd.h"

namespace iohang::testing {
namespace {

constexpr unsigned kGroup = 1;

UniqueFd netlink_socket(unsigned groups)
{
	UniqueFd fd(::socket(AF_NETLINK, SOCK_RAW | SOCK_NONBLOCK | SOCK_CLOEXEC, NETLINK_USERSOCK));
	if (!fd.valid())
		return fd;
	sockaddr_nl address{};
	address.nl_family = AF_NETLINK;
	address.nl_groups = groups;
	if (::bind(fd.get(), reinterpret_cast<sockaddr *>(&address), sizeof(address)) != 0)
		fd.reset();
	return fd;
}

// Reads "KEY=VALUE\0KEY=VALUE\0..." payloads, as the kernel formats uevents.
class NetlinkEventSource : public EventSource {
public:
	explicit NetlinkEventSource(UniqueFd fd) : fd_(std::move(fd)) {}
	int fd() const override { return fd_.get(); }
	std::vector<UeventProperties> receive() override
	{
		std::vector<UeventProperties> events;
		char buffer[8192];
		for (;;) {
			const ssize_t n = ::recv(fd_.get(), buffer, sizeof(buffer), 0);
			if (n < 0 && errno == ENOBUFS) {
				overflow_ = true;
				continue;
			}
			if (n <= 0)
				return events;
			UeventProperties properties;
			for (std::size_t pos = 0; pos < static_cast<std::size_t>(n);) {
				const std::string entry(buffer + pos);
				pos += entry.size() + 1;
				const std::size_t equals = entry.find('=');
				if (equals != std::string::npos)
					properties[entry.substr(0, equals)] = entry.substr(equals + 1);
			}
			events.push_back(std::move(properties));
		}
	}
	bool take_overflow() override { return std::exchange(overflow_, false); }

private:
	UniqueFd fd_;
	bool overflow_ = false;
};

void broadcast(int fd, const std::string &payload)
{
	sockaddr_nl to{};
	to.nl_family = AF_NETLINK;
	to.nl_groups = kGroup;
	// Delivered to the group; the unicast part to port 0 (no kernel socket
	// for NETLINK_USERSOCK) fails with ECONNREFUSED, which does not matter.
	::sendto(fd, payload.data(), payload.size(), 0, reinterpret_cast<sockaddr *>(&to),
		 sizeof(to));
}

std::string hang_payload(const std::string &name)
{
	const std::string entries[] = {"ACTION=change", "DEVNAME=dm-0", "DM_TARGET=iohang",
				       "DM_ACTION=IOHANG_HANG", "DM_NAME=" + name,
				       "DM_IOHANG_HELD=1"};
	std::string payload;
	for (const auto &entry : entries)
		payload += entry + '\0';
	return payload;
}

TEST(MonitorOverflow, SurvivesAnOverrunSocketAndRereadsEveryDevice)
{
	UniqueFd listener = netlink_socket(kGroup);
	UniqueFd sender = netlink_socket(0);
	if (!listener.valid() || !sender.valid())
		GTEST_SKIP() << "no NETLINK_USERSOCK here: " << std::strerror(errno);
	const int tiny = 1; // the kernel rounds it up to its minimum
	ASSERT_EQ(::setsockopt(listener.get(), SOL_SOCKET, SO_RCVBUF, &tiny, sizeof(tiny)), 0);
	for (int i = 0; i < 200; ++i)
		broadcast(sender.get(), hang_payload("ioh" + std::to_string(i % 2)));

	FakeDeviceMapper dm;
	dm.add_iohang("ioh0", "8:16 0 60000", 2048, "hung 3 1 0 0 4 0 0 0");
	dm.add_iohang("ioh1", "8:16 0 60000", 2048, "ok 0 1 1 0 4 10 0 0");
	dm.devices["lin"].table = {{0, 8, "linear", "8:16 0"}};
	const CliResult r = run_cli({"monitor", "--duration", "300ms"}, dm,
				    [&](const EventSourceOptions &) -> std::unique_ptr<EventSource> {
					    return std::make_unique<NetlinkEventSource>(
						    std::move(listener));
				    });
	EXPECT_EQ(r.status, 0) << r.err;
	EXPECT_NE(r.out.find(" hang held=1\n"), std::string::npos) << r.out;
	EXPECT_NE(r.out.find(" - lost\n"), std::string::npos) << r.out;
	EXPECT_NE(r.out.find(" ioh0 state state=hung held=3\n"), std::string::npos) << r.out;
	EXPECT_NE(r.out.find(" ioh1 state state=ok held=0\n"), std::string::npos) << r.out;
	EXPECT_EQ(r.out.find(" lin "), std::string::npos) << r.out;
	EXPECT_NE(r.err.find("uevents were lost"), std::string::npos) << r.err;
}

} // namespace
} // namespace iohang::testing
