// SPDX-License-Identifier: GPL-2.0
#include "core/report.h"

#include <algorithm>

#include "core/duration.h"
#include "core/json.h"

namespace iohang {
namespace {

// "suspended,read-only", or "-": what device-mapper holds over the target.
std::string flags(const DeviceInfo &info)
{
	std::string out;
	if (info.suspended)
		out = "suspended";
	if (info.read_only)
		out += std::string(out.empty() ? "" : ",") + "read-only";
	return out.empty() ? "-" : out;
}

// The known options, then a newer module's words as they came.
std::string options_column(const IohangParams &params)
{
	std::string out = describe_options(params.options);
	if (!params.unknown_options.empty() && out == "-")
		out.clear();
	for (const auto &word : params.unknown_options)
		out += (out.empty() ? "" : " ") + word;
	return out;
}

} // namespace

std::vector<std::string> not_understood(const DeviceReport &report)
{
	std::vector<std::string> out = report.status.not_understood;
	const auto &words = report.params.unknown_options;
	if (!words.empty()) {
		std::string joined;
		for (const auto &word : words)
			joined += (joined.empty() ? "" : " ") + word;
		out.push_back("table options '" + joined + "'");
	}
	return out;
}

std::string describe_options(const IohangOptions &o)
{
	std::string out;
	auto add = [&](const std::string &word) {
		if (!out.empty())
			out += ' ';
		out += word;
	};
	if (o.retry_on != kRetryDefault)
		add("retry_on=" + format_retry_on(o.retry_on));
	if (o.retry_all)
		add("retry_all");
	if (o.hold_new_io)
		add("hold_new_io");
	if (o.max_held)
		add("max_held=" + std::to_string(*o.max_held));
	if (o.fail_flush)
		add("fail_flush");
	return out.empty() ? "-" : out;
}

std::string format_report_table(const std::vector<DeviceReport> &reports)
{
	std::vector<std::vector<std::string>> rows = {
		{"NAME", "DEVICE", "STATE", "FLAGS", "OPEN", "HELD", "HANGS", "RECOVERED", "TIMED_OUT",
		 "RETRIES", "LONGEST", "TIMEOUT", "INTERVAL", "OPTIONS"},
	};
	for (const auto &r : reports) {
		const IohangStatus &s = r.status;
		const IohangOptions &o = r.params.options;
		rows.push_back({r.name, r.device, std::string(to_string(s.state)), flags(r.info),
				std::to_string(r.info.open_count), std::to_string(s.held), std::to_string(s.hang_events),
				std::to_string(s.recovered), std::to_string(s.timed_out),
				std::to_string(s.retries), format_duration_ms(s.longest_hang_ms),
				format_duration_ms(o.timeout_ms),
				format_duration_ms(o.retry_interval_ms), options_column(r.params)});
	}
	std::vector<std::size_t> widths(rows.front().size(), 0);
	for (const auto &row : rows)
		for (std::size_t i = 0; i < row.size(); ++i)
			widths[i] = std::max(widths[i], row[i].size());

	std::string out;
	for (const auto &row : rows) {
		std::string line;
		for (std::size_t i = 0; i < row.size(); ++i) {
			line += row[i];
			if (i + 1 < row.size())
				line += std::string(widths[i] - row[i].size() + 2, ' ');
		}
		out += line + "\n";
	}
	return out;
}

std::string format_report_json(const std::vector<DeviceReport> &reports)
{
	JsonWriter json;
	json.begin_object().field("version", kJsonSchemaVersion).key("devices").begin_array();
	for (const auto &r : reports) {
		const IohangStatus &s = r.status;
		const IohangOptions &o = r.params.options;
		json.begin_object()
			.field("name", r.name)
			.field("device", r.device)
			.field("device_number", r.params.device)
			.field("offset", r.params.offset)
			.field("sectors", r.sectors)
			.field("state", to_string(s.state))
			.field("suspended", r.info.suspended)
			.field("read_only", r.info.read_only)
			.field("open_count", std::uint64_t{r.info.open_count})
			.field("held", s.held)
			.field("hang_events", s.hang_events)
			.field("recovered", s.recovered)
			.field("timed_out", s.timed_out)
			.field("retries", s.retries)
			.field("longest_hang_ms", s.longest_hang_ms)
			.field("overflowed", s.overflowed)
			.field("released", s.released)
			.field("timeout_ms", o.timeout_ms)
			.field("retry_interval_ms", o.retry_interval_ms)
			.key("retry_on")
			.begin_array();
		for (const std::string_view status : retry_on_names(o.retry_on))
			json.value(status);
		json.end_array()
			.field("probe", !o.retry_all)
			.field("retry_all", o.retry_all)
			.field("hold_new_io", o.hold_new_io)
			.field("max_held", o.max_held)
			.field("fail_flush", o.fail_flush)
			.key("not_understood")
			.begin_array();
		for (const auto &what : not_understood(r))
			json.value(what);
		json.end_array().end_object();
	}
	json.end_array().end_object();
	return json.str();
}

} // namespace iohang
