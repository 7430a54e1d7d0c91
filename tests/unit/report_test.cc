// SPDX-License-Identifier: GPL-2.0
#include <gtest/gtest.h>

#include "core/report.h"

namespace iohang {
namespace {

DeviceReport sample()
{
	DeviceReport r;
	r.name = "ioh0";
	r.device = "/dev/sdb";
	r.sectors = 2048;
	r.params = parse_params("8:16 0 30000 3 retry_interval_ms 500 retry_all");
	r.status = parse_status("hung 2 1 0 0 4 1500 0 0");
	return r;
}

TEST(Report, DescribesNonDefaultOptions)
{
	EXPECT_EQ(describe_options(IohangOptions{}), "-");
	IohangOptions o;
	o.retry_on = kRetryIoerr | kRetryNospc;
	o.retry_all = true;
	o.hold_new_io = true;
	o.max_held = 8;
	o.fail_flush = true;
	EXPECT_EQ(describe_options(o), "retry_on=ioerr,nospc retry_all hold_new_io max_held=8 "
				       "fail_flush");
}

TEST(Report, TextTable)
{
	EXPECT_EQ(format_report_table({sample()}),
		  "NAME  DEVICE    STATE  FLAGS  OPEN  HELD  HANGS  RECOVERED  TIMED_OUT  RETRIES  "
		  "LONGEST  TIMEOUT  INTERVAL  OPTIONS\n"
		  "ioh0  /dev/sdb  hung   -      0     2     1      0          0          4        "
		  "1500ms   30s      500ms     retry_all\n");
}

// swap tells the user a device "IS LEFT SUSPENDED"; status must show it.
TEST(Report, SuspendedReadOnlyAndOpenCount)
{
	DeviceReport r = sample();
	r.info.suspended = true;
	r.info.read_only = true;
	r.info.open_count = 3;
	const std::string table = format_report_table({r});
	EXPECT_NE(table.find("hung   suspended,read-only  3 "), std::string::npos) << table;
	const std::string json = format_report_json({r});
	EXPECT_NE(json.find("\"suspended\":true,\"read_only\":true,\"open_count\":3"),
		  std::string::npos) << json;
}

TEST(Report, EmptyTableHasHeaderOnly)
{
	const std::string text = format_report_table({});
	EXPECT_EQ(text.find("NAME"), 0u);
	EXPECT_EQ(std::count(text.begin(), text.end(), '\n'), 1);
}

TEST(Report, Json)
{
	EXPECT_EQ(format_report_json({}), "{\"version\":1,\"devices\":[]}");
	DeviceReport r = sample();
	r.status.released.reset();
	EXPECT_EQ(format_report_json({r}),
		  "{\"version\":1,\"devices\":[{\"name\":\"ioh0\",\"device\":\"/dev/sdb\","
		  "\"device_number\":\"8:16\",\"offset\":0,\"sectors\":2048,\"state\":\"hung\",\"suspended\":false,\"read_only\":false,\"open_count\":0,"
		  "\"held\":2,\"hang_events\":1,\"recovered\":0,\"timed_out\":0,\"retries\":4,"
		  "\"longest_hang_ms\":1500,\"overflowed\":0,\"released\":null,"
		  "\"timeout_ms\":30000,\"retry_interval_ms\":500,\"retry_on\":[\"ioerr\",\"transport\"],"
		  "\"probe\":false,\"retry_all\":true,\"hold_new_io\":false,\"max_held\":null,"
		  "\"fail_flush\":false,\"not_understood\":[]}]}");
}

} // namespace
} // namespace iohang
