// SPDX-License-Identifier: GPL-2.0
// Splitting kernel-printed lines into words.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace iohang {

// Splits on runs of spaces, tabs and newlines; no empty words.
std::vector<std::string> split_words(std::string_view text);

} // namespace iohang
