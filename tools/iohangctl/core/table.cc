// SPDX-License-Identifier: GPL-2.0
#include "core/table.h"

#include <array>
#include <stdexcept>
#include <utility>
#include <vector>

#include "core/duration.h"
#include "core/words.h"

namespace iohang {
namespace {

constexpr std::array<std::pair<std::string_view, unsigned>, 6> kStatuses{{
	{DM_IOHANG_STS_IOERR, kRetryIoerr},
	{DM_IOHANG_STS_TRANSPORT, kRetryTransport},
	{DM_IOHANG_STS_TIMEOUT, kRetryTimeout},
	{DM_IOHANG_STS_OFFLINE, kRetryOffline},
	{DM_IOHANG_STS_MEDIUM, kRetryMedium},
	{DM_IOHANG_STS_NOSPC, kRetryNospc},
}};
constexpr unsigned kAllStatuses = kRetryIoerr | kRetryTransport | kRetryTimeout |
				  kRetryOffline | kRetryMedium | kRetryNospc;

std::uint64_t number(std::string_view word, std::string_view what)
{
	try {
		return parse_unsigned(word);
	} catch (const std::invalid_argument &) {
		throw std::invalid_argument(std::string(what) + " '" + std::string(word) +
					    "' is not a non-negative integer");
	}
}

} // namespace

unsigned parse_retry_on(std::string_view list)
{
	const std::string expected = " (expected a comma-separated list of "
		DM_IOHANG_STS_IOERR ", " DM_IOHANG_STS_TRANSPORT ", " DM_IOHANG_STS_TIMEOUT
		", " DM_IOHANG_STS_OFFLINE ", " DM_IOHANG_STS_MEDIUM ", " DM_IOHANG_STS_NOSPC ")";
	unsigned bits = 0;
	std::size_t pos = 0;
	for (;;) {
		std::size_t end = list.find(DM_IOHANG_RETRY_ON_SEPARATOR, pos);
		const std::string_view name =
			list.substr(pos, end == std::string_view::npos ? end : end - pos);
		unsigned bit = 0;
		for (const auto &[status, status_bit] : kStatuses)
			if (name == status)
				bit = status_bit;
		if (name.empty())
			throw std::invalid_argument("empty status in retry_on list '" +
						    std::string(list) + "'" + expected);
		if (bit == 0)
			throw std::invalid_argument("unknown status '" + std::string(name) +
						    "' in retry_on list" + expected);
		if (bits & bit)
			throw std::invalid_argument("status '" + std::string(name) +
						    "' repeated in retry_on list");
		bits |= bit;
		if (end == std::string_view::npos)
			return bits;
		pos = end + 1;
	}
}

std::vector<std::string_view> retry_on_names(unsigned statuses)
{
	std::vector<std::string_view> names;
	for (const auto &[status, bit] : kStatuses)
		if (statuses & bit)
			names.push_back(status);
	return names;
}

std::string format_retry_on(unsigned statuses)
{
	std::string out;
	for (const std::string_view name : retry_on_names(statuses)) {
		if (!out.empty())
			out += DM_IOHANG_RETRY_ON_SEPARATOR;
		out += name;
	}
	return out;
}

bool IohangOptions::operator==(const IohangOptions &o) const
{
	return timeout_ms == o.timeout_ms && retry_interval_ms == o.retry_interval_ms &&
	       retry_on == o.retry_on && retry_all == o.retry_all &&
	       hold_new_io == o.hold_new_io && max_held == o.max_held &&
	       fail_flush == o.fail_flush;
}

bool IohangParams::operator==(const IohangParams &o) const
{
	return device == o.device && offset == o.offset && options == o.options &&
	       unknown_options == o.unknown_options;
}

std::optional<std::string> timeout_problem(std::uint64_t ms)
{
	if (ms <= DM_IOHANG_MAX_TIMEOUT_MS)
		return std::nullopt;
	return format_duration_ms(ms) + " is above the maximum of " +
	       format_duration_ms(DM_IOHANG_MAX_TIMEOUT_MS);
}

std::optional<std::string> retry_interval_problem(std::uint64_t ms)
{
	return duration_range_problem(ms, 1, DM_IOHANG_MAX_RETRY_INTERVAL_MS);
}

void validate(const IohangOptions &options)
{
	if (const auto why = timeout_problem(options.timeout_ms))
		throw std::invalid_argument("timeout " + *why);
	if (const auto why = retry_interval_problem(options.retry_interval_ms))
		throw std::invalid_argument("retry interval: " + *why);
	if (options.retry_on == 0 || (options.retry_on & ~kAllStatuses))
		throw std::invalid_argument("retry_on must name at least one known status");
	if (options.max_held &&
	    (*options.max_held < 1 || *options.max_held > DM_IOHANG_MAX_HELD_LIMIT))
		throw std::invalid_argument("max_held " + std::to_string(*options.max_held) +
					    " is outside 1.." +
					    std::to_string(DM_IOHANG_MAX_HELD_LIMIT));
}

std::string build_params(const IohangParams &params)
{
	if (params.device.empty() ||
	    params.device.find_first_of(" \t\n") != std::string::npos)
		throw std::invalid_argument("device '" + params.device +
					    "' must be a non-empty path without spaces");
	if (!params.unknown_options.empty())
		throw std::invalid_argument("unknown option '" + params.unknown_options.front() +
					    "'");
	validate(params.options);

	const IohangOptions &o = params.options;
	std::vector<std::string> words;
	if (o.retry_interval_ms != DM_IOHANG_DEFAULT_RETRY_INTERVAL_MS) {
		words.emplace_back(DM_IOHANG_OPT_RETRY_INTERVAL);
		words.push_back(std::to_string(o.retry_interval_ms));
	}
	if (o.retry_on != kRetryDefault) {
		words.emplace_back(DM_IOHANG_OPT_RETRY_ON);
		words.push_back(format_retry_on(o.retry_on));
	}
	if (o.retry_all)
		words.emplace_back(DM_IOHANG_OPT_RETRY_ALL);
	if (o.hold_new_io)
		words.emplace_back(DM_IOHANG_OPT_HOLD_NEW_IO);
	if (o.max_held) {
		words.emplace_back(DM_IOHANG_OPT_MAX_HELD);
		words.push_back(std::to_string(*o.max_held));
	}
	if (o.fail_flush)
		words.emplace_back(DM_IOHANG_OPT_FAIL_FLUSH);

	std::string out = params.device + " " + std::to_string(params.offset) + " " +
			  std::to_string(o.timeout_ms);
	if (!words.empty()) {
		out += " " + std::to_string(words.size());
		for (const auto &word : words)
			out += " " + word;
	}
	return out;
}

std::string build_table_line(std::uint64_t sectors, const IohangParams &params)
{
	return "0 " + std::to_string(sectors) + " " DM_IOHANG_TARGET_NAME " " +
	       build_params(params);
}

IohangParams parse_params(std::string_view text, Parsing parsing)
{
	const std::vector<std::string> words = split_words(text);
	if (words.size() < 3)
		throw std::invalid_argument("expected '<device> <offset> <timeout_ms> "
					    "[<#opt_params> <opt_params>...]', got '" +
					    std::string(text) + "'");
	IohangParams params;
	params.device = words[0];
	params.offset = number(words[1], "offset");
	params.options.timeout_ms = number(words[2], "timeout_ms");
	bool seen_probe = false;

	if (words.size() > 3) {
		const std::uint64_t count = number(words[3], "option count");
		if (count != words.size() - 4)
			throw std::invalid_argument("option count " + words[3] + " but " +
						    std::to_string(words.size() - 4) +
						    " option words follow");
		IohangOptions &o = params.options;
		bool seen_interval = false, seen_retry_on = false, seen_max_held = false;
		for (std::size_t i = 4; i < words.size(); ++i) {
			const std::string &word = words[i];
			auto argument = [&]() -> const std::string & {
				if (i + 1 >= words.size())
					throw std::invalid_argument("option " + word +
								    " needs a value");
				return words[++i];
			};
			auto once = [&](bool &seen) {
				if (seen)
					throw std::invalid_argument("option " + word + " repeated");
				seen = true;
			};
			if (word == DM_IOHANG_OPT_RETRY_INTERVAL) {
				once(seen_interval);
				o.retry_interval_ms = number(argument(), word);
			} else if (word == DM_IOHANG_OPT_RETRY_ON) {
				once(seen_retry_on);
				const std::string &list = argument();
				try {
					o.retry_on = parse_retry_on(list);
				} catch (const std::invalid_argument &) {
					if (parsing == Parsing::kStrict)
						throw;
					params.unknown_options.insert(params.unknown_options.end(),
								      {word, list});
				}
			} else if (word == DM_IOHANG_OPT_PROBE) {
				// The default since 1.2.0: a table of 1.1 that asked for it.
				once(seen_probe);
			} else if (word == DM_IOHANG_OPT_RETRY_ALL) {
				o.retry_all = true;
			} else if (word == DM_IOHANG_OPT_FAIL_FLUSH) {
				o.fail_flush = true;
			} else if (word == DM_IOHANG_OPT_HOLD_NEW_IO) {
				o.hold_new_io = true;
			} else if (word == DM_IOHANG_OPT_MAX_HELD) {
				once(seen_max_held);
				o.max_held = number(argument(), word);
			} else if (parsing == Parsing::kLenient) {
				params.unknown_options.push_back(word);
			} else {
				throw std::invalid_argument("unknown option '" + word + "'");
			}
		}
	}
	if (parsing == Parsing::kStrict && seen_probe && params.options.retry_all)
		throw std::invalid_argument("options probe and retry_all exclude each other");
	if (parsing == Parsing::kStrict)
		validate(params.options);
	return params;
}

} // namespace iohang
