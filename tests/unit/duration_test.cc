// SPDX-License-Identifier: GPL-2.0
#include <gtest/gtest.h>

#include <stdexcept>

#include "core/duration.h"

namespace iohang {
namespace {

TEST(Duration, ParsesEachUnit)
{
	EXPECT_EQ(parse_duration_ms("500ms"), 500u);
	EXPECT_EQ(parse_duration_ms("30s"), 30000u);
	EXPECT_EQ(parse_duration_ms("2m"), 120000u);
	EXPECT_EQ(parse_duration_ms("1h"), 3600000u);
	EXPECT_EQ(parse_duration_ms("0ms"), 0u);
	EXPECT_EQ(parse_duration_ms("007s"), 7000u);
}

TEST(Duration, BareZeroNeedsNoUnit)
{
	EXPECT_EQ(parse_duration_ms("0"), 0u);
	EXPECT_EQ(parse_duration_ms("000"), 0u);
}

TEST(Duration, FractionsThatAreWholeMilliseconds)
{
	EXPECT_EQ(parse_duration_ms("1.5s"), 1500u);
	EXPECT_EQ(parse_duration_ms("0.25s"), 250u);
	EXPECT_EQ(parse_duration_ms("1.5m"), 90000u);
	EXPECT_EQ(parse_duration_ms("0.001s"), 1u);
	EXPECT_EQ(parse_duration_ms("2.0ms"), 2u);
}

TEST(Duration, RefusesWithAReason)
{
	for (const char *bad : {"", "60", "1.5", "-1s", "+1s", "s", "1x", "1sec", "1S", "1 s",
				" 1s", "1s ", "1.s", ".5s", "0.5ms", "0.0001s", "1e3ms", "1m30s",
				"0x10ms"}) {
		SCOPED_TRACE(bad);
		EXPECT_THROW(parse_duration_ms(bad), std::invalid_argument);
	}
}

TEST(Duration, MessagesSayWhatWasExpected)
{
	try {
		parse_duration_ms("60");
		FAIL();
	} catch (const std::invalid_argument &e) {
		EXPECT_NE(std::string(e.what()).find("missing unit"), std::string::npos);
		EXPECT_NE(std::string(e.what()).find("ms, s, m or h"), std::string::npos);
	}
	try {
		parse_duration_ms("-5s");
		FAIL();
	} catch (const std::invalid_argument &e) {
		EXPECT_NE(std::string(e.what()).find("negative"), std::string::npos);
	}
}

TEST(Duration, RefusesOverflow)
{
	EXPECT_EQ(parse_duration_ms("18446744073709551615ms"), 18446744073709551615ull);
	EXPECT_THROW(parse_duration_ms("18446744073709551616ms"), std::invalid_argument);
	EXPECT_THROW(parse_duration_ms("18446744073709551615s"), std::invalid_argument);
	EXPECT_THROW(parse_duration_ms("99999999999999999999999h"), std::invalid_argument);
	EXPECT_THROW(parse_duration_ms("1.000000000000000000000001s"), std::invalid_argument);
}

TEST(Duration, FormatsInTheLargestExactUnit)
{
	EXPECT_EQ(format_duration_ms(0), "0s");
	EXPECT_EQ(format_duration_ms(1), "1ms");
	EXPECT_EQ(format_duration_ms(1500), "1500ms");
	EXPECT_EQ(format_duration_ms(60000), "1m");
	EXPECT_EQ(format_duration_ms(90000), "90s");
	EXPECT_EQ(format_duration_ms(7200000), "2h");
	for (std::uint64_t ms : {1ull, 999ull, 1000ull, 61000ull, 86400000ull})
		EXPECT_EQ(parse_duration_ms(format_duration_ms(ms)), ms);
}

TEST(Unsigned, ParsesAndRefuses)
{
	EXPECT_EQ(parse_unsigned("0"), 0u);
	EXPECT_EQ(parse_unsigned("42"), 42u);
	for (const char *bad : {"", "-1", "+1", "1.0", "1a", " 1", "18446744073709551616"}) {
		SCOPED_TRACE(bad);
		EXPECT_THROW(parse_unsigned(bad), std::invalid_argument);
	}
}

} // namespace
} // namespace iohang
