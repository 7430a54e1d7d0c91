// SPDX-License-Identifier: GPL-2.0
#include <gtest/gtest.h>

#include <algorithm>

#include "core/uevent.h"
#include "dm-iohang.h"

namespace iohang {
namespace {

using std::chrono::milliseconds;
using std::chrono::system_clock;

// 2026-11-29T03:30:00.123Z
const system_clock::time_point kTime{milliseconds(1795923000123)};

UeventProperties hang_event()
{
	return {{"ACTION", "change"},       {"DEVNAME", "dm-3"},
		{"SUBSYSTEM", "block"},     {"DM_TARGET", "iohang"},
		{"DM_ACTION", "IOHANG_HANG"}, {"DM_NAME", "ioh0"},
		{"DM_UUID", "IOHANG-test"}, {"DM_IOHANG_HELD", "3"}};
}

TEST(Uevent, KeepsOnlyIohangEvents)
{
	EXPECT_TRUE(iohang_event_from(hang_event(), kTime));

	UeventProperties other = hang_event();
	other["DM_TARGET"] = "multipath";
	EXPECT_FALSE(iohang_event_from(other, kTime));

	other = hang_event();
	other.erase("DM_TARGET");
	EXPECT_FALSE(iohang_event_from(other, kTime));

	other = hang_event();
	other["DM_ACTION"] = "PATH_FAILED";
	EXPECT_FALSE(iohang_event_from(other, kTime));

	other = hang_event();
	other["DM_ACTION"] = "IOHANG_";
	EXPECT_FALSE(iohang_event_from(other, kTime));

	EXPECT_FALSE(iohang_event_from({{"ACTION", "add"}, {"DEVNAME", "sda"}}, kTime));
}

TEST(Uevent, ReadsFieldsAndShortensActions)
{
	const auto e = iohang_event_from(hang_event(), kTime);
	ASSERT_TRUE(e);
	EXPECT_EQ(e->name, "ioh0");
	EXPECT_EQ(e->uuid, "IOHANG-test");
	EXPECT_EQ(e->kernel_name, "dm-3");
	EXPECT_EQ(e->action, "hang");
	EXPECT_EQ(e->held, 3u);
	EXPECT_FALSE(e->duration_ms);
	EXPECT_FALSE(e->failed);

	for (auto [kernel, shown] : {std::pair{"IOHANG_RECOVER", "recover"},
				     {"IOHANG_TIMEOUT", "timeout"},
				     {"IOHANG_FAIL_ALL", "fail_all"},
				     {"IOHANG_SOMETHING_NEW", "something_new"}}) {
		UeventProperties p = hang_event();
		p["DM_ACTION"] = kernel;
		EXPECT_EQ(iohang_event_from(p, kTime)->action, shown);
	}
}

TEST(Uevent, KernelNameWithoutDevPrefix)
{
	UeventProperties p = hang_event();
	p["DEVNAME"] = "/dev/dm-3"; // as libudev reports it
	EXPECT_EQ(iohang_event_from(p, kTime)->kernel_name, "dm-3");
}

TEST(Uevent, BadNumbersDoNotDropTheEvent)
{
	UeventProperties p = hang_event();
	p["DM_IOHANG_HELD"] = "lots";
	const auto e = iohang_event_from(p, kTime);
	ASSERT_TRUE(e);
	EXPECT_FALSE(e->held);
}

TEST(Uevent, NameFilter)
{
	const auto e = *iohang_event_from(hang_event(), kTime);
	EXPECT_TRUE(event_matches(e, {}));
	EXPECT_TRUE(event_matches(e, {"a", "ioh0"}));
	EXPECT_FALSE(event_matches(e, {"ioh1"}));
	EXPECT_FALSE(event_matches(e, {"ioh"}));
}

TEST(Uevent, FormatsTime)
{
	EXPECT_EQ(format_time(kTime), "2026-11-29T03:30:00.123Z");
	EXPECT_EQ(format_time(system_clock::time_point{}), "1970-01-01T00:00:00.000Z");
}

TEST(Uevent, FormatsText)
{
	auto e = *iohang_event_from(hang_event(), kTime);
	EXPECT_EQ(format_text(e), "2026-11-29T03:30:00.123Z ioh0 hang held=3");

	UeventProperties p = hang_event();
	p["DM_ACTION"] = "IOHANG_RECOVER";
	p["DM_IOHANG_HELD"] = "0";
	p["DM_IOHANG_DURATION_MS"] = "1500";
	EXPECT_EQ(format_text(*iohang_event_from(p, kTime)),
		  "2026-11-29T03:30:00.123Z ioh0 recover held=0 duration_ms=1500");

	p = hang_event();
	p["DM_ACTION"] = "IOHANG_TIMEOUT";
	p["DM_IOHANG_FAILED"] = "3";
	EXPECT_EQ(format_text(*iohang_event_from(p, kTime)),
		  "2026-11-29T03:30:00.123Z ioh0 timeout held=3 failed=3");
}

TEST(Uevent, TextQuotesAWeirdName)
{
	UeventProperties p = hang_event();
	p["DM_NAME"] = "my dev\n";
	EXPECT_EQ(format_text(*iohang_event_from(p, kTime)),
		  "2026-11-29T03:30:00.123Z \"my dev\\n\" hang held=3");
}

TEST(Uevent, FormatsJson)
{
	UeventProperties p = hang_event();
	p["DM_ACTION"] = "IOHANG_FAIL_ALL";
	p["DM_IOHANG_FAILED"] = "4";
	p["DM_NAME"] = "q\"uote";
	EXPECT_EQ(format_json(*iohang_event_from(p, kTime)),
		  "{\"version\":1,\"time\":\"2026-11-29T03:30:00.123Z\",\"name\":\"q\\\"uote\","
		  "\"uuid\":\"IOHANG-test\",\"kernel_name\":\"dm-3\",\"action\":\"fail_all\","
		  "\"state\":null,\"held\":3,\"duration_ms\":null,\"failed\":4,\"requeued\":null}");
}

TEST(Uevent, RequeueAfterNoflushSuspend)
{
	UeventProperties p = hang_event();
	p["DM_ACTION"] = "IOHANG_REQUEUE";
	p["DM_IOHANG_HELD"] = "0";
	p["DM_IOHANG_REQUEUED"] = "5";
	const auto e = *iohang_event_from(p, kTime);
	EXPECT_EQ(format_text(e), "2026-11-29T03:30:00.123Z ioh0 requeue held=0 requeued=5");
	EXPECT_NE(format_json(e).find("\"action\":\"requeue\""), std::string::npos);
	EXPECT_NE(format_json(e).find("\"requeued\":5"), std::string::npos);
	const auto env = hook_environment(e);
	EXPECT_NE(std::find(env.begin(), env.end(), "IOHANG_REQUEUED=5"), env.end());
}

TEST(Uevent, LostAndStateEventsOfTheMonitor)
{
	IohangEvent lost;
	lost.time = kTime;
	lost.action = kLostAction;
	EXPECT_EQ(format_text(lost), "2026-11-29T03:30:00.123Z - lost");
	IohangEvent state;
	state.time = kTime;
	state.name = "ioh0";
	state.action = kStateAction;
	state.state = "hung";
	state.held = 2;
	EXPECT_EQ(format_text(state), "2026-11-29T03:30:00.123Z ioh0 state state=hung held=2");
	EXPECT_NE(format_json(state).find("\"action\":\"state\",\"state\":\"hung\",\"held\":2"),
		  std::string::npos) << format_json(state);
	const auto env = hook_environment(state);
	EXPECT_NE(std::find(env.begin(), env.end(), "IOHANG_STATE=hung"), env.end());
}

TEST(Uevent, HookEnvironment)
{
	UeventProperties p = hang_event();
	p["DM_ACTION"] = "IOHANG_RECOVER";
	p["DM_IOHANG_DURATION_MS"] = "20";
	auto env = hook_environment(*iohang_event_from(p, kTime));
	std::sort(env.begin(), env.end());
	EXPECT_EQ(env, (std::vector<std::string>{
			       "IOHANG_ACTION=recover", "IOHANG_DEVICE=ioh0",
			       "IOHANG_DURATION_MS=20", "IOHANG_HELD=3",
			       "IOHANG_TIME=2026-11-29T03:30:00.123Z", "IOHANG_UUID=IOHANG-test"}));
}

} // namespace
} // namespace iohang
