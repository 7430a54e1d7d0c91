// SPDX-License-Identifier: GPL-2.0
// iohangctl status [NAME...] [--json]
#include "cli/commands.h"
#include "cli/common.h"
#include "cli/list.h"

namespace iohang::action::status {

void get_arguments(po::options_description &options, po::options_description &hidden,
		   po::positional_options_description &positional)
{
	hidden.add_options()("names", po::value<std::vector<std::string>>());
	positional.add("names", -1);
	options.add_options()("json", po::bool_switch(), "print JSON (see iohangctl(8))");
	add_uuid_selection(options);
}

void execute(const po::variables_map &arguments, Context &context)
{
	const bool all = !arguments.count("names") && !arguments.count("uuid");
	const std::vector<std::string> names =
		all ? std::vector<std::string>{} : selected_names(arguments, context.dm);
	std::vector<DeviceReport> reports;
	if (all) {
		reports = report_all_iohang_devices(context.dm);
	} else {
		for (const auto &name : names)
			in_context("status " + name, [&] {
				reports.push_back(make_report(
					context.dm, name, read_iohang_device(context.dm, name, Parsing::kLenient)));
			});
	}
	print_reports(reports, arguments["json"].as<bool>(), context.out, context.err);
}

} // namespace iohang::action::status
