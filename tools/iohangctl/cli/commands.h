// SPDX-License-Identifier: GPL-2.0
// The subcommands: each cli/<name>.cc defines get_arguments and execute in
// namespace iohang::action::<name>; cli/commands.cc lists them.
#pragma once

#include <string_view>
#include <vector>

#include "cli/action.h"

namespace iohang {

namespace action::create {
void get_arguments(po::options_description &options, po::options_description &hidden,
		   po::positional_options_description &positional);
void execute(const po::variables_map &arguments, Context &context);
} // namespace action::create

namespace action::remove {
void get_arguments(po::options_description &options, po::options_description &hidden,
		   po::positional_options_description &positional);
void execute(const po::variables_map &arguments, Context &context);
} // namespace action::remove

namespace action::list {
void get_arguments(po::options_description &options, po::options_description &hidden,
		   po::positional_options_description &positional);
void execute(const po::variables_map &arguments, Context &context);
} // namespace action::list

namespace action::status {
void get_arguments(po::options_description &options, po::options_description &hidden,
		   po::positional_options_description &positional);
void execute(const po::variables_map &arguments, Context &context);
} // namespace action::status

namespace action::metrics {
void get_arguments(po::options_description &options, po::options_description &hidden,
		   po::positional_options_description &positional);
void execute(const po::variables_map &arguments, Context &context);
} // namespace action::metrics

namespace action::set {
void get_arguments(po::options_description &options, po::options_description &hidden,
		   po::positional_options_description &positional);
void execute(const po::variables_map &arguments, Context &context);
} // namespace action::set

namespace action::fail {
void get_arguments(po::options_description &options, po::options_description &hidden,
		   po::positional_options_description &positional);
void execute(const po::variables_map &arguments, Context &context);
} // namespace action::fail

namespace action::retry {
void get_arguments(po::options_description &options, po::options_description &hidden,
		   po::positional_options_description &positional);
void execute(const po::variables_map &arguments, Context &context);
} // namespace action::retry

namespace action::reset_stats {
void get_arguments(po::options_description &options, po::options_description &hidden,
		   po::positional_options_description &positional);
void execute(const po::variables_map &arguments, Context &context);
} // namespace action::reset_stats

namespace action::swap {
void get_arguments(po::options_description &options, po::options_description &hidden,
		   po::positional_options_description &positional);
void execute(const po::variables_map &arguments, Context &context);
} // namespace action::swap

namespace action::table {
void get_arguments(po::options_description &options, po::options_description &hidden,
		   po::positional_options_description &positional);
void execute(const po::variables_map &arguments, Context &context);
} // namespace action::table

namespace action::monitor {
void get_arguments(po::options_description &options, po::options_description &hidden,
		   po::positional_options_description &positional);
void execute(const po::variables_map &arguments, Context &context);
} // namespace action::monitor

namespace action::wait {
void get_arguments(po::options_description &options, po::options_description &hidden,
		   po::positional_options_description &positional);
void execute(const po::variables_map &arguments, Context &context);
} // namespace action::wait

// Every action, in --help order.
const std::vector<Action> &all_actions();
const Action *find_action(std::string_view name);

} // namespace iohang
