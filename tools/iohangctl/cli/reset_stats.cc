// SPDX-License-Identifier: GPL-2.0
// iohangctl reset-stats NAME
#include "cli/commands.h"
#include "cli/common.h"
#include "dm-iohang.h"

namespace iohang::action::reset_stats {

void get_arguments(po::options_description &options, po::options_description &hidden,
		   po::positional_options_description &positional)
{
	add_name_operand(options, hidden, positional);
}

void execute(const po::variables_map &arguments, Context &context)
{
	send_message_action(arguments, context, "reset-stats", DM_IOHANG_MSG_RESET_STATS);
}

} // namespace iohang::action::reset_stats
