// SPDX-License-Identifier: GPL-2.0
// iohangctl swap {NAME | -u UUID} NEW_DEVICE [--offset SECTORS]
//
// Reload with the same options on NEW_DEVICE, suspend without flushing so
// that held I/O is requeued rather than waited for, and resume: the held
// I/O then completes on the new device.
#include "cli/commands.h"
#include "cli/common.h"
#include "core/errors.h"
#include "dm-iohang.h"

namespace iohang::action::swap {

void get_arguments(po::options_description &options, po::options_description &hidden,
		   po::positional_options_description &positional)
{
	hidden.add_options()("name", po::value<std::string>())("new-device",
							      po::value<std::string>());
	positional.add("name", 1).add("new-device", 1);
	add_uuid_selection(options);
	options.add_options()("offset", po::value<std::string>()->value_name("SECTORS"),
			      "start at this sector of NEW_DEVICE (default 0)");
}

void execute(const po::variables_map &arguments, Context &context)
{
	const std::uint64_t offset = integer_option(arguments, "offset", 0, UINT64_MAX).value_or(0);
	DeviceMapper &dm = context.dm;
	std::string name, new_device;
	if (arguments.count("uuid")) {
		// The one operand is then NEW_DEVICE.
		if (arguments.count("new-device"))
			throw UsageError("give NAME or --uuid, not both");
		new_device = required_operand(arguments, "name", "NEW_DEVICE");
		name = dm.name_of_uuid(arguments["uuid"].as<std::string>());
	} else {
		name = required_operand(arguments, "name", "NAME");
		new_device = required_operand(arguments, "new-device", "NEW_DEVICE");
	}

	in_context("swap " + name, [&] {
		const IohangDevice current = read_iohang_device(dm, name, Parsing::kStrict);
		const std::uint64_t needed = current.line.length;
		const BlockDevice block = dm.block_device(new_device);
		const std::uint64_t available = block.sectors;
		if (available < offset || available - offset < needed)
			throw OperationError(new_device + " is too small: the mapping needs " +
					     std::to_string(needed) + " sectors after offset " +
					     std::to_string(offset) + ", the device has " +
					     std::to_string(available));

		// The table from the kernel carries the current timeout and
		// interval, so run-time changes survive the swap.
		IohangParams params = current.params;
		params.device = block.number;
		params.offset = offset;
		TargetLine line = current.line;
		line.params = checked_params(params);

		// A failed load leaves the device untouched and running.
		dm.reload(name, {line});
		try {
			dm.suspend(name, /*noflush=*/true);
		} catch (const OperationError &) {
			try {
				dm.clear_inactive(name);
			} catch (const OperationError &) {
				// The suspend failure is the one to report.
			}
			throw;
		}
		try {
			dm.resume(name);
		} catch (const OperationError &e) {
			throw OperationError(std::string(e.what()) + "; " + name +
					     " IS LEFT SUSPENDED: all its I/O waits until "
					     "'dmsetup resume " + name + "' succeeds");
		}
	});
}

} // namespace iohang::action::swap
