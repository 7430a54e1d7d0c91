// SPDX-License-Identifier: GPL-2.0
#include "core/status.h"

#include <stdexcept>
#include <vector>

#include "core/duration.h"
#include "core/words.h"
#include "dm-iohang.h"

namespace iohang {

std::string_view to_string(HangState state)
{
	switch (state) {
	case HangState::kOk:
		return DM_IOHANG_STATE_OK;
	case HangState::kHung:
		return DM_IOHANG_STATE_HUNG;
	case HangState::kDisabled:
		return DM_IOHANG_STATE_DISABLED;
	case HangState::kUnknown:
		break;
	}
	return "unknown";
}

std::optional<HangState> parse_state(std::string_view word)
{
	for (HangState state : {HangState::kOk, HangState::kHung, HangState::kDisabled})
		if (word == to_string(state))
			return state;
	return std::nullopt;
}

IohangStatus parse_status(std::string_view line)
{
	const std::vector<std::string> f = split_words(line);
	if (f.size() < DM_IOHANG_INFO_MIN_FIELDS)
		throw std::invalid_argument(
			"status line '" + std::string(line) + "' has " + std::to_string(f.size()) +
			" fields, expected at least " + std::to_string(DM_IOHANG_INFO_MIN_FIELDS));

	IohangStatus s;
	const std::string &state = f[DM_IOHANG_FIELD_STATE];
	s.state = parse_state(state).value_or(HangState::kUnknown);
	if (s.state == HangState::kUnknown)
		s.not_understood.push_back("state '" + state + "'");

	auto field = [&](std::size_t index) {
		try {
			return parse_unsigned(f[index]);
		} catch (const std::invalid_argument &e) {
			throw std::invalid_argument("status field " + std::to_string(index) +
						    ": " + e.what());
		}
	};
	s.held = field(DM_IOHANG_FIELD_HELD);
	s.hang_events = field(DM_IOHANG_FIELD_HANG_EVENTS);
	s.recovered = field(DM_IOHANG_FIELD_RECOVERED);
	s.timed_out = field(DM_IOHANG_FIELD_TIMED_OUT);
	s.retries = field(DM_IOHANG_FIELD_RETRIES);
	s.longest_hang_ms = field(DM_IOHANG_FIELD_LONGEST_HANG_MS);
	if (f.size() > DM_IOHANG_FIELD_OVERFLOWED)
		s.overflowed = field(DM_IOHANG_FIELD_OVERFLOWED);
	if (f.size() > DM_IOHANG_FIELD_RELEASED)
		s.released = field(DM_IOHANG_FIELD_RELEASED);
	return s;
}

} // namespace iohang
