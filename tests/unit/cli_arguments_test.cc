// SPDX-License-Identifier: GPL-2.0
// Command-line handling of every subcommand: what is accepted, and that
// what is not exits 2 with a message saying what was expected, before
// anything reaches device-mapper.
#include <gtest/gtest.h>

#include "cli/commands.h"
#include "cli_harness.h"

namespace iohang::testing {
namespace {

class CliArguments : public ::testing::Test {
protected:
	CliResult run(const std::vector<std::string> &arguments) { return run_cli(arguments, dm); }

	void expect_usage_error(const std::vector<std::string> &arguments, const std::string &expected)
	{
		std::string joined;
		for (const auto &a : arguments)
			joined += a + " ";
		SCOPED_TRACE(joined);
		const CliResult r = run(arguments);
		EXPECT_EQ(r.status, 2);
		EXPECT_NE(r.err.find(expected), std::string::npos) << r.err;
		EXPECT_NE(r.err.find("--help"), std::string::npos) << r.err;
		EXPECT_TRUE(r.out.empty());
		EXPECT_TRUE(dm.calls.empty());
	}

	FakeDeviceMapper dm;
};

TEST_F(CliArguments, EveryCommandIsRegistered)
{
	for (const char *name : {"create", "remove", "list", "status", "metrics", "set", "fail",
				 "retry", "reset-stats", "swap", "table", "monitor", "wait"}) {
		SCOPED_TRACE(name);
		EXPECT_NE(find_action(name), nullptr);
		const CliResult r = run({name, "--help"});
		EXPECT_EQ(r.status, 0);
		EXPECT_NE(r.out.find(std::string("Usage: iohangctl ") + name), std::string::npos);
		EXPECT_NE(r.out.find("--help"), std::string::npos);
		EXPECT_EQ(run({"help", name}).out, r.out);
	}
}

TEST_F(CliArguments, GlobalHelpAndVersion)
{
	const CliResult help = run({"--help"});
	EXPECT_EQ(help.status, 0);
	EXPECT_NE(help.out.find("reset-stats"), std::string::npos);
	EXPECT_EQ(run({"-h"}).out, help.out);
	EXPECT_EQ(run({"help"}).out, help.out);
	const CliResult version = run({"--version"});
	EXPECT_EQ(version.status, 0);
	EXPECT_EQ(version.out.rfind("iohangctl " IOHANG_PROJECT_VERSION " ", 0), 0u) << version.out;
}

TEST_F(CliArguments, NoOrUnknownCommand)
{
	expect_usage_error({}, "no command given");
	expect_usage_error({"frobnicate"}, "unknown command 'frobnicate'");
	expect_usage_error({"help", "frobnicate"}, "unknown command 'frobnicate'");
}

TEST_F(CliArguments, Create)
{
	expect_usage_error({"create"}, "missing operand NAME");
	expect_usage_error({"create", "ioh"}, "missing operand DEVICE");
	expect_usage_error({"create", "ioh", "/dev/sdb", "extra"}, "too many positional");
	expect_usage_error({"create", "a/b", "/dev/sdb"}, "invalid device name");
	expect_usage_error({"create", std::string(128, 'x'), "/dev/sdb"}, "invalid device name");
	expect_usage_error({"create", "ioh", "/dev/sdb", "--timeout", "60"}, "missing unit");
	expect_usage_error({"create", "ioh", "/dev/sdb", "--timeout", "2d"}, "unknown unit");
	expect_usage_error({"create", "ioh", "/dev/sdb", "--timeout", "25h"}, "above the maximum of 24h");
	expect_usage_error({"create", "ioh", "/dev/sdb", "--timeout"}, "--timeout");
	expect_usage_error({"create", "ioh", "/dev/sdb", "--retry-interval", "0s"}, "expected 1ms to 1h");
	expect_usage_error({"create", "ioh", "/dev/sdb", "--retry-interval", "2h"}, "expected 1ms to 1h");
	expect_usage_error({"create", "ioh", "/dev/sdb", "--retry-on", "eio"}, "unknown status 'eio'");
	expect_usage_error({"create", "ioh", "/dev/sdb", "--retry-on", ""}, "--retry-on");
	expect_usage_error({"create", "ioh", "/dev/sdb", "--max-held", "0"}, "expected an integer from 1 to 16777216");
	expect_usage_error({"create", "ioh", "/dev/sdb", "--max-held", "16777217"}, "out of range");
	expect_usage_error({"create", "ioh", "/dev/sdb", "--max-held", "-3"}, "--max-held");
	expect_usage_error({"create", "ioh", "/dev/sdb", "--offset", "x"}, "--offset");
	expect_usage_error({"create", "ioh", "/dev/sdb", "--bogus"}, "unrecognised option '--bogus'");
	expect_usage_error({"create", "ioh", "/dev/sdb", "--time", "1s"}, "unrecognised option");
	expect_usage_error({"create", "ioh", "/dev/my disk"}, "without spaces");
	expect_usage_error({"create", "ioh", "/dev/sdb", "--probe=yes"}, "--probe");
}

TEST_F(CliArguments, Remove)
{
	expect_usage_error({"remove"}, "missing operand NAME");
	expect_usage_error({"remove", "ioh", "--force=1"}, "--force");
}

TEST_F(CliArguments, ListAndStatus)
{
	expect_usage_error({"list", "ioh"}, "too many positional");
	expect_usage_error({"list", "--jsn"}, "unrecognised option");
	expect_usage_error({"status", "--json=x"}, "--json");
	EXPECT_EQ(run({"list", "--json"}).status, 0);
	EXPECT_EQ(run({"status"}).status, 0);
}

TEST_F(CliArguments, Set)
{
	expect_usage_error({"set"}, "missing operand NAME");
	expect_usage_error({"set", "ioh"}, "nothing to set (expected --timeout and/or --retry-interval)");
	expect_usage_error({"set", "ioh", "--timeout", "5"}, "missing unit");
	expect_usage_error({"set", "ioh", "--timeout", "1.5"}, "missing unit");
	expect_usage_error({"set", "ioh", "--timeout", "2d"}, "unknown unit");
	expect_usage_error({"set", "ioh", "--timeout", "86400001ms"}, "above the maximum");
	expect_usage_error({"set", "ioh", "--retry-interval", "0"}, "expected 1ms to 1h");
	expect_usage_error({"set", "ioh", "other"}, "too many positional");
}

TEST_F(CliArguments, MessageCommands)
{
	for (const char *command : {"fail", "retry", "reset-stats"}) {
		expect_usage_error({command}, "missing operand NAME");
		expect_usage_error({command, "a", "b"}, "too many positional");
		expect_usage_error({command, "a", "--now"}, "unrecognised option");
	}
}

TEST_F(CliArguments, Swap)
{
	expect_usage_error({"swap"}, "missing operand NAME");
	expect_usage_error({"swap", "ioh"}, "missing operand NEW_DEVICE");
	expect_usage_error({"swap", "ioh", "/dev/sdc", "/dev/sdd"}, "too many positional");
	expect_usage_error({"swap", "ioh", "/dev/sdc", "--offset", "-1"}, "--offset");
}

TEST_F(CliArguments, Table)
{
	expect_usage_error({"table"}, "missing operand DEVICE");
	expect_usage_error({"table", "/dev/sdb", "--timeout", "1x"}, "unknown unit");
	expect_usage_error({"table", "/dev/sdb", "--uuid", "x"}, "unrecognised option");
}

TEST_F(CliArguments, Monitor)
{
	expect_usage_error({"monitor", "--count", "0"}, "expected an integer from 1");
	expect_usage_error({"monitor", "--count", "x"}, "--count");
	expect_usage_error({"monitor", "--duration", "10"}, "missing unit");
	expect_usage_error({"monitor", "--max-hooks", "0"}, "--max-hooks");
	expect_usage_error({"monitor", "--source", "netlink"}, "expected kernel or udev");
	expect_usage_error({"monitor", "--exec", ""}, "empty command");
	expect_usage_error({"monitor", "a/b"}, "invalid device name");
	expect_usage_error({"monitor", "--metrics-textfile", ""}, "--metrics-textfile: empty directory");
	expect_usage_error({"monitor", "--metrics-textfile"}, "--metrics-textfile");
}

TEST_F(CliArguments, Metrics)
{
	expect_usage_error({"metrics", "ioh"}, "too many positional");
	expect_usage_error({"metrics", "--textfile"}, "--textfile");
	expect_usage_error({"metrics", "--textfile", ""}, "--textfile: empty directory");
	expect_usage_error({"metrics", "--json"}, "unrecognised option");
}

TEST_F(CliArguments, UsageErrorNamesTheCommand)
{
	const CliResult r = run({"create", "ioh"});
	EXPECT_EQ(r.err, "iohangctl: create: missing operand DEVICE\n"
			 "Try 'iohangctl create --help'.\n");
}

} // namespace
} // namespace iohang::testing
