// SPDX-License-Identifier: GPL-2.0
// Every subcommand, in the order --help lists them.  A plain table, not
// self-registering objects: those need whole-archive linking to survive a
// static library, and the list of commands belongs in one place.
#include "cli/commands.h"

namespace iohang {
namespace {

const std::vector<Action> kActions = {
	{"create", "NAME DEVICE", "Create the iohang device NAME over DEVICE, the size of DEVICE.",
	 action::create::get_arguments, action::create::execute},
	{"remove", "NAME...", "Remove iohang devices; with --force, fail their held I/O first.",
	 action::remove::get_arguments, action::remove::execute},
	{"list", "", "List iohang devices with their state and settings.",
	 action::list::get_arguments, action::list::execute},
	{"status", "[NAME...]", "Show state, counters and settings of iohang devices (all when no NAME).",
	 action::status::get_arguments, action::status::execute},
	{"metrics", "", "Print every iohang device's status for Prometheus, or write it for node_exporter.",
	 action::metrics::get_arguments, action::metrics::execute},
	{"set", "NAME", "Change the timeout or retry interval of a running device.",
	 action::set::get_arguments, action::set::execute},
	{"fail", "NAME", "Fail all I/O the device holds now, with its original error.",
	 action::fail::get_arguments, action::fail::execute},
	{"retry", "NAME", "Retry held I/O now instead of at the next interval.",
	 action::retry::get_arguments, action::retry::execute},
	{"reset-stats", "NAME", "Zero the device's counters.",
	 action::reset_stats::get_arguments, action::reset_stats::execute},
	{"swap", "NAME NEW_DEVICE", "Move NAME onto NEW_DEVICE; I/O held at that moment completes there.",
	 action::swap::get_arguments, action::swap::execute},
	{"table", "DEVICE", "Print the table line for 'dmsetup create' over DEVICE.",
	 action::table::get_arguments, action::table::execute},
	{"monitor", "[NAME...]", "Relay iohang uevents (hang, recover, timeout, fail_all) as they happen.",
	 action::monitor::get_arguments, action::monitor::execute},
	{"wait", "NAME", "Wait until the device is in the given state (exit 124 on --timeout).",
	 action::wait::get_arguments, action::wait::execute},
};

} // namespace

const std::vector<Action> &all_actions()
{
	return kActions;
}

const Action *find_action(std::string_view name)
{
	for (const Action &action : kActions)
		if (action.name == name)
			return &action;
	return nullptr;
}

} // namespace iohang
