// SPDX-License-Identifier: GPL-2.0
// iohangctl remove NAME... [--force]
#include <iostream>

#include "cli/commands.h"
#include "cli/common.h"
#include "core/errors.h"
#include "dm-iohang.h"

namespace iohang::action::remove {

void get_arguments(po::options_description &options, po::options_description &hidden,
		   po::positional_options_description &positional)
{
	hidden.add_options()("names", po::value<std::vector<std::string>>());
	positional.add("names", -1);
	options.add_options()("force,f", po::bool_switch(),
			      "fail held I/O first (message " DM_IOHANG_MSG_FAIL_ALL
			      "), so that a hung device can be removed");
	add_uuid_selection(options);
}

void execute(const po::variables_map &arguments, Context &context)
{
	const std::vector<std::string> names = selected_names(arguments, context.dm);
	const bool force = arguments["force"].as<bool>();

	// Goes on with the other names after a failure, reporting each one.
	std::size_t failed = 0;
	for (const auto &name : names) {
		try {
			in_context("remove " + name, [&] {
				read_iohang_device(context.dm, name, Parsing::kLenient);
				if (force)
					context.dm.message(name, DM_IOHANG_MSG_FAIL_ALL);
				context.dm.remove(name);
			});
		} catch (const OperationError &e) {
			if (names.size() == 1)
				throw;
			context.err << "iohangctl: " << e.what() << "\n";
			++failed;
		}
	}
	if (failed)
		throw OperationError("remove: " + std::to_string(failed) + " of " +
				     std::to_string(names.size()) + " devices not removed");
}

} // namespace iohang::action::remove
