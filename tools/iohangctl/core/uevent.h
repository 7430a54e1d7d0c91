// SPDX-License-Identifier: GPL-2.0
// iohang uevents: picking them out of all block uevents and turning them
// into text lines, JSON lines and hook environments.
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace iohang {

using UeventProperties = std::map<std::string, std::string>;

struct IohangEvent {
	std::chrono::system_clock::time_point time;
	std::string name;        // DM_NAME
	std::string uuid;        // DM_UUID, may be empty
	std::string kernel_name; // DEVNAME, e.g. "dm-3"
	std::string action;      // "hang", "recover", "timeout", "fail_all", ...
	std::optional<std::uint64_t> held;
	std::optional<std::uint64_t> duration_ms;
	std::optional<std::uint64_t> failed;
	std::optional<std::uint64_t> requeued; // bios handed back by a noflush suspend
	std::optional<std::string> state;      // "state" events: the status re-read
};

// Not from the kernel: the monitor's own events after the kernel dropped
// uevents.  kLostAction first (no device), then one kStateAction per iohang
// device with its state and held count as read from its status.
constexpr std::string_view kLostAction = "lost";
constexpr std::string_view kStateAction = "state";

// The event if these properties carry DM_TARGET=iohang and a DM_ACTION of
// the form IOHANG_<WORD>, else nullopt.  Unknown future actions pass
// through (lower-cased, prefix removed).  Numeric fields that do not parse
// are left empty rather than dropping the event.
std::optional<IohangEvent> iohang_event_from(const UeventProperties &properties,
					     std::chrono::system_clock::time_point time);

// True when names is empty or holds event.name.
bool event_matches(const IohangEvent &event, const std::vector<std::string> &names);

// "2026-11-29T03:30:00.123Z" (UTC, milliseconds).
std::string format_time(std::chrono::system_clock::time_point time);

// "<time> <name> <action> [state=<s>] held=<n> [duration_ms=<n>] [failed=<n>]
// [requeued=<n>]"; the name is "-" for an event of no device.
std::string format_text(const IohangEvent &event);

// One JSON object on one line (schema in iohangctl(8)).
std::string format_json(const IohangEvent &event);

// IOHANG_DEVICE=..., IOHANG_ACTION=..., ... for a hook; unset fields are
// left out.
std::vector<std::string> hook_environment(const IohangEvent &event);

} // namespace iohang
