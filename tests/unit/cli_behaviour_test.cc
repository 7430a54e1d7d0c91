// SPDX-License-Identifier: GPL-2.0
// What each subcommand asks of device-mapper, checked against the fake.
#include <gtest/gtest.h>

#include "cli_harness.h"

namespace iohang::testing {
namespace {

using Calls = std::vector<std::string>;

class CliBehaviour : public ::testing::Test {
protected:
	void SetUp() override
	{
		dm.block_devices["/dev/sdb"] = {2048, "8:16"};
		dm.block_devices["/dev/sdc"] = {4096, "8:32"};
		dm.block_devices["/dev/small"] = {1024, "8:48"};
		dm.device_names["8:16"] = "/dev/sdb";
	}
	CliResult run(const std::vector<std::string> &arguments) { return run_cli(arguments, dm); }

	FakeDeviceMapper dm;
};

TEST_F(CliBehaviour, CreateWithDefaults)
{
	const CliResult r = run({"create", "ioh", "/dev/sdb"});
	EXPECT_EQ(r.status, 0) << r.err;
	EXPECT_EQ(dm.calls, Calls{"create ioh uuid=IOHANG-ioh | 0 2048 iohang 8:16 0 60000"});
}

// A path such as /dev/disk/by-path/... moves during an iSCSI relogin; the
// number the tool opened does not (LVM and multipath write it too).
TEST_F(CliBehaviour, TablesNameTheDeviceByTheNumberThatWasOpened)
{
	dm.block_devices["/dev/disk/by-path/ip-10.0.0.1:3260-iscsi-lun-0"] = {2048, "8:64"};
	EXPECT_EQ(run({"table", "/dev/disk/by-path/ip-10.0.0.1:3260-iscsi-lun-0"}).out,
		  "0 2048 iohang 8:64 0 60000\n");
}

TEST_F(CliBehaviour, NoUdevSyncReachesDeviceMapper)
{
	EXPECT_EQ(run({"create", "ioh", "/dev/sdb", "--noudevsync"}).status, 0);
	EXPECT_FALSE(dm.udev_sync);
	dm.udev_sync = true;
	EXPECT_EQ(run({"--noudevsync", "remove", "ioh"}).status, 0);
	EXPECT_FALSE(dm.udev_sync);
	dm.udev_sync = true;
	EXPECT_EQ(run({"list"}).status, 0);
	EXPECT_TRUE(dm.udev_sync);
}

// IOHANG-, like mpath-, LVM- and CRYPT-: other tools can tell what it is.
TEST_F(CliBehaviour, UuidsCarryThePrefix)
{
	EXPECT_EQ(run({"create", "a", "/dev/sdb", "--uuid", "site-1"}).status, 0);
	EXPECT_EQ(run({"create", "b", "/dev/sdb", "--uuid", "IOHANG-site-2"}).status, 0);
	EXPECT_EQ(dm.devices["a"].uuid, "IOHANG-site-1");
	EXPECT_EQ(dm.devices["b"].uuid, "IOHANG-site-2");
}

TEST_F(CliBehaviour, SelectsByUuid)
{
	dm.add_iohang("ioh", "8:16 0 60000");
	dm.devices["ioh"].uuid = "IOHANG-x";
	dm.add_iohang("other", "8:16 0 60000");
	EXPECT_EQ(run({"fail", "-u", "IOHANG-x"}).status, 0);
	EXPECT_EQ(run({"set", "--uuid", "IOHANG-x", "--timeout", "1s"}).status, 0);
	EXPECT_EQ(dm.calls, (Calls{"message ioh fail_all", "message ioh set_timeout 1000"}));
	CliResult r = run({"status", "-u", "IOHANG-x"});
	EXPECT_EQ(r.status, 0) << r.err;
	EXPECT_NE(r.out.find("\nioh "), std::string::npos) << r.out;
	EXPECT_EQ(r.out.find("other"), std::string::npos) << r.out;
	r = run({"retry", "-u", "IOHANG-nothere"});
	EXPECT_EQ(r.status, 1);
	EXPECT_EQ(r.err, "iohangctl: no device-mapper device with UUID 'IOHANG-nothere'\n");
	r = run({"retry", "ioh", "-u", "IOHANG-x"});
	EXPECT_EQ(r.status, 2);
	EXPECT_NE(r.err.find("NAME or --uuid, not both"), std::string::npos) << r.err;
	EXPECT_EQ(run({"remove", "-u", "IOHANG-x"}).status, 0);
	EXPECT_EQ(dm.devices.count("ioh"), 0u);
}

TEST_F(CliBehaviour, SwapSelectsByUuid)
{
	dm.add_iohang("ioh", "8:16 0 60000");
	dm.devices["ioh"].uuid = "IOHANG-x";
	const CliResult r = run({"swap", "-u", "IOHANG-x", "/dev/sdc"});
	EXPECT_EQ(r.status, 0) << r.err;
	EXPECT_EQ(dm.calls, (Calls{"reload ioh 0 2048 iohang 8:32 0 60000", "suspend ioh noflush",
				   "resume ioh"}));
	EXPECT_EQ(run({"swap", "ioh", "/dev/sdc", "-u", "IOHANG-x"}).status, 2);
	const CliResult missing = run({"swap", "-u", "IOHANG-x"});
	EXPECT_EQ(missing.status, 2);
	EXPECT_NE(missing.err.find("missing operand NEW_DEVICE"), std::string::npos) << missing.err;
}

TEST_F(CliBehaviour, CreateWithEveryOption)
{
	const CliResult r = run({"create", "ioh", "/dev/sdb", "--timeout", "1.5m", "--retry-interval",
				 "250ms", "--retry-on", "offline,transport", "--retry-all", "--hold-new-io",
				 "--max-held", "32", "--fail-flush", "--uuid", "IOHANG-1", "--read-only",
				 "--offset", "48"});
	EXPECT_EQ(r.status, 0) << r.err;
	EXPECT_EQ(dm.calls,
		  Calls{"create ioh uuid=IOHANG-1 ro | 0 2000 iohang 8:16 48 90000 9 "
			"retry_interval_ms 250 retry_on transport,offline retry_all hold_new_io "
			"max_held 32 fail_flush"});
}

TEST_F(CliBehaviour, CreateTimeoutZeroDisablesHolding)
{
	EXPECT_EQ(run({"create", "ioh", "/dev/sdb", "--timeout", "0"}).status, 0);
	EXPECT_EQ(dm.calls, Calls{"create ioh uuid=IOHANG-ioh | 0 2048 iohang 8:16 0 0"});
}

TEST_F(CliBehaviour, CreateFailuresExitOneWithTheReason)
{
	CliResult r = run({"create", "ioh", "/dev/missing"});
	EXPECT_EQ(r.status, 1);
	EXPECT_EQ(r.err, "iohangctl: create ioh: cannot open /dev/missing: No such file or directory\n");
	EXPECT_TRUE(dm.calls.empty());

	r = run({"create", "ioh", "/dev/sdb", "--offset", "2048"});
	EXPECT_EQ(r.status, 1);
	EXPECT_NE(r.err.find("none left after offset 2048"), std::string::npos);

	dm.failures["create"] = "device-mapper create failed: Invalid argument (see dmesg for the target's reason)";
	r = run({"create", "ioh", "/dev/sdb"});
	EXPECT_EQ(r.status, 1);
	EXPECT_EQ(r.err, "iohangctl: create ioh: device-mapper create failed: Invalid argument "
			 "(see dmesg for the target's reason)\n");
}

TEST_F(CliBehaviour, CreateRefusesAnExistingName)
{
	dm.add_iohang("ioh", "8:16 0 60000");
	const CliResult r = run({"create", "ioh", "/dev/sdb"});
	EXPECT_EQ(r.status, 1);
	EXPECT_EQ(r.err, "iohangctl: create ioh: a device-mapper device named 'ioh' exists already\n");
	EXPECT_TRUE(dm.calls.empty());
}

TEST_F(CliBehaviour, TablePrintsTheCreateLine)
{
	CliResult r = run({"table", "/dev/sdb"});
	EXPECT_EQ(r.status, 0) << r.err;
	EXPECT_EQ(r.out, "0 2048 iohang 8:16 0 60000\n");
	r = run({"table", "/dev/sdc", "--timeout", "30s", "--retry-interval", "500ms", "--retry-all"});
	EXPECT_EQ(r.out, "0 4096 iohang 8:32 0 30000 3 retry_interval_ms 500 retry_all\n");
	// Probing is the target's default since 1.2.0: --probe asks for nothing.
	r = run({"table", "/dev/sdc", "--probe"});
	EXPECT_EQ(r.out, "0 4096 iohang 8:32 0 60000\n");
	r = run({"table", "/dev/sdc", "--probe", "--retry-all"});
	EXPECT_EQ(r.status, 2);
	EXPECT_NE(r.err.find("--probe and --retry-all exclude each other"), std::string::npos) << r.err;
	EXPECT_TRUE(dm.calls.empty());
	EXPECT_EQ(run({"table", "/dev/nothing"}).status, 1);
}

TEST_F(CliBehaviour, RemoveChecksItIsIohang)
{
	dm.add_iohang("ioh", "8:16 0 60000");
	dm.devices["lin"].table = {{0, 8, "linear", "8:16 0"}};
	CliResult r = run({"remove", "ioh"});
	EXPECT_EQ(r.status, 0) << r.err;
	EXPECT_EQ(dm.calls, Calls{"remove ioh"});

	dm.calls.clear();
	r = run({"remove", "lin"});
	EXPECT_EQ(r.status, 1);
	EXPECT_NE(r.err.find("lin is not an iohang device"), std::string::npos);
	EXPECT_TRUE(dm.calls.empty());
}

TEST_F(CliBehaviour, RemoveForceFailsHeldIoFirst)
{
	dm.add_iohang("ioh", "8:16 0 60000", 2048, "hung 5 1 0 0 3 100 0 0");
	EXPECT_EQ(run({"remove", "--force", "ioh"}).status, 0);
	EXPECT_EQ(dm.calls, (Calls{"message ioh fail_all", "remove ioh"}));
}

TEST_F(CliBehaviour, RemoveBusyReportsAndGoesOn)
{
	dm.add_iohang("a", "8:16 0 60000");
	dm.add_iohang("b", "8:16 0 60000");
	dm.failures["remove"] = "device-mapper remove failed: device busy";
	const CliResult r = run({"remove", "a", "b"});
	EXPECT_EQ(r.status, 1);
	EXPECT_EQ(dm.calls, (Calls{"remove a", "remove b"}));
	EXPECT_NE(r.err.find("iohangctl: remove a: device-mapper remove failed: device busy"),
		  std::string::npos);
	EXPECT_NE(r.err.find("2 of 2 devices not removed"), std::string::npos);
}

TEST_F(CliBehaviour, SetSendsTheMessagesInMilliseconds)
{
	dm.add_iohang("ioh", "8:16 0 60000");
	EXPECT_EQ(run({"set", "ioh", "--timeout", "2m", "--retry-interval", "1.5s"}).status, 0);
	EXPECT_EQ(dm.calls, (Calls{"message ioh set_timeout 120000",
				   "message ioh set_retry_interval 1500"}));
	dm.calls.clear();
	EXPECT_EQ(run({"set", "ioh", "--timeout", "0"}).status, 0);
	EXPECT_EQ(dm.calls, Calls{"message ioh set_timeout 0"});
	dm.calls.clear();
	EXPECT_EQ(run({"set", "ioh", "--retry-interval", "10ms"}).status, 0);
	EXPECT_EQ(dm.calls, Calls{"message ioh set_retry_interval 10"});
}

TEST_F(CliBehaviour, SetChangesBothOrNeither)
{
	dm.add_iohang("ioh", "8:16 0 45000 2 retry_interval_ms 500");
	dm.failures["message set_retry_interval"] = "device-mapper message failed: Invalid argument";
	const CliResult r = run({"set", "ioh", "--timeout", "2m", "--retry-interval", "1s"});
	EXPECT_EQ(r.status, 1);
	// The timeout it had set is put back.
	EXPECT_EQ(dm.calls, (Calls{"message ioh set_timeout 120000",
				   "message ioh set_retry_interval 1000",
				   "message ioh set_timeout 45000"}));
	EXPECT_NE(r.err.find("set ioh: device-mapper message failed: Invalid argument; "
			     "the timeout is back at 45s"),
		  std::string::npos)
		<< r.err;
}

TEST_F(CliBehaviour, SetRejectedByTheKernel)
{
	dm.add_iohang("ioh", "8:16 0 60000");
	dm.failures["message"] = "device-mapper message failed: Invalid argument (see dmesg for the target's reason)";
	const CliResult r = run({"set", "ioh", "--timeout", "1s"});
	EXPECT_EQ(r.status, 1);
	EXPECT_EQ(r.err, "iohangctl: set ioh: device-mapper message failed: Invalid argument "
			 "(see dmesg for the target's reason)\n");
}

TEST_F(CliBehaviour, FailRetryResetStats)
{
	dm.add_iohang("ioh", "8:16 0 60000");
	EXPECT_EQ(run({"fail", "ioh"}).status, 0);
	EXPECT_EQ(run({"retry", "ioh"}).status, 0);
	EXPECT_EQ(run({"reset-stats", "ioh"}).status, 0);
	EXPECT_EQ(dm.calls, (Calls{"message ioh fail_all", "message ioh retry_now",
				   "message ioh reset_stats"}));
	const CliResult r = run({"fail", "nothere"});
	EXPECT_EQ(r.status, 1);
	EXPECT_EQ(r.err, "iohangctl: fail nothere: no device-mapper device named 'nothere'\n");
}

TEST_F(CliBehaviour, SwapReloadsSuspendsNoflushResumes)
{
	dm.add_iohang("ioh", "8:16 0 45000 3 retry_interval_ms 500 retry_all", 2048);
	const CliResult r = run({"swap", "ioh", "/dev/sdc"});
	EXPECT_EQ(r.status, 0) << r.err;
	EXPECT_EQ(dm.calls,
		  (Calls{"reload ioh 0 2048 iohang 8:32 0 45000 3 retry_interval_ms 500 retry_all",
			 "suspend ioh noflush", "resume ioh"}));
	EXPECT_EQ(dm.devices["ioh"].table.at(0).params,
		  "8:32 0 45000 3 retry_interval_ms 500 retry_all");
}

TEST_F(CliBehaviour, SwapKeepsTheLengthAndTakesAnOffset)
{
	dm.add_iohang("ioh", "8:16 100 60000", 2048);
	EXPECT_EQ(run({"swap", "ioh", "/dev/sdc", "--offset", "2048"}).status, 0);
	EXPECT_EQ(dm.calls.at(0), "reload ioh 0 2048 iohang 8:32 2048 60000");
}

TEST_F(CliBehaviour, SwapRefusesASmallerDevice)
{
	dm.add_iohang("ioh", "8:16 0 60000", 2048);
	CliResult r = run({"swap", "ioh", "/dev/small"});
	EXPECT_EQ(r.status, 1);
	EXPECT_NE(r.err.find("/dev/small is too small: the mapping needs 2048 sectors"),
		  std::string::npos);
	EXPECT_TRUE(dm.calls.empty());

	r = run({"swap", "ioh", "/dev/sdc", "--offset", "2049"});
	EXPECT_EQ(r.status, 1);
	r = run({"swap", "ioh", "/dev/sdc", "--offset", "99999"});
	EXPECT_EQ(r.status, 1);
	EXPECT_TRUE(dm.calls.empty());
}

TEST_F(CliBehaviour, SwapLoadFailureSuspendsNothing)
{
	dm.add_iohang("ioh", "8:16 0 60000", 2048);
	dm.failures["reload"] = "device-mapper reload failed: Invalid argument (see dmesg for the target's reason)";
	const CliResult r = run({"swap", "ioh", "/dev/sdc"});
	EXPECT_EQ(r.status, 1);
	EXPECT_EQ(dm.calls.size(), 1u);
	EXPECT_EQ(r.err, "iohangctl: swap ioh: device-mapper reload failed: Invalid argument "
			 "(see dmesg for the target's reason)\n");
}

TEST_F(CliBehaviour, SwapSuspendFailureDropsTheInactiveTable)
{
	dm.add_iohang("ioh", "8:16 0 60000", 2048);
	dm.failures["suspend"] = "device-mapper suspend failed: device busy";
	const CliResult r = run({"swap", "ioh", "/dev/sdc"});
	EXPECT_EQ(r.status, 1);
	EXPECT_EQ(dm.calls.at(1), "suspend ioh noflush");
	EXPECT_EQ(dm.calls.at(2), "clear ioh");
	EXPECT_EQ(dm.calls.size(), 3u);
}

TEST_F(CliBehaviour, SwapResumeFailureIsLoud)
{
	dm.add_iohang("ioh", "8:16 0 60000", 2048);
	dm.failures["resume"] = "device-mapper resume failed: Invalid argument";
	const CliResult r = run({"swap", "ioh", "/dev/sdc"});
	EXPECT_EQ(r.status, 1);
	EXPECT_NE(r.err.find("ioh IS LEFT SUSPENDED"), std::string::npos) << r.err;
	EXPECT_NE(r.err.find("dmsetup resume ioh"), std::string::npos) << r.err;
}

TEST_F(CliBehaviour, SwapRefusesANonIohangDevice)
{
	dm.devices["lin"].table = {{0, 8, "linear", "8:16 0"}};
	EXPECT_EQ(run({"swap", "lin", "/dev/sdc"}).status, 1);
	EXPECT_TRUE(dm.calls.empty());
}

TEST_F(CliBehaviour, ListShowsOnlySingleIohangTargets)
{
	dm.add_iohang("a-ioh", "8:16 0 30000 1 probe", 2048, "hung 2 1 0 0 4 1500 0 0");
	dm.add_iohang("b-ioh", "8:16 0 60000", 1024, "ok 0 0 0 0 0 0");
	dm.devices["c-linear"].table = {{0, 8, "linear", "8:16 0"}};
	dm.devices["d-two"].table = {{0, 8, "iohang", "8:16 0 1"}, {8, 8, "iohang", "8:16 8 1"}};

	CliResult r = run({"list"});
	EXPECT_EQ(r.status, 0) << r.err;
	EXPECT_NE(r.out.find("a-ioh"), std::string::npos);
	EXPECT_NE(r.out.find("b-ioh"), std::string::npos);
	EXPECT_EQ(r.out.find("c-linear"), std::string::npos);
	EXPECT_EQ(r.out.find("d-two"), std::string::npos);
	EXPECT_NE(r.out.find("/dev/sdb  hung"), std::string::npos) << r.out;
	EXPECT_EQ(std::count(r.out.begin(), r.out.end(), '\n'), 3);

	r = run({"list", "--json"});
	EXPECT_EQ(r.out.rfind("{\"version\":1,\"devices\":[{\"name\":\"a-ioh\"", 0), 0u) << r.out;
	EXPECT_NE(r.out.find("\"name\":\"b-ioh\""), std::string::npos);
	EXPECT_NE(r.out.find("\"overflowed\":null"), std::string::npos);
	EXPECT_EQ(r.out.back(), '\n');
	EXPECT_TRUE(dm.calls.empty());
}

TEST_F(CliBehaviour, ADeviceOfANewerModuleBreaksNothing)
{
	dm.add_iohang("a-new", "8:16 0 30000 3 probe drain_ms 5", 2048, "draining 2 1 0 0 4 10 0 0 7");
	dm.add_iohang("b-old", "8:16 0 60000", 1024, "ok 0 0 0 0 0 0 0 0");

	CliResult r = run({"list"});
	EXPECT_EQ(r.status, 0) << r.err;
	EXPECT_NE(r.out.find("a-new"), std::string::npos) << r.out;
	EXPECT_NE(r.out.find("unknown"), std::string::npos) << r.out;
	EXPECT_NE(r.out.find("b-old"), std::string::npos) << r.out;
	EXPECT_NE(r.err.find("a-new: not understood (a newer dm-iohang module?): state 'draining', "
			     "table options 'drain_ms 5'"),
		  std::string::npos)
		<< r.err;

	r = run({"status", "a-new", "--json"});
	EXPECT_EQ(r.status, 0) << r.err;
	EXPECT_NE(r.out.find("\"state\":\"unknown\""), std::string::npos) << r.out;
	EXPECT_NE(r.out.find("\"not_understood\":[\"state 'draining'\",\"table options 'drain_ms 5'\"]"),
		  std::string::npos) << r.out;

	EXPECT_EQ(run({"fail", "a-new"}).status, 0);
	// swap must write the table back and cannot with words it does not know.
	dm.calls.clear();
	r = run({"swap", "a-new", "/dev/sdc"});
	EXPECT_EQ(r.status, 1);
	EXPECT_NE(r.err.find("unknown option 'drain_ms'"), std::string::npos) << r.err;
	EXPECT_TRUE(dm.calls.empty());
}

TEST_F(CliBehaviour, VerboseReachesDeviceMapper)
{
	EXPECT_EQ(run({"list", "-v"}).status, 0);
	EXPECT_TRUE(dm.verbose);
	dm.verbose = false;
	EXPECT_EQ(run({"status", "--verbose"}).status, 0);
	EXPECT_TRUE(dm.verbose);
	dm.verbose = false;
	EXPECT_EQ(run({"-v", "list"}).status, 0);
	EXPECT_TRUE(dm.verbose);
	EXPECT_EQ(run({"list"}).status, 0);
	EXPECT_FALSE(dm.verbose);
}

// A stream whose every write fails, as stdout on a full disk (/dev/full).
class FullBuffer : public std::streambuf {
protected:
	int overflow(int) override { return traits_type::eof(); }
	std::streamsize xsputn(const char *, std::streamsize) override { return 0; }
};

TEST_F(CliBehaviour, AFullStdoutExitsOne)
{
	FullBuffer full;
	std::ostream out(&full);
	std::ostringstream err;
	Context context{dm, nullptr, out, err};
	EXPECT_EQ(iohang::run({"list"}, context), 1);
	EXPECT_NE(err.str().find("iohangctl: cannot write to standard output"), std::string::npos)
		<< err.str();
}

TEST_F(CliBehaviour, ListFailureExitsOne)
{
	dm.failures["list"] = "device-mapper list failed: Permission denied";
	const CliResult r = run({"list"});
	EXPECT_EQ(r.status, 1);
	EXPECT_EQ(r.err, "iohangctl: device-mapper list failed: Permission denied\n");
}

TEST_F(CliBehaviour, StatusOfNamedDevices)
{
	dm.add_iohang("a", "8:16 0 30000", 2048, "ok 0 1 1 0 2 10 0 0");
	dm.add_iohang("b", "8:16 0 30000", 2048, "hung 1 1 0 0 2 10 0 0");
	dm.devices["lin"].table = {{0, 8, "linear", "8:16 0"}};

	CliResult r = run({"status", "b", "--json"});
	EXPECT_EQ(r.status, 0) << r.err;
	EXPECT_EQ(r.out.find("\"name\":\"a\""), std::string::npos);
	EXPECT_NE(r.out.find("\"name\":\"b\""), std::string::npos);
	EXPECT_NE(r.out.find("\"state\":\"hung\""), std::string::npos);

	r = run({"status"});
	EXPECT_NE(r.out.find("\na "), std::string::npos);
	EXPECT_NE(r.out.find("\nb "), std::string::npos);

	r = run({"status", "lin"});
	EXPECT_EQ(r.status, 1);
	EXPECT_NE(r.err.find("status lin: lin is not an iohang device"), std::string::npos);

	r = run({"status", "gone"});
	EXPECT_EQ(r.status, 1);
	EXPECT_EQ(r.err, "iohangctl: status gone: no device-mapper device named 'gone'\n");
}

TEST_F(CliBehaviour, StatusShowsWhatDeviceMapperKnows)
{
	dm.add_iohang("a", "8:16 0 30000", 2048, "ok 0 0 0 0 0 0 0 0");
	dm.devices["a"].suspended = true;
	dm.devices["a"].read_only = true;
	dm.devices["a"].open_count = 2;
	const CliResult r = run({"status", "a", "--json"});
	EXPECT_EQ(r.status, 0) << r.err;
	EXPECT_NE(r.out.find("\"suspended\":true,\"read_only\":true,\"open_count\":2"),
		  std::string::npos) << r.out;
}

TEST_F(CliBehaviour, StatusWithAnUnreadableStatusLine)
{
	dm.add_iohang("a", "8:16 0 30000", 2048, "weird");
	const CliResult r = run({"status", "a"});
	EXPECT_EQ(r.status, 1);
	EXPECT_NE(r.err.find("cannot read the status of a"), std::string::npos) << r.err;
}

} // namespace
} // namespace iohang::testing
