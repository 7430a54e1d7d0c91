// SPDX-License-Identifier: GPL-2.0
// iohangctl monitor [NAME...] [options]
#include "cli/commands.h"
#include "cli/common.h"
#include "cli/list.h"
#include "cli/metrics.h"
#include "core/duration.h"
#include "core/errors.h"
#include "monitor/monitor_loop.h"

namespace iohang::action::monitor {

constexpr std::uint64_t kMaxHooksLimit = 1024;
constexpr std::uint64_t kMaxQueuedHooksLimit = 1000000;
constexpr std::uint64_t kMaxHookTimeoutMs = 3600 * 1000;

std::optional<std::string> hook_timeout_problem(std::uint64_t ms)
{
	return duration_range_problem(ms, 1, kMaxHookTimeoutMs);
}
// The kernel's floor is about this much anyway (SOCK_MIN_RCVBUF, doubled).
constexpr std::uint64_t kMinReceiveBuffer = 4096;

void get_arguments(po::options_description &options, po::options_description &hidden,
		   po::positional_options_description &positional)
{
	hidden.add_options()("names", po::value<std::vector<std::string>>());
	positional.add("names", -1);
	options.add_options()
		("json", po::bool_switch(), "print one JSON object per event (see iohangctl(8))")
		("quiet,q", po::bool_switch(), "print nothing on standard output")
		("syslog", po::bool_switch(), "send each event to syslog (facility daemon)")
		("exec", po::value<std::string>()->value_name("COMMAND"),
		 "run COMMAND with /bin/sh -c for each event, the event in IOHANG_* variables")
		("max-hooks", po::value<std::string>()->value_name("N"),
		 "at most N hooks at once; later events wait their turn (default 4)")
		("max-queued-hooks", po::value<std::string>()->value_name("N"),
		 "at most N events wait for a hook; more are dropped and counted (default 1000)")
		("hook-timeout", po::value<std::string>()->value_name("DURATION"),
		 "kill a hook's process group after DURATION (default 30s); "
		 "also the longest wait for hooks when the monitor stops")
		("count", po::value<std::string>()->value_name("N"), "exit after N events")
		("duration", po::value<std::string>()->value_name("DURATION"), "exit after DURATION")
		("source", po::value<std::string>()->value_name("SOURCE"),
		 "kernel: uevents straight from the kernel, no udevd needed (default); "
		 "udev: uevents as udevd passes them on")
		("receive-buffer", po::value<std::string>()->value_name("BYTES"),
		 "uevent socket receive buffer (default 134217728, 128 MiB)")
		("metrics-textfile", po::value<std::string>()->value_name("DIR"),
		 "keep DIR/iohang.prom (as 'iohangctl metrics --textfile DIR' writes it) "
		 "current: rewritten at start and after every event");
}

std::vector<IohangEvent> device_states(DeviceMapper &dm)
{
	std::vector<IohangEvent> states;
	const auto now = std::chrono::system_clock::now();
	for (const DeviceReport &report : report_all_iohang_devices(dm)) {
		IohangEvent state;
		state.time = now;
		state.name = report.name;
		state.action = kStateAction;
		state.state = std::string(to_string(report.status.state));
		state.held = report.status.held;
		states.push_back(std::move(state));
	}
	return states;
}

void execute(const po::variables_map &arguments, Context &context)
{
	MonitorSettings settings;
	settings.names = operand_list(arguments, "names");
	for (const auto &name : settings.names)
		check_device_name(name);
	settings.json = arguments["json"].as<bool>();
	settings.quiet = arguments["quiet"].as<bool>();
	settings.syslog = arguments["syslog"].as<bool>();
	if (arguments.count("exec")) {
		settings.exec = arguments["exec"].as<std::string>();
		if (settings.exec.empty())
			throw UsageError("--exec: empty command");
	}
	HookLimits &hooks = settings.hooks;
	hooks.max_running =
		integer_option(arguments, "max-hooks", 1, kMaxHooksLimit).value_or(hooks.max_running);
	hooks.max_queued = integer_option(arguments, "max-queued-hooks", 0, kMaxQueuedHooksLimit)
				   .value_or(hooks.max_queued);
	if (const auto timeout = duration_option(arguments, "hook-timeout", hook_timeout_problem))
		hooks.timeout = std::chrono::milliseconds(*timeout);
	settings.count = integer_option(arguments, "count", 1, UINT64_MAX);
	settings.duration_ms = duration_option(arguments, "duration");
	if (arguments.count("metrics-textfile")) {
		const std::string dir = textfile_directory(arguments, "metrics-textfile");
		settings.refresh_metrics = [&context, dir] { write_metrics_textfile(context.dm, dir); };
	}

	EventSourceOptions source_options;
	source_options.receive_buffer_bytes = static_cast<int>(
		integer_option(arguments, "receive-buffer", kMinReceiveBuffer, INT32_MAX)
			.value_or(source_options.receive_buffer_bytes));
	if (arguments.count("source")) {
		const std::string source = arguments["source"].as<std::string>();
		if (source == "udev")
			source_options.origin = EventOrigin::kUdev;
		else if (source != "kernel")
			throw UsageError("--source: unknown source '" + source +
					 "' (expected kernel or udev)");
	}

	in_context("monitor", [&] {
		const auto events = context.events(source_options);
		run_monitor(settings, *events, [&] { return device_states(context.dm); },
			    context.out, context.err);
	});
}

} // namespace iohang::action::monitor
