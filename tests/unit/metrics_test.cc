// SPDX-License-Identifier: GPL-2.0
// The Prometheus text exposition of iohang devices: exact output for one
// device, escaping, the state set, and an order that does not depend on
// the order devices were listed in.  promtool checks real output in
// tests/metrics/promtool-check.
#include <gtest/gtest.h>

#include <algorithm>
#include <regex>

#include "core/metrics.h"

namespace iohang {
namespace {

DeviceReport device(const std::string &name, const std::string &status = "ok 0 0 0 0 0 0 0 0")
{
	DeviceReport r;
	r.name = name;
	r.device = "/dev/sdb";
	r.sectors = 2048;
	r.params = parse_params("8:16 0 60000");
	r.status = parse_status(status);
	r.info.uuid = "IOHANG-" + name;
	return r;
}

// The sample lines of family `name`, without HELP and TYPE.
std::vector<std::string> samples(const std::string &text, const std::string &name)
{
	std::vector<std::string> out;
	const std::regex line("^" + name + R"((\{[^\n]*\})? [^\n]*$)", std::regex::multiline);
	for (auto it = std::sregex_iterator(text.begin(), text.end(), line);
	     it != std::sregex_iterator(); ++it)
		out.push_back(it->str());
	return out;
}

TEST(Metrics, SecondsAreExactDecimals)
{
	const std::pair<std::uint64_t, const char *> cases[] = {
		{0, "0"}, {1, "0.001"}, {3, "0.003"}, {250, "0.25"}, {2900, "2.9"}, {60000, "60"},
		{86400001, "86400.001"}, {UINT64_MAX, "18446744073709551.615"},
	};
	for (const auto &[ms, text] : cases)
		EXPECT_EQ(seconds_from_ms(ms), text) << ms;
}

TEST(Metrics, EscapesLabelValues)
{
	EXPECT_EQ(escape_label_value("plain-name_1"), "plain-name_1");
	EXPECT_EQ(escape_label_value(R"(a\b"c)" "\nd"), R"(a\\b\"c\nd)");
	EXPECT_EQ(escape_label_value("tab\tstays"), "tab\tstays");
}

TEST(Metrics, OneHungDevice)
{
	DeviceReport r = device("ioh", "hung 2 3 1 0 7 2900 0 0");
	r.params = parse_params("8:16 8 30000 5 retry_interval_ms 250 retry_on ioerr,transport probe");
	EXPECT_EQ(format_metrics({r}),
		  R"(# HELP iohang_held_bios Bios the device holds now: waiting for a retry, resubmitted and not back, or about to complete.
# TYPE iohang_held_bios gauge
iohang_held_bios{name="ioh",uuid="IOHANG-ioh"} 2
# HELP iohang_hang_events_total Transitions from ok to hung (a bio held while none was).
# TYPE iohang_hang_events_total counter
iohang_hang_events_total{name="ioh",uuid="IOHANG-ioh"} 3
# HELP iohang_recovered_total Held bios that came back from a resubmission successfully (or with EOPNOTSUPP).
# TYPE iohang_recovered_total counter
iohang_recovered_total{name="ioh",uuid="IOHANG-ioh"} 1
# HELP iohang_timed_out_total Held bios failed because their timeout had passed.
# TYPE iohang_timed_out_total counter
iohang_timed_out_total{name="ioh",uuid="IOHANG-ioh"} 0
# HELP iohang_retries_total Resubmissions of held bios, one per bio per attempt.
# TYPE iohang_retries_total counter
iohang_retries_total{name="ioh",uuid="IOHANG-ioh"} 7
# HELP iohang_longest_hang_seconds The longest hang since the counters were last reset, the ongoing one included.
# TYPE iohang_longest_hang_seconds gauge
iohang_longest_hang_seconds{name="ioh",uuid="IOHANG-ioh"} 2.9
# HELP iohang_overflowed_total Bios that failed with a retry_on status but were not held because max_held was reached.
# TYPE iohang_overflowed_total counter
iohang_overflowed_total{name="ioh",uuid="IOHANG-ioh"} 0
# HELP iohang_released_total Held bios failed by fail_all, or by the removal of a device that was not suspended.
# TYPE iohang_released_total counter
iohang_released_total{name="ioh",uuid="IOHANG-ioh"} 0
# HELP iohang_state 1 for the device's state, 0 for the others; unknown is a state this iohangctl does not know.
# TYPE iohang_state gauge
iohang_state{name="ioh",uuid="IOHANG-ioh",state="ok"} 0
iohang_state{name="ioh",uuid="IOHANG-ioh",state="hung"} 1
iohang_state{name="ioh",uuid="IOHANG-ioh",state="disabled"} 0
iohang_state{name="ioh",uuid="IOHANG-ioh",state="unknown"} 0
# HELP iohang_table_info The device's table parameters as labels; always 1.
# TYPE iohang_table_info gauge
iohang_table_info{name="ioh",uuid="IOHANG-ioh",device="/dev/sdb",device_number="8:16",offset_sectors="8",timeout_seconds="30",retry_interval_seconds="0.25",retry_on="ioerr,transport",retry_all="false",hold_new_io="false",max_held="unlimited",fail_flush="false"} 1
)");
}

TEST(Metrics, EveryFamilyHasHelpAndTypeEvenWithoutDevices)
{
	const std::string text = format_metrics({});
	const std::vector<std::string> families = {
		"iohang_held_bios", "iohang_hang_events_total", "iohang_recovered_total",
		"iohang_timed_out_total", "iohang_retries_total", "iohang_longest_hang_seconds",
		"iohang_overflowed_total", "iohang_released_total", "iohang_state", "iohang_table_info"};
	for (const auto &name : families) {
		SCOPED_TRACE(name);
		EXPECT_NE(text.find("# HELP " + name + " "), std::string::npos);
		EXPECT_NE(text.find("# TYPE " + name + " "), std::string::npos);
		EXPECT_TRUE(samples(text, name).empty());
	}
	EXPECT_EQ(std::count(text.begin(), text.end(), '\n'), 2 * 10);
}

TEST(Metrics, CountersEndInTotalAndAreTypedSo)
{
	const std::string text = format_metrics({device("ioh")});
	const std::regex type(R"(# TYPE (\S+) (\S+)\n)");
	int counters = 0;
	for (auto it = std::sregex_iterator(text.begin(), text.end(), type);
	     it != std::sregex_iterator(); ++it) {
		const std::string name = (*it)[1], kind = (*it)[2];
		const bool total = std::regex_search(name, std::regex("_total$"));
		EXPECT_EQ(total, kind == "counter") << name << " " << kind;
		counters += total;
	}
	EXPECT_EQ(counters, 6);
}

TEST(Metrics, StateSetHasOneSeriesPerStateAndOneIsSet)
{
	for (const auto &[word, expected] : std::vector<std::pair<std::string, std::string>>{
		     {"ok", "ok"}, {"hung", "hung"}, {"disabled", "disabled"}, {"draining", "unknown"}}) {
		SCOPED_TRACE(word);
		const std::string text = format_metrics({device("d", word + " 0 0 0 0 0 0 0 0")});
		const auto lines = samples(text, "iohang_state");
		ASSERT_EQ(lines.size(), 4u);
		for (const auto &line : lines) {
			const bool current = line.find("state=\"" + expected + "\"") != std::string::npos;
			EXPECT_EQ(line.back(), current ? '1' : '0') << line;
		}
	}
}

TEST(Metrics, DevicesInNameOrderWhateverTheListOrder)
{
	const std::string text = format_metrics({device("b"), device("c"), device("a")});
	EXPECT_EQ(format_metrics({device("c"), device("a"), device("b")}), text);
	const auto held = samples(text, "iohang_held_bios");
	ASSERT_EQ(held.size(), 3u);
	EXPECT_EQ(held[0], R"(iohang_held_bios{name="a",uuid="IOHANG-a"} 0)");
	EXPECT_EQ(held[2], R"(iohang_held_bios{name="c",uuid="IOHANG-c"} 0)");
}

TEST(Metrics, NamesThatNeedEscaping)
{
	DeviceReport r = device("we\"ird\\name");
	r.info.uuid = "";
	const std::string text = format_metrics({r});
	EXPECT_EQ(samples(text, "iohang_held_bios"),
		  std::vector<std::string>{R"(iohang_held_bios{name="we\"ird\\name",uuid=""} 0)"});
}

// An older kernel prints seven fields: no overflowed or released to show.
TEST(Metrics, CountersTheKernelDoesNotReportAreLeftOut)
{
	const std::string text = format_metrics({device("old", "ok 0 1 1 0 2 10")});
	EXPECT_TRUE(samples(text, "iohang_overflowed_total").empty());
	EXPECT_TRUE(samples(text, "iohang_released_total").empty());
	EXPECT_EQ(samples(text, "iohang_retries_total"),
		  std::vector<std::string>{R"(iohang_retries_total{name="old",uuid="IOHANG-old"} 2)"});
	EXPECT_EQ(samples(text, "iohang_longest_hang_seconds"),
		  std::vector<std::string>{R"(iohang_longest_hang_seconds{name="old",uuid="IOHANG-old"} 0.01)"});
}

TEST(Metrics, TableInfoOfLimits)
{
	DeviceReport r = device("ioh");
	r.params = parse_params("8:16 0 0 7 hold_new_io max_held 64 retry_on nospc retry_all fail_flush");
	const auto info = samples(format_metrics({r}), "iohang_table_info");
	ASSERT_EQ(info.size(), 1u);
	EXPECT_NE(info[0].find(R"(timeout_seconds="0",retry_interval_seconds="0.1",retry_on="nospc",)"
			       R"(retry_all="true",hold_new_io="true",max_held="64",fail_flush="true"} 1)"),
		  std::string::npos)
		<< info[0];
}

} // namespace
} // namespace iohang
