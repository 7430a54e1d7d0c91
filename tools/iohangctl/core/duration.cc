// SPDX-License-Identifier: GPL-2.0
#include "core/duration.h"

#include <array>
#include <limits>
#include <stdexcept>
#include <utility>

namespace iohang {
namespace {

constexpr std::uint64_t kMax = std::numeric_limits<std::uint64_t>::max();

constexpr std::array<std::pair<std::string_view, std::uint64_t>, 4> kUnits{{
	{"ms", 1},
	{"s", 1000},
	{"m", 60 * 1000},
	{"h", 60 * 60 * 1000},
}};

[[noreturn]] void refuse(std::string_view text, std::string_view why)
{
	throw std::invalid_argument("invalid duration '" + std::string(text) +
				    "': " + std::string(why) +
				    " (expected a number and a unit: ms, s, m or h, e.g. 500ms, 30s, 1.5m)");
}

bool is_digit(char c) { return c >= '0' && c <= '9'; }

// Multiplies and adds without wrapping; false on overflow.
bool checked_mul_add(std::uint64_t &acc, std::uint64_t mul, std::uint64_t add)
{
	if (mul != 0 && acc > (kMax - add) / mul)
		return false;
	acc = acc * mul + add;
	return true;
}

} // namespace

std::uint64_t parse_unsigned(std::string_view text)
{
	if (text.empty())
		throw std::invalid_argument("empty number");
	std::uint64_t value = 0;
	for (char c : text) {
		if (!is_digit(c))
			throw std::invalid_argument("'" + std::string(text) +
						    "' is not a non-negative integer");
		if (!checked_mul_add(value, 10, static_cast<std::uint64_t>(c - '0')))
			throw std::invalid_argument("'" + std::string(text) + "' is too large");
	}
	return value;
}

std::uint64_t parse_duration_ms(std::string_view text)
{
	if (text.empty())
		refuse(text, "empty");

	std::size_t pos = 0;
	while (pos < text.size() && is_digit(text[pos]))
		++pos;
	const std::string_view whole = text.substr(0, pos);
	std::string_view fraction;
	if (pos < text.size() && text[pos] == '.') {
		const std::size_t start = ++pos;
		while (pos < text.size() && is_digit(text[pos]))
			++pos;
		fraction = text.substr(start, pos - start);
		if (fraction.empty())
			refuse(text, "no digits after the decimal point");
	}
	if (whole.empty())
		refuse(text, text[0] == '-' ? "negative" : "no number");

	const std::string_view unit_text = text.substr(pos);
	if (unit_text.empty()) {
		// A bare 0 is the same in every unit, so it needs none.
		if (fraction.empty() && whole.find_first_not_of('0') == std::string_view::npos)
			return 0;
		refuse(text, "missing unit");
	}

	std::uint64_t unit = 0;
	for (const auto &[name, ms] : kUnits)
		if (unit_text == name)
			unit = ms;
	if (unit == 0)
		refuse(text, "unknown unit '" + std::string(unit_text) + "'");

	std::uint64_t ms = 0;
	for (char c : whole)
		if (!checked_mul_add(ms, 10, static_cast<std::uint64_t>(c - '0')))
			refuse(text, "too large");
	if (!checked_mul_add(ms, unit, 0))
		refuse(text, "too large");

	// fraction * unit / 10^digits, exactly, or refused.
	std::uint64_t numerator = 0;
	std::uint64_t denominator = 1;
	for (char c : fraction) {
		if (!checked_mul_add(numerator, 10, static_cast<std::uint64_t>(c - '0')) ||
		    !checked_mul_add(denominator, 10, 0))
			refuse(text, "too many decimal places");
	}
	if (!fraction.empty()) {
		std::uint64_t scaled = numerator;
		if (!checked_mul_add(scaled, unit, 0))
			refuse(text, "too many decimal places");
		if (scaled % denominator != 0)
			refuse(text, "not a whole number of milliseconds");
		if (!checked_mul_add(ms, 1, scaled / denominator))
			refuse(text, "too large");
	}
	return ms;
}

std::optional<std::string> duration_range_problem(std::uint64_t ms, std::uint64_t min,
						  std::uint64_t max)
{
	if (ms >= min && ms <= max)
		return std::nullopt;
	return "expected " + format_duration_ms(min) + " to " + format_duration_ms(max) +
	       ", got " + format_duration_ms(ms);
}

std::string format_duration_ms(std::uint64_t ms)
{
	if (ms == 0)
		return "0s";
	for (auto it = kUnits.rbegin(); it != kUnits.rend(); ++it)
		if (ms % it->second == 0)
			return std::to_string(ms / it->second) + std::string(it->first);
	return std::to_string(ms) + "ms"; // unreachable: ms divides by 1
}

} // namespace iohang
