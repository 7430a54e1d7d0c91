// SPDX-License-Identifier: GPL-2.0
// iohangctl fail NAME
#include "cli/commands.h"
#include "cli/common.h"
#include "dm-iohang.h"

namespace iohang::action::fail {

void get_arguments(po::options_description &options, po::options_description &hidden,
		   po::positional_options_description &positional)
{
	add_name_operand(options, hidden, positional);
}

void execute(const po::variables_map &arguments, Context &context)
{
	send_message_action(arguments, context, "fail", DM_IOHANG_MSG_FAIL_ALL);
}

} // namespace iohang::action::fail
