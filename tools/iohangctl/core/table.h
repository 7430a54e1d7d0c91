// SPDX-License-Identifier: GPL-2.0
// The iohang table line: building it for the kernel and reading it back
// from DM_DEVICE_TABLE.  Pure text handling, no device-mapper calls.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "dm-iohang.h"

namespace iohang {

// Completion statuses that retry_on may name, one bit each, in the
// kernel's canonical order.
enum RetryStatus : unsigned {
	kRetryIoerr = 1u << 0,
	kRetryTransport = 1u << 1,
	kRetryTimeout = 1u << 2,
	kRetryOffline = 1u << 3,
	kRetryMedium = 1u << 4,
	kRetryNospc = 1u << 5,
};
// Since target 1.2.0 (ioerr alone before).
constexpr unsigned kRetryDefault = kRetryIoerr | kRetryTransport;

// "ioerr,transport" -> bits.  Throws std::invalid_argument on an unknown,
// empty or repeated name.
unsigned parse_retry_on(std::string_view list);
// Bits -> {"ioerr", "transport"} in canonical order.
std::vector<std::string_view> retry_on_names(unsigned statuses);
// Bits -> "ioerr,transport" in canonical order.
std::string format_retry_on(unsigned statuses);

struct IohangOptions {
	std::uint64_t timeout_ms = 60000;
	std::uint64_t retry_interval_ms = DM_IOHANG_DEFAULT_RETRY_INTERVAL_MS;
	unsigned retry_on = kRetryDefault;
	// Resubmit every held bio each interval instead of probing with one
	// (probing is the default since target 1.2.0).
	bool retry_all = false;
	bool hold_new_io = false;
	std::optional<std::uint64_t> max_held; // nullopt: unlimited
	bool fail_flush = false;

	bool operator==(const IohangOptions &) const;
	bool operator!=(const IohangOptions &o) const { return !(*this == o); }
};

// Everything after the target type: "<dev> <offset> <timeout_ms> [opts]".
struct IohangParams {
	std::string device; // a path, or "major:minor" as the kernel prints it
	std::uint64_t offset = 0; // sectors
	IohangOptions options;
	// Option words of a newer module, kept by Parsing::kLenient.
	std::vector<std::string> unknown_options;

	bool operator==(const IohangParams &) const;
	bool operator!=(const IohangParams &o) const { return !(*this == o); }
};

// Why the kernel would refuse this timeout or retry interval ("25h is
// above the maximum of 24h"), or nullopt when it would not.
std::optional<std::string> timeout_problem(std::uint64_t ms);
std::optional<std::string> retry_interval_problem(std::uint64_t ms);

// Throws std::invalid_argument when a value is outside what the kernel
// accepts, naming the limit.
void validate(const IohangOptions &options);

// Canonical parameter string, the same form the kernel's TABLE status
// prints: options equal to their defaults are left out.  Refuses params
// with unknown_options: their meaning, so their place, is unknown.
std::string build_params(const IohangParams &params);

// "0 <sectors> iohang <params>", a line for `dmsetup create`.
std::string build_table_line(std::uint64_t sectors, const IohangParams &params);

// kStrict: for a table the tool writes back (swap): anything unknown or
// out of this tool's limits is refused.  kLenient: for display: option
// words of a newer module are kept in unknown_options and limits are the
// kernel's business.
enum class Parsing { kStrict, kLenient };

// Reads parameters in any option order (as the constructor does).  Throws
// std::invalid_argument saying what is wrong.
IohangParams parse_params(std::string_view text, Parsing parsing = Parsing::kStrict);

} // namespace iohang
