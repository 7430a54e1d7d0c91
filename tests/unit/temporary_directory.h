// SPDX-License-Identifier: GPL-2.0
// A fresh directory under $TMPDIR (or /tmp), removed with all it holds.
#pragma once

#include <cstdlib>
#include <filesystem>
#include <string>

namespace iohang::testing {

class TemporaryDirectory {
public:
	TemporaryDirectory()
	{
		std::string pattern =
			(std::filesystem::temp_directory_path() / "iohangctl-test-XXXXXX").string();
		if (!::mkdtemp(pattern.data()))
			std::abort();
		path_ = pattern;
	}
	~TemporaryDirectory()
	{
		std::error_code ignored;
		std::filesystem::remove_all(path_, ignored);
	}
	TemporaryDirectory(const TemporaryDirectory &) = delete;
	TemporaryDirectory &operator=(const TemporaryDirectory &) = delete;

	const std::string &path() const { return path_; }

private:
	std::string path_;
};

} // namespace iohang::testing
