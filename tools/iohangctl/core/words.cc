// SPDX-License-Identifier: GPL-2.0
#include "core/words.h"

namespace iohang {

std::vector<std::string> split_words(std::string_view text)
{
	std::vector<std::string> words;
	std::size_t pos = 0;
	while (pos < text.size()) {
		const std::size_t start = text.find_first_not_of(" \t\n", pos);
		if (start == std::string_view::npos)
			break;
		std::size_t end = text.find_first_of(" \t\n", start);
		if (end == std::string_view::npos)
			end = text.size();
		words.emplace_back(text.substr(start, end - start));
		pos = end;
	}
	return words;
}

} // namespace iohang
