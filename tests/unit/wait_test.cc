// SPDX-License-Identifier: GPL-2.0
// `wait NAME --state S`: subscribed before it reads, 0 once the state is
// reached, 1 on error, 124 on timeout.
#include <gtest/gtest.h>

#include <chrono>

#include "cli_harness.h"
#include "fake_event_source.h"

namespace iohang::testing {
namespace {

constexpr const char *kOk = "ok 0 0 0 0 0 0 0 0";
constexpr const char *kHung = "hung 1 1 0 0 2 0 0 0";

class Wait : public ::testing::Test {
protected:
	void SetUp() override { dm.add_iohang("ioh", "8:16 0 60000", 2048, kOk); }
	CliResult run(const std::vector<std::string> &arguments)
	{
		std::vector<std::string> full = {"wait"};
		full.insert(full.end(), arguments.begin(), arguments.end());
		return run_cli(full, dm, [this](const EventSourceOptions &) -> std::unique_ptr<EventSource> {
			reads_before_subscribing = dm.status_reads;
			return std::move(source);
		});
	}

	FakeDeviceMapper dm;
	std::unique_ptr<FakeEventSource> source = std::make_unique<FakeEventSource>();
	int reads_before_subscribing = -1;
};

TEST_F(Wait, AStateReachedAlreadyExitsZero)
{
	const CliResult r = run({"ioh", "--state", "ok"});
	EXPECT_EQ(r.status, 0) << r.err;
	EXPECT_EQ(reads_before_subscribing, 0);
}

TEST_F(Wait, RereadsTheStatusOnTheDevicesEvents)
{
	FakeEventSource &events = *source;
	events.push(iohang_uevent("other", "HANG"));
	events.push(iohang_uevent("ioh", "HANG"));
	// The device hangs just after the first read: only an event tells.
	events.on_receive = [&] { dm.devices["ioh"].status = kHung; };
	const auto start = std::chrono::steady_clock::now();
	const CliResult r = run({"ioh", "--state", "hung", "--timeout", "10s"});
	EXPECT_EQ(r.status, 0) << r.err;
	EXPECT_EQ(reads_before_subscribing, 0);
	EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(5));
}

TEST_F(Wait, TimesOutWith124)
{
	const auto start = std::chrono::steady_clock::now();
	const CliResult r = run({"ioh", "--state", "hung", "--timeout", "200ms"});
	EXPECT_EQ(r.status, 124);
	EXPECT_EQ(r.err, "iohangctl: wait ioh: still ok after 200ms, not hung\n");
	EXPECT_GE(std::chrono::steady_clock::now() - start, std::chrono::milliseconds(200));
}

TEST_F(Wait, ErrorsExitOne)
{
	CliResult r = run({"gone", "--state", "ok"});
	EXPECT_EQ(r.status, 1);
	EXPECT_EQ(r.err, "iohangctl: wait gone: no device-mapper device named 'gone'\n");

	// Removed while waited for.
	source = std::make_unique<FakeEventSource>();
	FakeEventSource &events = *source;
	events.push(iohang_uevent("ioh", "FAIL_ALL"));
	events.on_receive = [&] { dm.devices.erase("ioh"); };
	r = run({"ioh", "--state", "hung", "--timeout", "10s"});
	EXPECT_EQ(r.status, 1);
	EXPECT_NE(r.err.find("no device-mapper device named 'ioh'"), std::string::npos) << r.err;
}

TEST_F(Wait, Arguments)
{
	EXPECT_EQ(run({"ioh"}).status, 2);
	EXPECT_EQ(run({"--state", "ok"}).status, 2);
	const CliResult r = run({"ioh", "--state", "stuck"});
	EXPECT_EQ(r.status, 2);
	EXPECT_NE(r.err.find("expected ok, hung or disabled"), std::string::npos) << r.err;
	EXPECT_EQ(run({"ioh", "--state", "ok", "--timeout", "5"}).status, 2);
}

} // namespace
} // namespace iohang::testing
