// SPDX-License-Identifier: GPL-2.0
// iohangctl set NAME [--timeout T] [--retry-interval T]
#include "cli/commands.h"
#include "cli/common.h"
#include "core/errors.h"
#include "dm-iohang.h"

namespace iohang::action::set {

void get_arguments(po::options_description &options, po::options_description &hidden,
		   po::positional_options_description &positional)
{
	hidden.add_options()("name", po::value<std::string>());
	positional.add("name", 1);
	options.add_options()
		("timeout", po::value<std::string>()->value_name("DURATION"),
		 "new hold timeout (0 disables holding)")
		("retry-interval", po::value<std::string>()->value_name("DURATION"),
		 "new time between retries");
}

void execute(const po::variables_map &arguments, Context &context)
{
	const std::string name = required_operand(arguments, "name", "NAME");
	const auto timeout = duration_option(arguments, "timeout", timeout_problem);
	const auto interval = duration_option(arguments, "retry-interval", retry_interval_problem);
	if (!timeout && !interval)
		throw UsageError("nothing to set (expected --timeout and/or --retry-interval)");

	in_context("set " + name, [&] {
		read_iohang_device(context.dm, name, Parsing::kStrict);
		if (timeout)
			context.dm.message(name, std::string(DM_IOHANG_MSG_SET_TIMEOUT " ") +
							 std::to_string(*timeout));
		if (interval)
			context.dm.message(name,
					   std::string(DM_IOHANG_MSG_SET_RETRY_INTERVAL " ") +
						   std::to_string(*interval));
	});
}

} // namespace iohang::action::set
