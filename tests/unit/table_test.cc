// SPDX-License-Identifier: GPL-2.0
#include <gtest/gtest.h>

#include <stdexcept>

#include "core/table.h"

namespace iohang {
namespace {

IohangParams params(std::string device, std::uint64_t offset, std::uint64_t timeout)
{
	IohangParams p;
	p.device = std::move(device);
	p.offset = offset;
	p.options.timeout_ms = timeout;
	return p;
}

TEST(RetryOn, ParsesAndFormatsCanonically)
{
	EXPECT_EQ(parse_retry_on("ioerr"), kRetryIoerr);
	EXPECT_EQ(parse_retry_on("nospc,ioerr"), kRetryIoerr | kRetryNospc);
	EXPECT_EQ(format_retry_on(parse_retry_on("nospc,medium,timeout,transport,ioerr")),
		  "ioerr,transport,timeout,medium,nospc");
	for (const char *bad : {"", ",", "ioerr,", ",ioerr", "ioerr,,nospc", "IOERR", "eio",
				"ioerr,ioerr", "ioerr nospc"}) {
		SCOPED_TRACE(bad);
		EXPECT_THROW(parse_retry_on(bad), std::invalid_argument);
	}
}

TEST(Table, DefaultsLeaveNoOptionWords)
{
	EXPECT_EQ(build_params(params("/dev/sdb", 0, 60000)), "/dev/sdb 0 60000");
	EXPECT_EQ(build_table_line(2048, params("/dev/sdb", 0, 0)), "0 2048 iohang /dev/sdb 0 0");
}

TEST(Table, OptionsInCanonicalOrderWithWordCount)
{
	IohangParams p = params("/dev/vdb", 8, 30000);
	p.options.max_held = 64;
	p.options.hold_new_io = true;
	p.options.retry_all = true;
	p.options.fail_flush = true;
	p.options.retry_on = kRetryOffline | kRetryIoerr;
	p.options.retry_interval_ms = 500;
	EXPECT_EQ(build_params(p), "/dev/vdb 8 30000 9 retry_interval_ms 500 retry_on "
				   "ioerr,offline retry_all hold_new_io max_held 64 fail_flush");
}

TEST(Table, CountIsTheNumberOfWords)
{
	IohangParams p = params("/dev/vdb", 0, 1000);
	p.options.retry_interval_ms = 500;
	p.options.retry_all = true;
	EXPECT_EQ(build_params(p), "/dev/vdb 0 1000 3 retry_interval_ms 500 retry_all");
}

TEST(Table, RoundTrip)
{
	std::vector<IohangParams> cases;
	cases.push_back(params("/dev/sdb", 0, 60000));
	cases.push_back(params("8:16", 2048, 0));
	IohangParams all = params("253:4", 1, 86400000);
	all.options = {86400000, 3600000, 63, true, true, 16777216, true};
	cases.push_back(all);
	IohangParams some = params("/dev/disk/by-id/x", 0, 5);
	some.options.retry_on = kRetryNospc;
	some.options.max_held = 1;
	cases.push_back(some);
	for (const auto &p : cases) {
		SCOPED_TRACE(build_params(p));
		EXPECT_EQ(parse_params(build_params(p)), p);
	}
}

TEST(Table, ParsesWhatTheKernelPrints)
{
	// Exactly the TABLE status format of kernel/dm-iohang.c.
	const IohangParams p = parse_params(
		"8:16 0 30000 8 retry_interval_ms 250 retry_on ioerr,timeout,nospc retry_all max_held 100 "
		"fail_flush");
	EXPECT_EQ(p.device, "8:16");
	EXPECT_EQ(p.offset, 0u);
	EXPECT_EQ(p.options.timeout_ms, 30000u);
	EXPECT_EQ(p.options.retry_interval_ms, 250u);
	EXPECT_EQ(p.options.retry_on, kRetryIoerr | kRetryTimeout | kRetryNospc);
	EXPECT_TRUE(p.options.retry_all);
	EXPECT_FALSE(p.options.hold_new_io);
	EXPECT_EQ(p.options.max_held, 100u);
	EXPECT_TRUE(p.options.fail_flush);
	// and prints it back identically
	EXPECT_EQ(build_params(p), "8:16 0 30000 8 retry_interval_ms 250 retry_on "
				   "ioerr,timeout,nospc retry_all max_held 100 fail_flush");

	const IohangParams plain = parse_params("253:0 0 60000");
	EXPECT_EQ(plain.options, IohangOptions{});
	EXPECT_EQ(parse_params("8:16 0 0 1 hold_new_io").options.hold_new_io, true);
}

TEST(Table, ParsesOptionsInAnyOrder)
{
	EXPECT_EQ(parse_params("8:16 0 1 4 retry_all max_held 3 hold_new_io"),
		  parse_params("8:16 0 1 4 max_held 3 hold_new_io retry_all"));
}

// Target 1.2.0 probes by default: a table of 1.1 that asked for probing
// still loads, means the default and is printed without the word.
TEST(Table, ProbeIsTheDefaultSince12)
{
	const IohangParams p = parse_params("8:16 0 60000 1 probe");
	EXPECT_EQ(p.options, IohangOptions{});
	EXPECT_EQ(build_params(p), "8:16 0 60000");
	EXPECT_THROW(parse_params("8:16 0 1000 2 probe probe"), std::invalid_argument);
	EXPECT_THROW(parse_params("8:16 0 1000 2 probe retry_all"), std::invalid_argument);
	EXPECT_EQ(IohangOptions{}.retry_on, kRetryIoerr | kRetryTransport);
	EXPECT_EQ(IohangOptions{}.retry_interval_ms, 100u);
}

TEST(Table, LenientParsingKeepsWhatANewerModuleAdded)
{
	const IohangParams p = parse_params(
		"8:16 0 30000 7 probe drain_ms 500 retry_on ioerr,future max_held 4",
		Parsing::kLenient);
	EXPECT_FALSE(p.options.retry_all);
	EXPECT_EQ(p.options.max_held, 4u);
	EXPECT_EQ(p.unknown_options, (std::vector<std::string>{"drain_ms", "500", "retry_on",
								"ioerr,future"}));
	// A newer module may allow more than this tool knows.
	EXPECT_EQ(parse_params("8:16 0 172800000", Parsing::kLenient).options.timeout_ms,
		  172800000u);
	EXPECT_THROW(parse_params("8:16 0 30000 2 drain_ms 500"), std::invalid_argument);
	EXPECT_THROW(parse_params("8:16 0 30000 3 drain_ms 500", Parsing::kLenient),
		     std::invalid_argument);
	IohangParams rebuilt = p;
	EXPECT_THROW(build_params(rebuilt), std::invalid_argument);
}

TEST(Table, RefusesInvalidLines)
{
	for (const char *bad : {
		     "",
		     "8:16",
		     "8:16 0",
		     "8:16 x 1000",
		     "8:16 0 -1",
		     "8:16 0 86400001",                  // above DM_IOHANG_MAX_TIMEOUT_MS
		     "8:16 0 1000 1",                    // count says 1, nothing follows
		     "8:16 0 1000 2 probe",              // count too high
		     "8:16 0 1000 1 probe hold_new_io",  // count too low
		     "8:16 0 1000 x probe",
		     "8:16 0 1000 1 bogus",
		     "8:16 0 1000 1 retry_interval_ms",  // value missing
		     "8:16 0 1000 2 retry_interval_ms 0",
		     "8:16 0 1000 2 retry_interval_ms 3600001",
		     "8:16 0 1000 2 retry_on bogus",
		     "8:16 0 1000 2 max_held 0",
		     "8:16 0 1000 2 max_held 16777217",
		     "8:16 0 1000 4 max_held 1 max_held 2",
	     }) {
		SCOPED_TRACE(bad);
		EXPECT_THROW(parse_params(bad), std::invalid_argument);
	}
}

TEST(Table, BuildRefusesWhatTheKernelWould)
{
	EXPECT_THROW(build_params(params("", 0, 1)), std::invalid_argument);
	EXPECT_THROW(build_params(params("/dev/my disk", 0, 1)), std::invalid_argument);
	EXPECT_THROW(build_params(params("/dev/sdb", 0, 86400001)), std::invalid_argument);
	IohangParams p = params("/dev/sdb", 0, 1);
	p.options.retry_interval_ms = 0;
	EXPECT_THROW(build_params(p), std::invalid_argument);
	p = params("/dev/sdb", 0, 1);
	p.options.retry_on = 0;
	EXPECT_THROW(build_params(p), std::invalid_argument);
	p = params("/dev/sdb", 0, 1);
	p.options.max_held = 0;
	EXPECT_THROW(build_params(p), std::invalid_argument);
}

} // namespace
} // namespace iohang
