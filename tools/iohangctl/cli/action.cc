// SPDX-License-Identifier: GPL-2.0
#include "cli/action.h"

namespace iohang {
namespace {

// A function-local static: actions register from other files' static
// initializers, whose order relative to this file is unspecified.
std::vector<const Action *> &registry()
{
	static std::vector<const Action *> actions;
	return actions;
}

} // namespace

Action::Action(std::string name_, std::string operands_, std::string summary_,
	       GetArguments get_arguments_, Execute execute_)
	: name(std::move(name_)), operands(std::move(operands_)), summary(std::move(summary_)),
	  get_arguments(get_arguments_), execute(execute_)
{
	registry().push_back(this);
}

const std::vector<const Action *> &Action::all()
{
	return registry();
}

const Action *Action::find(std::string_view wanted)
{
	for (const Action *action : registry())
		if (action->name == wanted)
			return action;
	return nullptr;
}

} // namespace iohang
