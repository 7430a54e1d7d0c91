// SPDX-License-Identifier: GPL-2.0
// The iohang INFO status line (`dmsetup status`).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace iohang {

// kUnknown: a state word of a newer module, kept in not_understood.
enum class HangState { kOk, kHung, kDisabled, kUnknown };

std::string_view to_string(HangState state);
// "ok", "hung", "disabled"; nullopt for any other word.
std::optional<HangState> parse_state(std::string_view word);

struct IohangStatus {
	HangState state = HangState::kOk;
	std::uint64_t held = 0;
	std::uint64_t hang_events = 0;
	std::uint64_t recovered = 0;
	std::uint64_t timed_out = 0;
	std::uint64_t retries = 0;
	std::uint64_t longest_hang_ms = 0;
	// Absent when an older kernel printed only the first seven fields.
	std::optional<std::uint64_t> overflowed;
	std::optional<std::uint64_t> released;
	// What a newer module printed that this tool cannot interpret, e.g.
	// "state 'draining'", for the user to see.
	std::vector<std::string> not_understood;
};

// Accepts DM_IOHANG_INFO_MIN_FIELDS or more fields and ignores fields
// after the ones this version knows (later kernels append, as
// include/dm-iohang.h promises).  An unknown state word is kUnknown, not an
// error.  Throws std::invalid_argument when the line is malformed.
IohangStatus parse_status(std::string_view line);

} // namespace iohang
