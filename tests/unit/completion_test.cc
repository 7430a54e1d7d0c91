// SPDX-License-Identifier: GPL-2.0
// completion/iohangctl offers every long option of every command: the
// options come from the commands themselves, the completion is read as
// text, so an option added to one and not the other fails here.
#include <gtest/gtest.h>

#include <fstream>
#include <regex>
#include <set>
#include <sstream>

#include "cli/commands.h"

#ifndef IOHANG_SOURCE_DIR
#error "IOHANG_SOURCE_DIR must come from the build"
#endif

namespace iohang {
namespace {

std::string completion_script()
{
	std::ifstream in(IOHANG_SOURCE_DIR "/completion/iohangctl");
	std::ostringstream text;
	text << in.rdbuf();
	return text.str();
}

std::set<std::string> words_of(const std::string &text)
{
	std::istringstream in(text);
	std::set<std::string> words;
	for (std::string word; in >> word;)
		words.insert(word);
	return words;
}

// The words of `opts="..."` in the case branch that names `command`, with
// $target_opts expanded.
std::set<std::string> completed_options(const std::string &script, std::string_view command)
{
	const std::regex target_opts(R"re(local target_opts="([^"]*)")re");
	std::smatch match;
	std::string targets;
	if (std::regex_search(script, match, target_opts))
		targets = match[1];
	const std::regex branch(R"re(\n\t([-a-z |]+)\) opts="([^"]*)")re");
	for (auto it = std::sregex_iterator(script.begin(), script.end(), branch);
	     it != std::sregex_iterator(); ++it) {
		const std::set<std::string> names = words_of(std::regex_replace((*it)[1].str(), std::regex("\\|"), " "));
		if (!names.count(std::string(command)))
			continue;
		return words_of(std::regex_replace((*it)[2].str(), std::regex("\\$target_opts"), targets));
	}
	return {};
}

TEST(Completion, OffersEveryOptionOfEveryCommand)
{
	const std::string script = completion_script();
	ASSERT_FALSE(script.empty());
	// Offered for every command, outside the per-command lists.
	EXPECT_NE(script.find("\"$opts --help --verbose --noudevsync\""), std::string::npos);
	for (const Action &action : all_actions()) {
		SCOPED_TRACE(std::string(action.name));
		po::options_description options, hidden;
		po::positional_options_description positional;
		action.get_arguments(options, hidden, positional);
		std::set<std::string> expected;
		for (const auto &option : options.options())
			expected.insert("--" + option->long_name());
		EXPECT_EQ(completed_options(script, action.name), expected);
	}
}

} // namespace
} // namespace iohang
