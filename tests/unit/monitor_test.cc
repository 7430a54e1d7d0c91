// SPDX-License-Identifier: GPL-2.0
// `monitor` against a fake event source: filtering, output, hooks, and
// the ways it stops.
#include <gtest/gtest.h>

#include <signal.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <deque>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iterator>
#include <regex>

#include "cli_harness.h"
#include "fake_event_source.h"
#include "temporary_directory.h"
#include "sys/unique_fd.h"

namespace iohang::testing {
namespace {

class Monitor : public ::testing::Test {
protected:
	CliResult run(const std::vector<std::string> &arguments)
	{
		std::vector<std::string> full = {"monitor"};
		full.insert(full.end(), arguments.begin(), arguments.end());
		return run_cli(full, dm, [this](const EventSourceOptions &options) -> std::unique_ptr<EventSource> {
			origins.push_back(options.origin);
			buffer_sizes.push_back(options.receive_buffer_bytes);
			return std::move(source);
		});
	}

	FakeDeviceMapper dm;
	std::unique_ptr<FakeEventSource> source = std::make_unique<FakeEventSource>();
	std::vector<EventOrigin> origins;
	std::vector<int> buffer_sizes;
};

std::vector<std::string> lines(const std::string &text)
{
	std::vector<std::string> out;
	std::size_t pos = 0;
	while (pos < text.size()) {
		const std::size_t end = text.find('\n', pos);
		out.push_back(text.substr(pos, end - pos));
		pos = end == std::string::npos ? text.size() : end + 1;
	}
	return out;
}

TEST_F(Monitor, RelaysMatchingEventsAsTextUntilCount)
{
	source->push({{"ACTION", "change"}, {"DM_TARGET", "linear"}, {"DM_NAME", "x"}});
	source->push(iohang_uevent("ioh0", "HANG", "3"));
	source->push(iohang_uevent("other", "HANG"));
	UeventProperties recover = iohang_uevent("ioh0", "RECOVER", "0");
	recover["DM_IOHANG_DURATION_MS"] = "250";
	source->push(recover);
	source->push(iohang_uevent("ioh0", "TIMEOUT")); // after --count: not shown

	const CliResult r = run({"ioh0", "--count", "2"});
	EXPECT_EQ(r.status, 0) << r.err;
	const auto out = lines(r.out);
	ASSERT_EQ(out.size(), 2u) << r.out;
	const std::regex time(R"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z )");
	EXPECT_TRUE(std::regex_search(out[0], time));
	EXPECT_EQ(out[0].substr(25), "ioh0 hang held=3");
	EXPECT_EQ(out[1].substr(25), "ioh0 recover held=0 duration_ms=250");
	EXPECT_EQ(origins, std::vector<EventOrigin>{EventOrigin::kKernel});
}

TEST_F(Monitor, JsonLines)
{
	source->push(iohang_uevent("ioh0", "FAIL_ALL", "2"));
	const CliResult r = run({"--json", "--count", "1", "--source", "udev"});
	EXPECT_EQ(r.status, 0) << r.err;
	EXPECT_TRUE(std::regex_match(
		r.out, std::regex(R"(\{"version":1,"time":"[-0-9T:.]+Z","name":"ioh0","uuid":"","kernel_name":"dm-0",)"
				  R"("action":"fail_all","state":null,"held":2,"duration_ms":null,"failed":null,"requeued":null\}\n)")))
		<< r.out;
	EXPECT_EQ(origins, std::vector<EventOrigin>{EventOrigin::kUdev});
}

TEST_F(Monitor, ReceiveBufferSize)
{
	source->push(iohang_uevent("ioh0", "HANG"));
	EXPECT_EQ(run({"--count", "1", "--receive-buffer", "65536"}).status, 0);
	EXPECT_EQ(buffer_sizes, std::vector<int>{65536});
	EXPECT_EQ(run({"--receive-buffer", "100"}).status, 2);
	EXPECT_EQ(run({"--receive-buffer", "3000000000"}).status, 2);
}

TEST_F(Monitor, QuietPrintsNothing)
{
	source->push(iohang_uevent("ioh0", "HANG"));
	const CliResult r = run({"--quiet", "--count", "1"});
	EXPECT_EQ(r.status, 0);
	EXPECT_EQ(r.out, "");
}

TEST_F(Monitor, StopsAfterDuration)
{
	const auto start = std::chrono::steady_clock::now();
	const CliResult r = run({"--duration", "150ms"});
	const auto took = std::chrono::steady_clock::now() - start;
	EXPECT_EQ(r.status, 0) << r.err;
	EXPECT_GE(took, std::chrono::milliseconds(150));
	EXPECT_LT(took, std::chrono::seconds(5));
}

TEST_F(Monitor, StopsOnSigterm)
{
	source->push(iohang_uevent("ioh0", "HANG"));
	// SIGTERM arrives while the monitor runs (it is blocked and read
	// through the signalfd, so it does not kill the test).
	source->on_receive = [] { ::kill(::getpid(), SIGTERM); };
	const CliResult r = run({"--duration", "10s"});
	EXPECT_EQ(r.status, 0) << r.err;
	EXPECT_EQ(lines(r.out).size(), 1u);
}

TEST_F(Monitor, ReportsLostEvents)
{
	source->push(iohang_uevent("ioh0", "HANG"));
	source->overflow = true;
	const CliResult r = run({"--count", "1"});
	EXPECT_NE(r.err.find("uevents were lost"), std::string::npos) << r.err;
}

TEST_F(Monitor, RunsHooksWithTheEventAndNeverDropsOne)
{
	char dir_template[] = "/tmp/iohangctl-test-XXXXXX";
	ASSERT_NE(::mkdtemp(dir_template), nullptr);
	const std::string file = std::string(dir_template) + "/hooks";
	::setenv("IOHANG_HELD", "stale", 1); // the event's value must win
	::setenv("IOHANG_DURATION_MS", "stale", 1); // and none but the event's pass

	for (int i = 0; i < 6; ++i)
		source->push(iohang_uevent("ioh" + std::to_string(i), "HANG", std::to_string(i)));
	// One hook at a time, each slow enough that the others must queue.
	const CliResult r = run({"--count", "6", "--max-hooks", "1", "--exec",
				 "sleep 0.05; echo \"$IOHANG_DEVICE $IOHANG_ACTION $IOHANG_HELD "
				 "${IOHANG_DURATION_MS-unset} $IOHANG_TIME\" >> " + file});
	::unsetenv("IOHANG_HELD");
	::unsetenv("IOHANG_DURATION_MS");
	EXPECT_EQ(r.status, 0) << r.err;
	EXPECT_EQ(lines(r.out).size(), 6u);

	std::ifstream in(file);
	std::vector<std::string> got;
	for (std::string line; std::getline(in, line);)
		got.push_back(line.substr(0, line.rfind(' ')));
	EXPECT_EQ(got, (std::vector<std::string>{"ioh0 hang 0 unset", "ioh1 hang 1 unset",
						  "ioh2 hang 2 unset", "ioh3 hang 3 unset",
						  "ioh4 hang 4 unset", "ioh5 hang 5 unset"}));
	std::remove(file.c_str());
	::rmdir(dir_template);
}

bool process_gone(pid_t pid)
{
	std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
	std::string line;
	if (!std::getline(stat, line))
		return true;
	// A zombie waits for a reaper that is not us; it is dead all the same.
	return line.find(") Z ") != std::string::npos;
}

TEST_F(Monitor, HookTimeoutKillsTheHooksProcessGroup)
{
	char dir_template[] = "/tmp/iohangctl-test-XXXXXX";
	ASSERT_NE(::mkdtemp(dir_template), nullptr);
	const std::string file = std::string(dir_template) + "/child";
	source->push(iohang_uevent("ioh0", "HANG"));
	const auto start = std::chrono::steady_clock::now();
	const CliResult r = run({"--count", "1", "--hook-timeout", "300ms", "--exec",
				 "sleep 30 & echo $! > " + file + "; wait"});
	EXPECT_EQ(r.status, 0) << r.err;
	EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(10));
	EXPECT_NE(r.err.find("hook ran longer than 300ms: killed"), std::string::npos) << r.err;
	pid_t child = 0;
	std::ifstream(file) >> child;
	ASSERT_GT(child, 0);
	for (int i = 0; i < 50 && !process_gone(child); ++i)
		::usleep(20 * 1000);
	EXPECT_TRUE(process_gone(child)) << "the hook's own child " << child << " lives on";
	std::remove(file.c_str());
	::rmdir(dir_template);
}

TEST_F(Monitor, HookQueueIsCappedAndDropsAreCounted)
{
	for (int i = 0; i < 6; ++i)
		source->push(iohang_uevent("ioh0", "HANG"));
	const CliResult r = run({"--count", "6", "--max-hooks", "1", "--max-queued-hooks", "2",
				 "--exec", "sleep 0.2"});
	EXPECT_EQ(r.status, 0) << r.err;
	EXPECT_NE(r.err.find("3 hook(s) dropped: the queue of 2 was full"), std::string::npos)
		<< r.err;
}

TEST_F(Monitor, HooksReadNothingFromTheMonitorsStdin)
{
	source->push(iohang_uevent("ioh0", "HANG"));
	// The monitor's own stdin is a pipe here, as under some supervisors.
	int fds[2];
	ASSERT_EQ(::pipe(fds), 0);
	UniqueFd read_end(fds[0]), write_end(fds[1]), saved_stdin(::dup(STDIN_FILENO));
	ASSERT_EQ(::dup2(read_end.get(), STDIN_FILENO), STDIN_FILENO);
	const CliResult r = run({"--count", "1", "--exec",
				 "[ \"$(readlink /proc/$$/fd/0)\" = /dev/null ] || exit 9"});
	::dup2(saved_stdin.get(), STDIN_FILENO);
	EXPECT_EQ(r.status, 0);
	EXPECT_EQ(r.err, "iohangctl: monitor: ready\n");
}

TEST_F(Monitor, TheWaitForHooksAtShutdownIsBounded)
{
	for (int i = 0; i < 3; ++i)
		source->push(iohang_uevent("ioh0", "HANG"));
	const auto start = std::chrono::steady_clock::now();
	const CliResult r = run({"--count", "3", "--max-hooks", "1", "--hook-timeout", "500ms",
				 "--exec", "sleep 30"});
	EXPECT_EQ(r.status, 0) << r.err;
	EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(5));
	EXPECT_NE(r.err.find("queued hook(s) not run"), std::string::npos) << r.err;
}

