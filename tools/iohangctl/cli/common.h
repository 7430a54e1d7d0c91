// SPDX-License-Identifier: GPL-2.0
// Helpers shared by the subcommands: operands, typed options, and reading
// an iohang device's table and status.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "cli/action.h"
#include "core/report.h"
#include "core/table.h"

namespace iohang {

// The operand `key` (shown to the user as `display`), or UsageError.
std::string required_operand(const po::variables_map &arguments, const char *key,
			     const char *display);
// The repeated operand `key`, possibly empty.
std::vector<std::string> operand_list(const po::variables_map &arguments, const char *key);

// -u/--uuid UUID: select the device by its UUID instead of a NAME operand.
void add_uuid_selection(po::options_description &options);
// The NAME operand of a command about one device, or -u/--uuid instead.
void add_name_operand(po::options_description &options, po::options_description &hidden,
		      po::positional_options_description &positional);
// The NAME operand, or with --uuid the name of the device with that UUID
// (OperationError when there is none).  UsageError for neither or both.
std::string selected_name(const po::variables_map &arguments, DeviceMapper &dm);
// The NAME... operands, or with --uuid that one device's name.
std::vector<std::string> selected_names(const po::variables_map &arguments, DeviceMapper &dm);

// Every UUID iohangctl gives starts so (as mpath-, LVM-, CRYPT-), so that
// other tools can tell an iohang device.
constexpr const char *kUuidPrefix = "IOHANG-";
// uuid with the prefix added when it lacks it; "IOHANG-<name>" when empty.
std::string iohang_uuid(const std::string &uuid, const std::string &name);

// Refuses names device-mapper cannot take (empty, too long, with '/').
void check_device_name(const std::string &name);

// --option values, parsed; nullopt when absent.  UsageError on bad input.
std::optional<std::uint64_t> duration_option(const po::variables_map &arguments,
					     const char *option);
// A duration option with limits: problem(ms) says why a value is refused
// (timeout_problem, retry_interval_problem), or nullopt.
using DurationProblem = std::optional<std::string> (*)(std::uint64_t ms);
std::optional<std::uint64_t> duration_option(const po::variables_map &arguments,
					     const char *option, DurationProblem problem);
std::optional<std::uint64_t> integer_option(const po::variables_map &arguments,
					    const char *option, std::uint64_t min,
					    std::uint64_t max);

// --timeout, --retry-interval, --retry-on, --probe, --retry-all,
// --hold-new-io, --max-held, --fail-flush and --offset, for create and
// table.
void add_target_options(po::options_description &options);
IohangParams target_params(const po::variables_map &arguments, const std::string &device);
// build_params with its refusals turned into UsageError.
std::string checked_params(const IohangParams &params);

// Sectors of `block` (opened at `path`) left after `offset`; OperationError
// when none are.
std::uint64_t sectors_after_offset(const BlockDevice &block, const std::string &path,
				   std::uint64_t offset);

// The single iohang target of device `name`, or OperationError saying
// why it is not one.  Parsing::kStrict where the table is written back.
struct IohangDevice {
	TargetLine line;
	IohangParams params;
};
IohangDevice read_iohang_device(DeviceMapper &dm, const std::string &name, Parsing parsing);
// nullopt when `name`'s table is not a single iohang target.
std::optional<IohangDevice> try_read_iohang_device(DeviceMapper &dm, const std::string &name,
						   Parsing parsing);

DeviceReport make_report(DeviceMapper &dm, const std::string &name, const IohangDevice &device);

// Runs fn; an OperationError from it is rethrown as "<what>: <reason>", so
// that messages read "create ioh: device-mapper reload failed: ...".
void in_context(const std::string &what, const std::function<void()> &fn);

// Sends a one-word target message to an iohang device (fail, retry, ...).
void send_message_action(const po::variables_map &arguments, Context &context,
			 const char *command, const char *message);

} // namespace iohang
