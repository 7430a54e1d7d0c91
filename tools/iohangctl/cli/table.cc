// SPDX-License-Identifier: GPL-2.0
// iohangctl table DEVICE [options]
#include "cli/commands.h"
#include "cli/common.h"
#include "core/errors.h"

namespace iohang::action::table {

void get_arguments(po::options_description &options, po::options_description &hidden,
		   po::positional_options_description &positional)
{
	hidden.add_options()("device", po::value<std::string>());
	positional.add("device", 1);
	add_target_options(options);
}

void execute(const po::variables_map &arguments, Context &context)
{
	const std::string device = required_operand(arguments, "device", "DEVICE");
	IohangParams params = target_params(arguments, device);
	checked_params(params);
	in_context("table " + device, [&] {
		const BlockDevice block = context.dm.block_device(device);
		const std::uint64_t sectors = sectors_after_offset(block, device, params.offset);
		params.device = block.number;
		context.out << build_table_line(sectors, params) << "\n";
	});
}

} // namespace iohang::action::table
