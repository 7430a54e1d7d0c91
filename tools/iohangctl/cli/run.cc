// SPDX-License-Identifier: GPL-2.0
#include "cli/run.h"

#include <exception>
#include <sstream>

#include "cli/commands.h"
#include "core/errors.h"
#include "dm-iohang.h"

#ifndef IOHANGCTL_VERSION
#error "IOHANGCTL_VERSION must come from the build (the project version)"
#endif

namespace iohang {
namespace {

#define STRINGIFY2(x) #x
#define STRINGIFY(x) STRINGIFY2(x)

const std::string kProgram = "iohangctl";

std::string version_text()
{
	return kProgram + " " IOHANGCTL_VERSION " (for the " DM_IOHANG_TARGET_NAME
			  " target " STRINGIFY(DM_IOHANG_VERSION_MAJOR) "." STRINGIFY(
				  DM_IOHANG_VERSION_MINOR) "." STRINGIFY(DM_IOHANG_VERSION_PATCH) ")\n";
}

std::string general_help()
{
	std::ostringstream text;
	text << "Usage: " << kProgram << " [-v] [--noudevsync] COMMAND [ARGUMENTS] [OPTIONS]\n"
	     << "       " << kProgram << " COMMAND --help\n"
	     << "       " << kProgram << " --version\n\n"
	     << "Manage dm-iohang devices: block devices that hold I/O failing with\n"
	     << "retryable errors and resubmit it until a timeout.\n\nCommands:\n";
	for (const Action &action : all_actions())
		text << "  " << action.name
		     << std::string(14 - std::min<std::size_t>(13, action.name.size()), ' ')
		     << action.summary << "\n";
	text << "\nSee iohangctl(8).\n";
	return text.str();
}

struct ParsedAction {
	po::options_description visible{"Options"};
	po::variables_map arguments;
	bool help = false;
};

void parse(const Action &action, const std::vector<std::string> &words, ParsedAction &parsed)
{
	po::options_description hidden;
	po::positional_options_description positional;
	parsed.visible.add_options()("help,h", po::bool_switch(), "show this help")(
		"verbose,v", po::bool_switch(), "show libdevmapper's own messages")(
		"noudevsync", po::bool_switch(),
		"do not wait for udev; create device nodes directly (as dmsetup --noudevsync)");
	action.get_arguments(parsed.visible, hidden, positional);
	po::options_description all;
	all.add(parsed.visible).add(hidden);

	try {
		po::store(po::command_line_parser(words)
				  .options(all)
				  .positional(positional)
				  .style(po::command_line_style::default_style &
					 ~po::command_line_style::allow_guessing)
				  .run(),
			  parsed.arguments);
		po::notify(parsed.arguments);
	} catch (const po::error &e) {
		throw UsageError(e.what());
	}
	parsed.help = parsed.arguments["help"].as<bool>();
}

std::string action_help(const Action &action, const ParsedAction &parsed)
{
	std::ostringstream text;
	text << "Usage: " << kProgram << " " << action.name
	     << (action.operands.empty() ? "" : " ") << action.operands << " [OPTIONS]\n\n"
	     << action.summary << "\n\n"
	     << parsed.visible;
	return text.str();
}

int dispatch(const std::vector<std::string> &arguments, Context &context, std::string &command)
{
	if (arguments.empty())
		throw UsageError("no command given (expected one of the commands in '" + kProgram +
				 " --help')");
	// Global switches may come before the command too, as with dmsetup.
	bool verbose = false, noudevsync = false;
	auto words = arguments.begin();
	for (; words != arguments.end(); ++words) {
		if (*words == "-v" || *words == "--verbose")
			verbose = true;
		else if (*words == "--noudevsync")
			noudevsync = true;
		else
			break;
	}
	if (words == arguments.end())
		throw UsageError("no command given (expected one of the commands in '" + kProgram +
				 " --help')");
	const std::string &first = *words;
	if (first == "--help" || first == "-h") {
		context.out << general_help();
		return kExitOk;
	}
	if (first == "--version" || first == "-V") {
		context.out << version_text();
		return kExitOk;
	}

	std::vector<std::string> rest(words + 1, arguments.end());
	std::string name = first;
	if (name == "help") {
		if (rest.empty()) {
			context.out << general_help();
			return kExitOk;
		}
		name = rest.front();
		rest = {"--help"};
	}
	const Action *action = find_action(name);
	if (!action)
		throw UsageError("unknown command '" + name + "' (see '" + kProgram + " --help')");
	command = action->name;

	ParsedAction parsed;
	parse(*action, rest, parsed);
	if (parsed.help) {
		context.out << action_help(*action, parsed);
		return kExitOk;
	}
	context.dm.set_verbose(verbose || parsed.arguments["verbose"].as<bool>());
	context.dm.set_udev_sync(!noudevsync && !parsed.arguments["noudevsync"].as<bool>());
	action->execute(parsed.arguments, context);
	return kExitOk;
}

} // namespace

int run(const std::vector<std::string> &arguments, Context &context)
{
	std::string command;
	try {
		const int status = dispatch(arguments, context, command);
		// A full disk or closed pipe must not look like success.
		if (!context.out.flush())
			throw OperationError("cannot write to standard output");
		return status;
	} catch (const UsageError &e) {
		context.err << kProgram << ": " << (command.empty() ? "" : command + ": ") << e.what()
			    << "\n";
		context.err << "Try '" << kProgram << (command.empty() ? "" : " " + command)
			    << " --help'.\n";
		return kExitUsage;
	} catch (const TimedOut &e) {
		context.err << kProgram << ": " << e.what() << "\n";
		return kExitTimeout;
	} catch (const std::exception &e) {
		context.err << kProgram << ": " << e.what() << "\n";
		return kExitFailure;
	}
}

} // namespace iohang
