// SPDX-License-Identifier: GPL-2.0
// The iohang INFO status line (`dmsetup status`).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace iohang {

enum class HangState { kOk, kHung, kDisabled };

std::string_view to_string(HangState state);

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
};

// Accepts DM_IOHANG_INFO_MIN_FIELDS or more fields and ignores fields
// after the ones this version knows (later kernels append).  Throws
// std::invalid_argument saying what is wrong.
IohangStatus parse_status(std::string_view line);

} // namespace iohang
