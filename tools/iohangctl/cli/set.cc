// SPDX-License-Identifier: GPL-2.0
// iohangctl set NAME [--timeout T] [--retry-interval T]: both or neither.
#include "cli/commands.h"
#include "cli/common.h"
#include "core/duration.h"
#include "core/errors.h"
#include "dm-iohang.h"

namespace iohang::action::set {

void get_arguments(po::options_description &options, po::options_description &hidden,
		   po::positional_options_description &positional)
{
	add_name_operand(options, hidden, positional);
	options.add_options()
		("timeout", po::value<std::string>()->value_name("DURATION"),
		 "new hold timeout (0 disables holding)")
		("retry-interval", po::value<std::string>()->value_name("DURATION"),
		 "new time between retries");
}

void execute(const po::variables_map &arguments, Context &context)
{
	const std::string name = selected_name(arguments, context.dm);
	const auto timeout = duration_option(arguments, "timeout", timeout_problem);
	const auto interval = duration_option(arguments, "retry-interval", retry_interval_problem);
	if (!timeout && !interval)
		throw UsageError("nothing to set (expected --timeout and/or --retry-interval)");

	in_context("set " + name, [&] {
		const IohangDevice device = read_iohang_device(context.dm, name, Parsing::kStrict);
		const auto set_timeout = [&](std::uint64_t ms) {
			context.dm.message(name, DM_IOHANG_MSG_SET_TIMEOUT " " + std::to_string(ms));
		};
		if (timeout)
			set_timeout(*timeout);
		if (!interval)
			return;
		try {
			context.dm.message(name, DM_IOHANG_MSG_SET_RETRY_INTERVAL " " +
							 std::to_string(*interval));
		} catch (const OperationError &e) {
			if (!timeout)
				throw;
			// Both or neither: the timeout goes back to what it was.
			const std::uint64_t old_timeout = device.params.options.timeout_ms;
			try {
				set_timeout(old_timeout);
			} catch (const OperationError &restore) {
				throw OperationError(std::string(e.what()) +
						     "; the new timeout stays, since putting back " +
						     format_duration_ms(old_timeout) +
						     " failed too: " + restore.what());
			}
			throw OperationError(std::string(e.what()) + "; the timeout is back at " +
					     format_duration_ms(old_timeout));
		}
	});
}

} // namespace iohang::action::set
