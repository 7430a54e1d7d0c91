// SPDX-License-Identifier: GPL-2.0
// Durations on the command line: a number with a unit, in milliseconds.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace iohang {

// Parses "500ms", "30s", "1.5s", "2m", "1h" and the unitless "0".  Any other
// number without a unit is refused: "--timeout 60" could mean seconds or
// milliseconds, and guessing wrong by a factor of 1000 is worse than asking.
// Fractions must come out as whole milliseconds ("1.5s" yes, "0.5ms" no).
// Throws std::invalid_argument whose message says what was expected.
std::uint64_t parse_duration_ms(std::string_view text);

// "expected 1ms to 1h, got 2h" when ms is outside min..max, else nullopt.
std::optional<std::string> duration_range_problem(std::uint64_t ms, std::uint64_t min,
						  std::uint64_t max);

// The shortest exact spelling: 60000 -> "1m", 1500 -> "1500ms", 0 -> "0s".
std::string format_duration_ms(std::uint64_t ms);

// Parses a plain non-negative decimal integer (no sign, no spaces, no
// overflow).  Throws std::invalid_argument.
std::uint64_t parse_unsigned(std::string_view text);

} // namespace iohang
