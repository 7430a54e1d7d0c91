// SPDX-License-Identifier: GPL-2.0
// A subcommand: its name, help text, arguments and code (cli/commands.cc
// lists them all).
#pragma once

#include <ostream>
#include <string_view>

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

struct Action {
	// options: shown in --help.  hidden + positional: the operands.
	using GetArguments = void (*)(po::options_description &options,
				      po::options_description &hidden,
				      po::positional_options_description &positional);
	// Throws UsageError or OperationError (core/errors.h) on failure.
	using Execute = void (*)(const po::variables_map &arguments, Context &context);

	std::string_view name;
	std::string_view operands; // e.g. "NAME DEVICE"
	std::string_view summary;
	GetArguments get_arguments;
	Execute execute;
};

} // namespace iohang