TEST_F(Monitor, SignalsReadinessOnStderrAndToSystemd)
{
	char dir_template[] = "/tmp/iohangctl-test-XXXXXX";
	ASSERT_NE(::mkdtemp(dir_template), nullptr);
	const std::string path = std::string(dir_template) + "/notify";
	UniqueFd systemd(::socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0));
	sockaddr_un address{};
	address.sun_family = AF_UNIX;
	std::strncpy(address.sun_path, path.c_str(), sizeof(address.sun_path) - 1);
	ASSERT_EQ(::bind(systemd.get(), reinterpret_cast<sockaddr *>(&address), sizeof(address)), 0);

	source->push(iohang_uevent("ioh0", "HANG"));
	::setenv("NOTIFY_SOCKET", path.c_str(), 1);
	const CliResult r = run({"--count", "1"});
	::unsetenv("NOTIFY_SOCKET");
	EXPECT_EQ(r.status, 0) << r.err;
	EXPECT_EQ(r.err, "iohangctl: monitor: ready\n");
	char message[64] = {};
	EXPECT_EQ(::recv(systemd.get(), message, sizeof(message) - 1, 0), 7);
	EXPECT_STREQ(message, "READY=1");
	std::remove(path.c_str());
	::rmdir(dir_template);
}

TEST_F(Monitor, ReportsAFailingHook)
{
	source->push(iohang_uevent("ioh0", "HANG"));
	const CliResult r = run({"--count", "1", "--exec", "exit 3"});
	EXPECT_EQ(r.status, 0);
	EXPECT_NE(r.err.find("hook exited with status 3"), std::string::npos) << r.err;
}

