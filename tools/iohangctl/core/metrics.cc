// SPDX-License-Identifier: GPL-2.0
#include "core/metrics.h"

#include <algorithm>
#include <functional>
#include <optional>
#include <utility>

namespace iohang {
namespace {

using Labels = std::vector<std::pair<std::string_view, std::string>>;
// A device's value for a family, or nullopt when its kernel does not report it.
using Value = std::function<std::optional<std::string>(const DeviceReport &)>;

// Every state iohang_state has a series for, so that a device has the same
// series whatever its state and `== 1` alerts need no absent().
constexpr HangState kAllStates[] = {HangState::kOk, HangState::kHung, HangState::kDisabled,
				     HangState::kUnknown};

Labels device_labels(const DeviceReport &report)
{
	return {{"name", report.name}, {"uuid", report.info.uuid}};
}

std::string format_labels(const Labels &labels)
{
	std::string out;
	for (const auto &[key, value] : labels)
		out += std::string(out.empty() ? "{" : ",") + std::string(key) + "=\"" +
		       escape_label_value(value) + "\"";
	return out.empty() ? out : out + "}";
}

const char *boolean(bool value)
{
	return value ? "true" : "false";
}

class Exposition {
public:
	explicit Exposition(const std::vector<DeviceReport> &reports) : reports_(reports) {}

	void family(std::string_view name, std::string_view type, std::string_view help)
	{
		text_ += "# HELP " + std::string(name) + " " + std::string(help) + "\n";
		text_ += "# TYPE " + std::string(name) + " " + std::string(type) + "\n";
	}
	void sample(std::string_view name, const Labels &labels, std::string_view value)
	{
		text_ += std::string(name) + format_labels(labels) + " " + std::string(value) + "\n";
	}
	// A family with one sample per device that has a value.
	void per_device(std::string_view name, std::string_view type, std::string_view help,
			const Value &value)
	{
		family(name, type, help);
		for (const auto &report : reports_)
			if (const auto v = value(report))
				sample(name, device_labels(report), *v);
	}
	void counter(std::string_view name, std::string_view help,
		     std::optional<std::uint64_t> IohangStatus::*field)
	{
		per_device(name, "counter", help, [field](const DeviceReport &r) {
			const auto v = r.status.*field;
			return v ? std::optional<std::string>(std::to_string(*v)) : std::nullopt;
		});
	}
	void counter(std::string_view name, std::string_view help,
		     std::uint64_t IohangStatus::*field)
	{
		per_device(name, "counter", help,
			   [field](const DeviceReport &r) { return std::to_string(r.status.*field); });
	}
	const std::string &str() const { return text_; }

private:
	const std::vector<DeviceReport> &reports_;
	std::string text_;
};

Labels table_labels(const DeviceReport &report)
{
	const IohangOptions &o = report.params.options;
	Labels labels = device_labels(report);
	labels.insert(labels.end(), {
		{"device", report.device},
		{"device_number", report.params.device},
		{"offset_sectors", std::to_string(report.params.offset)},
		{"timeout_seconds", seconds_from_ms(o.timeout_ms)},
		{"retry_interval_seconds", seconds_from_ms(o.retry_interval_ms)},
		{"retry_on", format_retry_on(o.retry_on)},
		{"retry_all", boolean(o.retry_all)},
		{"hold_new_io", boolean(o.hold_new_io)},
		{"max_held", o.max_held ? std::to_string(*o.max_held) : "unlimited"},
		{"fail_flush", boolean(o.fail_flush)},
	});
	return labels;
}

} // namespace

std::string escape_label_value(std::string_view value)
{
	std::string out;
	out.reserve(value.size());
	for (const char c : value) {
		if (c == '\\')
			out += "\\\\";
		else if (c == '"')
			out += "\\\"";
		else if (c == '\n')
			out += "\\n";
		else
			out += c;
	}
	return out;
}

std::string seconds_from_ms(std::uint64_t ms)
{
	std::string out = std::to_string(ms / 1000);
	std::string fraction = std::to_string(1000 + ms % 1000).substr(1);
	fraction.erase(fraction.find_last_not_of('0') + 1);
	return fraction.empty() ? out : out + "." + fraction;
}

std::string format_metrics(std::vector<DeviceReport> reports)
{
	std::sort(reports.begin(), reports.end(),
		  [](const DeviceReport &a, const DeviceReport &b) { return a.name < b.name; });
	Exposition e(reports);
	e.per_device("iohang_held_bios", "gauge",
		     "Bios the device holds now: waiting for a retry, resubmitted and not back, "
		     "or about to complete.",
		     [](const DeviceReport &r) { return std::to_string(r.status.held); });
	e.counter("iohang_hang_events_total", "Transitions from ok to hung (a bio held while none was).",
		  &IohangStatus::hang_events);
	e.counter("iohang_recovered_total",
		  "Held bios that came back from a resubmission successfully (or with EOPNOTSUPP).",
		  &IohangStatus::recovered);
	e.counter("iohang_timed_out_total", "Held bios failed because their timeout had passed.",
		  &IohangStatus::timed_out);
	e.counter("iohang_retries_total", "Resubmissions of held bios, one per bio per attempt.",
		  &IohangStatus::retries);
	e.per_device("iohang_longest_hang_seconds", "gauge",
		     "The longest hang since the counters were last reset, the ongoing one included.",
		     [](const DeviceReport &r) { return seconds_from_ms(r.status.longest_hang_ms); });
	e.counter("iohang_overflowed_total",
		  "Bios that failed with a retry_on status but were not held because max_held was reached.",
		  &IohangStatus::overflowed);
	e.counter("iohang_released_total",
		  "Held bios failed by fail_all, or by the removal of a device that was not suspended.",
		  &IohangStatus::released);

	e.family("iohang_state", "gauge",
		 "1 for the device's state, 0 for the others; unknown is a state this iohangctl does "
		 "not know.");
	for (const auto &report : reports)
		for (const HangState state : kAllStates) {
			Labels labels = device_labels(report);
			labels.emplace_back("state", to_string(state));
			e.sample("iohang_state", labels, report.status.state == state ? "1" : "0");
		}

	e.family("iohang_table_info", "gauge", "The device's table parameters as labels; always 1.");
	for (const auto &report : reports)
		e.sample("iohang_table_info", table_labels(report), "1");
	return e.str();
}

} // namespace iohang
