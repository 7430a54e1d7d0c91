// SPDX-License-Identifier: GPL-2.0
#include "cli/common.h"

#include <stdexcept>

#include "core/duration.h"
#include "core/errors.h"
#include "core/status.h"
#include "dm-iohang.h"

namespace iohang {
namespace {

// DM_NAME_LEN is 128 including the terminating NUL.
constexpr std::size_t kMaxDeviceNameLength = 127;

std::optional<std::string> string_option(const po::variables_map &arguments, const char *option)
{
	if (!arguments.count(option))
		return std::nullopt;
	return arguments[option].as<std::string>();
}

} // namespace

std::string required_operand(const po::variables_map &arguments, const char *key,
			     const char *display)
{
	if (!arguments.count(key))
		throw UsageError(std::string("missing operand ") + display);
	const std::string value = arguments[key].as<std::string>();
	if (value.empty())
		throw UsageError(std::string("empty operand ") + display);
	return value;
}

std::vector<std::string> operand_list(const po::variables_map &arguments, const char *key)
{
	if (!arguments.count(key))
		return {};
	return arguments[key].as<std::vector<std::string>>();
}

void add_uuid_selection(po::options_description &options)
{
	options.add_options()("uuid,u", po::value<std::string>()->value_name("UUID"),
			      "select the device by its device-mapper UUID instead of NAME");
}

void add_name_operand(po::options_description &options, po::options_description &hidden,
		      po::positional_options_description &positional)
{
	hidden.add_options()("name", po::value<std::string>());
	positional.add("name", 1);
	add_uuid_selection(options);
}

std::string selected_name(const po::variables_map &arguments, DeviceMapper &dm)
{
	const std::vector<std::string> names = selected_names(arguments, dm);
	return names.front();
}

std::vector<std::string> selected_names(const po::variables_map &arguments, DeviceMapper &dm)
{
	// Commands take either one NAME ("name") or several ("names").
	std::vector<std::string> names = operand_list(arguments, "names");
	if (arguments.count("name"))
		names.push_back(required_operand(arguments, "name", "NAME"));
	const auto uuid = string_option(arguments, "uuid");
	if (uuid && !names.empty())
		throw UsageError("give NAME or --uuid, not both");
	if (uuid)
		return {dm.name_of_uuid(*uuid)};
	if (names.empty())
		throw UsageError("missing operand NAME (or --uuid UUID)");
	return names;
}

std::string iohang_uuid(const std::string &uuid, const std::string &name)
{
	if (uuid.empty())
		return kUuidPrefix + name;
	if (uuid.rfind(kUuidPrefix, 0) == 0)
		return uuid;
	return kUuidPrefix + uuid;
}

void check_device_name(const std::string &name)
{
	if (name.empty() || name.size() > kMaxDeviceNameLength || name.find('/') != std::string::npos ||
	    name == "." || name == "..")
		throw UsageError("invalid device name '" + name + "' (expected 1 to " +
				 std::to_string(kMaxDeviceNameLength) + " characters, no '/')");
}

std::optional<std::uint64_t> duration_option(const po::variables_map &arguments,
					     const char *option)
{
	const auto text = string_option(arguments, option);
	if (!text)
		return std::nullopt;
	try {
		return parse_duration_ms(*text);
	} catch (const std::invalid_argument &e) {
		throw UsageError(std::string("--") + option + ": " + e.what());
	}
}

std::optional<std::uint64_t> duration_option(const po::variables_map &arguments,
					     const char *option, DurationProblem problem)
{
	const auto ms = duration_option(arguments, option);
	if (ms)
		if (const auto why = problem(*ms))
			throw UsageError(std::string("--") + option + ": " + *why);
	return ms;
}

std::optional<std::uint64_t> integer_option(const po::variables_map &arguments,
					    const char *option, std::uint64_t min,
					    std::uint64_t max)
{
	const auto text = string_option(arguments, option);
	if (!text)
		return std::nullopt;
	const std::string expected = " (expected an integer from " + std::to_string(min) +
				     " to " + std::to_string(max) + ")";
	std::uint64_t value = 0;
	try {
		value = parse_unsigned(*text);
	} catch (const std::invalid_argument &e) {
		throw UsageError(std::string("--") + option + ": " + e.what() + expected);
	}
	if (value < min || value > max)
		throw UsageError(std::string("--") + option + ": " + *text + " is out of range" +
				 expected);
	return value;
}

void add_target_options(po::options_description &options)
{
	options.add_options()
		("timeout", po::value<std::string>()->value_name("DURATION"),
		 "how long to hold failing I/O before failing it (default 60s; 0 disables holding)")
		("retry-interval", po::value<std::string>()->value_name("DURATION"),
		 "time between probes of held I/O (default 100ms)")
		("retry-on", po::value<std::string>()->value_name("LIST"),
		 "errors to hold: comma-separated ioerr,transport,timeout,offline,medium,nospc "
		 "(default ioerr,transport)")
		("probe", po::bool_switch(), "the default: one held bio probes the device each interval")
		("retry-all", po::bool_switch(), "resubmit every held bio each interval instead of probing")
		("hold-new-io", po::bool_switch(), "while hung, hold new I/O too instead of sending it down")
		("max-held", po::value<std::string>()->value_name("N"),
		 "hold at most N bios; more fail at once (default unlimited)")
		("fail-flush", po::bool_switch(), "never hold flush and FUA writes: they fail at once")
		("offset", po::value<std::string>()->value_name("SECTORS"),
		 "start at this 512-byte sector of DEVICE (default 0)");
}

IohangParams target_params(const po::variables_map &arguments, const std::string &device)
{
	IohangParams params;
	params.device = device;
	params.offset = integer_option(arguments, "offset", 0, UINT64_MAX).value_or(0);
	IohangOptions &o = params.options;
	o.timeout_ms = duration_option(arguments, "timeout", timeout_problem).value_or(o.timeout_ms);
	o.retry_interval_ms = duration_option(arguments, "retry-interval", retry_interval_problem)
				      .value_or(o.retry_interval_ms);
	if (const auto list = string_option(arguments, "retry-on")) {
		try {
			o.retry_on = parse_retry_on(*list);
		} catch (const std::invalid_argument &e) {
			throw UsageError(std::string("--retry-on: ") + e.what());
		}
	}
	o.retry_all = arguments["retry-all"].as<bool>();
	if (o.retry_all && arguments["probe"].as<bool>())
		throw UsageError("--probe and --retry-all exclude each other");
	o.hold_new_io = arguments["hold-new-io"].as<bool>();
	o.max_held = integer_option(arguments, "max-held", 1, DM_IOHANG_MAX_HELD_LIMIT);
	o.fail_flush = arguments["fail-flush"].as<bool>();
	return params;
}

std::string checked_params(const IohangParams &params)
{
	try {
		return build_params(params);
	} catch (const std::invalid_argument &e) {
		throw UsageError(e.what());
	}
}

std::uint64_t sectors_after_offset(const BlockDevice &block, const std::string &path,
				   std::uint64_t offset)
{
	if (block.sectors <= offset)
		throw OperationError(path + " has " + std::to_string(block.sectors) +
				     " sectors, none left after offset " + std::to_string(offset));
	return block.sectors - offset;
}

std::optional<IohangDevice> try_read_iohang_device(DeviceMapper &dm, const std::string &name,
						   Parsing parsing)
{
	const std::vector<TargetLine> table = dm.table(name);
	if (table.size() != 1 || table.front().type != DM_IOHANG_TARGET_NAME)
		return std::nullopt;
	try {
		return IohangDevice{table.front(), parse_params(table.front().params, parsing)};
	} catch (const std::invalid_argument &e) {
		throw OperationError("cannot read the table of " + name + ": " + e.what());
	}
}

IohangDevice read_iohang_device(DeviceMapper &dm, const std::string &name, Parsing parsing)
{
	auto device = try_read_iohang_device(dm, name, parsing);
	if (!device)
		throw OperationError(name + " is not an iohang device (its table is not a single " DM_IOHANG_TARGET_NAME " target)");
	return std::move(*device);
}

DeviceReport make_report(DeviceMapper &dm, const std::string &name, const IohangDevice &device)
{
	const std::vector<TargetLine> status = dm.status(name);
	if (status.size() != 1 || status.front().type != DM_IOHANG_TARGET_NAME)
		throw OperationError(name + " changed while it was being read");
	DeviceReport report;
	report.name = name;
	report.params = device.params;
	report.sectors = device.line.length;
	report.device = dm.describe_device(device.params.device);
	report.info = dm.info(name);
	try {
		report.status = parse_status(status.front().params);
	} catch (const std::invalid_argument &e) {
		throw OperationError("cannot read the status of " + name + ": " + e.what());
	}
	return report;
}

void in_context(const std::string &what, const std::function<void()> &fn)
{
	try {
		fn();
	} catch (const OperationError &e) {
		throw OperationError(what + ": " + e.what());
	}
}

void send_message_action(const po::variables_map &arguments, Context &context,
			 const char *command, const char *message)
{
	const std::string name = selected_name(arguments, context.dm);
	in_context(std::string(command) + " " + name, [&] {
		read_iohang_device(context.dm, name, Parsing::kLenient);
		context.dm.message(name, message);
	});
}

} // namespace iohang
