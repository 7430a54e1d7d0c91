// SPDX-License-Identifier: GPL-2.0
// iohangctl wait NAME --state ok|hung|disabled [--timeout DURATION]
#include "cli/commands.h"
#include "cli/common.h"
#include "core/duration.h"
#include "core/errors.h"
#include "core/status.h"
#include "monitor/state_wait.h"

namespace iohang::action::wait {

void get_arguments(po::options_description &options, po::options_description &hidden,
		   po::positional_options_description &positional)
{
	add_name_operand(options, hidden, positional);
	options.add_options()
		("state", po::value<std::string>()->value_name("STATE"),
		 "the state to wait for: ok, hung or disabled")
		("timeout", po::value<std::string>()->value_name("DURATION"),
		 "give up after DURATION with exit status 124 (default: wait forever)");
}

void execute(const po::variables_map &arguments, Context &context)
{
	const std::string name = selected_name(arguments, context.dm);
	if (!arguments.count("state"))
		throw UsageError("missing --state (expected ok, hung or disabled)");
	const std::string wanted_word = arguments["state"].as<std::string>();
	const auto wanted = parse_state(wanted_word);
	if (!wanted)
		throw UsageError("--state: unknown state '" + wanted_word +
				 "' (expected ok, hung or disabled)");
	const auto timeout = duration_option(arguments, "timeout");
	std::optional<std::chrono::steady_clock::time_point> deadline;
	if (timeout)
		deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(*timeout);

	HangState reached = HangState::kUnknown;
	in_context("wait " + name, [&] {
		// Subscribed first: a transition between the first read and the
		// first poll still wakes the loop.
		const auto events = context.events(EventSourceOptions{});
		const auto read_state = [&] {
			const IohangDevice device =
				read_iohang_device(context.dm, name, Parsing::kLenient);
			return make_report(context.dm, name, device).status.state;
		};
		reached = wait_for_state(*events, name, *wanted, read_state, deadline);
	});
	if (reached != *wanted)
		throw TimedOut("wait " + name + ": still " + std::string(to_string(reached)) +
			       " after " + format_duration_ms(*timeout) + ", not " + wanted_word);
}

} // namespace iohang::action::wait