std::string read_file(const std::string &path)
{
	std::ifstream in(path);
	return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

bool has_line(const std::string &text, const std::string &line)
{
	const auto all = lines(text);
	return std::find(all.begin(), all.end(), line) != all.end();
}

TEST_F(Monitor, MetricsTextfileIsWrittenAtStartAndAfterEachEvent)
{
	TemporaryDirectory dir;
	const std::string file = dir.path() + "/iohang.prom";
	dm.add_iohang("ioh", "8:16 0 60000");
	std::string at_first_event;
	source->on_receive = [&] {
		at_first_event = read_file(file);
		dm.devices["ioh"].status = "hung 1 1 0 0 0 0 0 0";
	};
	source->push(iohang_uevent("ioh", "HANG"));
	const CliResult r = run({"--count", "1", "--quiet", "--metrics-textfile", dir.path()});
	EXPECT_EQ(r.status, 0) << r.err;
	EXPECT_TRUE(has_line(at_first_event, R"(iohang_state{name="ioh",uuid="",state="ok"} 1)"))
		<< at_first_event;
	const std::string after = read_file(file);
	EXPECT_TRUE(has_line(after, R"(iohang_state{name="ioh",uuid="",state="hung"} 1)")) << after;
	EXPECT_TRUE(has_line(after, R"(iohang_held_bios{name="ioh",uuid=""} 1)")) << after;
}

// Devices come and go with uevents that are no iohang events.
TEST_F(Monitor, MetricsTextfileFollowsOtherBlockUevents)
{
	TemporaryDirectory dir;
	source->on_receive = [&] { dm.add_iohang("new", "8:16 0 60000"); };
	source->push({{"ACTION", "change"}, {"DM_NAME", "new"}});
	const CliResult r = run({"--duration", "300ms", "--metrics-textfile", dir.path()});
	EXPECT_EQ(r.status, 0) << r.err;
	EXPECT_TRUE(has_line(read_file(dir.path() + "/iohang.prom"),
			     R"(iohang_held_bios{name="new",uuid=""} 0)"));
}

TEST_F(Monitor, MetricsTextfileInAMissingDirectoryStopsTheStart)
{
	TemporaryDirectory dir;
	const CliResult r = run({"--metrics-textfile", dir.path() + "/missing"});
	EXPECT_EQ(r.status, 1);
	EXPECT_EQ(r.err, "iohangctl: monitor: cannot create a temporary file in " + dir.path() +
				 "/missing: No such file or directory\n");
}

TEST_F(Monitor, MetricsTextfileFailingLaterIsReportedAndTheMonitorGoesOn)
{
	TemporaryDirectory dir;
	const std::string textfiles = dir.path() + "/textfiles";
	std::filesystem::create_directory(textfiles);
	source->on_receive = [&] { std::filesystem::remove_all(textfiles); };
	source->push(iohang_uevent("ioh", "HANG"));
	source->push(iohang_uevent("ioh", "RECOVER"));
	const CliResult r = run({"--count", "2", "--metrics-textfile", textfiles});
	EXPECT_EQ(r.status, 0) << r.err;
	EXPECT_EQ(lines(r.out).size(), 2u);
	EXPECT_NE(r.err.find("iohangctl: monitor: cannot write the metrics: cannot create a "
			     "temporary file in " + textfiles),
		  std::string::npos)
		<< r.err;
}

TEST_F(Monitor, EventSourceFailureExitsOne)
{
	const CliResult r = run_cli({"monitor"}, dm, [](const EventSourceOptions &) -> std::unique_ptr<EventSource> {
		throw OperationError("cannot listen to kernel uevents: Permission denied");
	});
	EXPECT_EQ(r.status, 1);
	EXPECT_EQ(r.err, "iohangctl: monitor: cannot listen to kernel uevents: Permission denied\n");
}

} // namespace
} // namespace iohang::testing
