// SPDX-License-Identifier: GPL-2.0
// iohangctl metrics [--textfile DIR]
#include "cli/metrics.h"

#include <optional>

#include "cli/commands.h"
#include "cli/common.h"
#include "cli/list.h"
#include "core/errors.h"
#include "core/metrics.h"
#include "sys/atomic_file.h"

namespace iohang {
namespace {

// node_exporter reads the file as its own user.
constexpr mode_t kTextfileMode = 0644;

void write_textfile(const std::string &dir, const std::string &text)
{
	replace_file(dir, kMetricsFileName, text, kTextfileMode);
}

} // namespace

std::string textfile_directory(const po::variables_map &arguments, const char *option)
{
	const std::string dir = arguments[option].as<std::string>();
	if (dir.empty())
		throw UsageError(std::string("--") + option +
				 ": empty directory (expected the textfile collector's directory)");
	return dir;
}

void write_metrics_textfile(DeviceMapper &dm, const std::string &dir)
{
	write_textfile(dir, format_metrics(report_all_iohang_devices(dm)));
}

namespace action::metrics {

void get_arguments(po::options_description &options, po::options_description &,
		   po::positional_options_description &)
{
	options.add_options()("textfile", po::value<std::string>()->value_name("DIR"),
			      "write DIR/iohang.prom atomically, for node_exporter's textfile "
			      "collector, instead of printing");
}

void execute(const po::variables_map &arguments, Context &context)
{
	std::optional<std::string> dir;
	if (arguments.count("textfile"))
		dir = textfile_directory(arguments, "textfile");
	const std::vector<DeviceReport> reports = report_all_iohang_devices(context.dm);
	warn_not_understood(reports, context.err);
	const std::string text = format_metrics(reports);
	if (dir)
		in_context("metrics", [&] { write_textfile(*dir, text); });
	else
		context.out << text;
}

} // namespace action::metrics
} // namespace iohang
