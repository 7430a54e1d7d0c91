// SPDX-License-Identifier: GPL-2.0
// iohangctl list [--json]
#include "cli/list.h"

#include <algorithm>

#include "cli/commands.h"
#include "cli/common.h"
#include "core/errors.h"

namespace iohang {

std::vector<DeviceReport> report_all_iohang_devices(DeviceMapper &dm)
{
	std::vector<DeviceReport> reports;
	for (const auto &name : dm.list()) {
		try {
			const auto device = try_read_iohang_device(dm, name, Parsing::kLenient);
			if (device)
				reports.push_back(make_report(dm, name, *device));
		} catch (const OperationError &) {
			// Removed between DM_DEVICE_LIST and now: not there.
			const auto names = dm.list();
			if (std::find(names.begin(), names.end(), name) != names.end())
				throw;
		}
	}
	return reports;
}

void warn_not_understood(const std::vector<DeviceReport> &reports, std::ostream &err)
{
	for (const auto &report : reports) {
		const std::vector<std::string> unknown = not_understood(report);
		if (unknown.empty())
			continue;
		err << "iohangctl: " << report.name << ": not understood (a newer dm-iohang module?): ";
		for (std::size_t i = 0; i < unknown.size(); ++i)
			err << (i ? ", " : "") << unknown[i];
		err << "\n";
	}
}

void print_reports(const std::vector<DeviceReport> &reports, bool json, std::ostream &out,
		   std::ostream &err)
{
	warn_not_understood(reports, err);
	if (json)
		out << format_report_json(reports) << "\n";
	else
		out << format_report_table(reports);
}

namespace action::list {

void get_arguments(po::options_description &options, po::options_description &,
		   po::positional_options_description &)
{
	options.add_options()("json", po::bool_switch(), "print JSON (see iohangctl(8))");
}

void execute(const po::variables_map &arguments, Context &context)
{
	print_reports(report_all_iohang_devices(context.dm), arguments["json"].as<bool>(),
		      context.out, context.err);
}

} // namespace action::list
} // namespace iohang
