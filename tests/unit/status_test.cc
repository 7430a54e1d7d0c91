// SPDX-License-Identifier: GPL-2.0
#include <gtest/gtest.h>

#include <stdexcept>

#include "core/status.h"

namespace iohang {
namespace {

TEST(Status, ParsesAllNineFields)
{
	const IohangStatus s = parse_status("hung 3 7 5 1 42 1234 2 9");
	EXPECT_EQ(s.state, HangState::kHung);
	EXPECT_EQ(s.held, 3u);
	EXPECT_EQ(s.hang_events, 7u);
	EXPECT_EQ(s.recovered, 5u);
	EXPECT_EQ(s.timed_out, 1u);
	EXPECT_EQ(s.retries, 42u);
	EXPECT_EQ(s.longest_hang_ms, 1234u);
	EXPECT_EQ(s.overflowed, 2u);
	EXPECT_EQ(s.released, 9u);
}

TEST(Status, AcceptsTheSevenFieldMinimum)
{
	const IohangStatus s = parse_status("ok 0 0 0 0 0 0");
	EXPECT_EQ(s.state, HangState::kOk);
	EXPECT_FALSE(s.overflowed);
	EXPECT_FALSE(s.released);
	EXPECT_EQ(parse_status("ok 0 0 0 0 0 0 5").overflowed, 5u);
	EXPECT_FALSE(parse_status("ok 0 0 0 0 0 0 5").released);
}

TEST(Status, IgnoresExtraTrailingFields)
{
	const IohangStatus s = parse_status("disabled 1 2 3 4 5 6 7 8 9 future words");
	EXPECT_EQ(s.state, HangState::kDisabled);
	EXPECT_EQ(s.released, 8u);
}

TEST(Status, ToleratesSurroundingWhitespace)
{
	EXPECT_EQ(parse_status("  ok 1 0 0 0 0 0 0 0\n").held, 1u);
}

TEST(Status, RefusesMalformedLines)
{
	for (const char *bad : {"", "ok", "ok 0 0 0 0 0", "ok 0 0 x 0 0 0 0 0", "ok -1 0 0 0 0 0 0 0",
				"ok 0 0 0 0 0 0 0 y", "ok 0 0 0 0 0 0 0 0 z-is-fine"}) {
		SCOPED_TRACE(bad);
		if (std::string(bad).find("z-is-fine") != std::string::npos) {
			EXPECT_NO_THROW(parse_status(bad));
			continue;
		}
		EXPECT_THROW(parse_status(bad), std::invalid_argument);
	}
}

TEST(Status, AnUnknownStateFromANewerModuleIsShownNotRefused)
{
	const IohangStatus s = parse_status("draining 4 1 0 0 2 10 0 0");
	EXPECT_EQ(s.state, HangState::kUnknown);
	EXPECT_EQ(s.held, 4u);
	EXPECT_EQ(s.not_understood, std::vector<std::string>{"state 'draining'"});
	EXPECT_TRUE(parse_status("ok 0 0 0 0 0 0 0 0").not_understood.empty());
}

TEST(Status, StateNames)
{
	EXPECT_EQ(to_string(HangState::kOk), "ok");
	EXPECT_EQ(to_string(HangState::kHung), "hung");
	EXPECT_EQ(to_string(HangState::kDisabled), "disabled");
	EXPECT_EQ(to_string(HangState::kUnknown), "unknown");
}

} // namespace
} // namespace iohang
