// SPDX-License-Identifier: GPL-2.0
// A subcommand: its name, help text, arguments and code.  Each cli/*.cc
// file defines one and registers it with a static Action object (the
// pattern of ceph rbd's Shell::Action).
#pragma once

#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include <boost/program_options.hpp>

#include "dm/device_mapper.h"
#include "udev/event_source.h"

namespace iohang {

namespace po = boost::program_options;

// What an action may touch; tests fill it with fakes.
struct Context {
	DeviceMapper &dm;
	EventSourceFactory events;
	std::ostream &out;
	std::ostream &err;
};

class Action {
public:
	// options: shown in --help.  hidden + positional: the operands.
	using GetArguments = void (*)(po::options_description &options,
				      po::options_description &hidden,
				      po::positional_options_description &positional);
	// Throws UsageError or OperationError (core/errors.h) on failure.
	using Execute = void (*)(const po::variables_map &arguments, Context &context);

	Action(std::string name, std::string operands, std::string summary,
	       GetArguments get_arguments, Execute execute);
	Action(const Action &) = delete;
	Action &operator=(const Action &) = delete;

	// Every registered action, in registration order.
	static const std::vector<const Action *> &all();
	static const Action *find(std::string_view name);

	const std::string name;
	const std::string operands; // e.g. "NAME DEVICE"
	const std::string summary;
	const GetArguments get_arguments;
	const Execute execute;
};

} // namespace iohang
