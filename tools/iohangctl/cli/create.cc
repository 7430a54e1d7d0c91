// SPDX-License-Identifier: GPL-2.0
// iohangctl create NAME DEVICE [options]
#include <algorithm>

#include "cli/commands.h"
#include "cli/common.h"
#include "core/errors.h"
#include "dm-iohang.h"

namespace iohang::action::create {

void get_arguments(po::options_description &options, po::options_description &hidden,
		   po::positional_options_description &positional)
{
	hidden.add_options()("name", po::value<std::string>())("device", po::value<std::string>());
	positional.add("name", 1).add("device", 1);
	add_target_options(options);
	options.add_options()
		("uuid", po::value<std::string>()->value_name("UUID"),
		 "device-mapper UUID of the new device, IOHANG- added if missing (default IOHANG-NAME)")
		("read-only", po::bool_switch(), "create a read-only device");
}

void execute(const po::variables_map &arguments, Context &context)
{
	const std::string name = required_operand(arguments, "name", "NAME");
	const std::string device = required_operand(arguments, "device", "DEVICE");
	check_device_name(name);
	IohangParams params = target_params(arguments, device);
	checked_params(params);

	CreateRequest request;
	request.name = name;
	request.uuid = iohang_uuid(
		arguments.count("uuid") ? arguments["uuid"].as<std::string>() : std::string(), name);
	request.read_only = arguments["read-only"].as<bool>();

	in_context("create " + name, [&] {
		// The kernel would say only "device busy".
		const std::vector<std::string> existing = context.dm.list();
		if (std::find(existing.begin(), existing.end(), name) != existing.end())
			throw OperationError("a device-mapper device named '" + name +
					     "' exists already");
		const BlockDevice block = context.dm.block_device(device);
		const std::uint64_t sectors = sectors_after_offset(block, device, params.offset);
		params.device = block.number;
		request.table = {{0, sectors, DM_IOHANG_TARGET_NAME, checked_params(params)}};
		context.dm.create(request);
	});
}

} // namespace iohang::action::create
