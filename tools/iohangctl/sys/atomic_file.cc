// SPDX-License-Identifier: GPL-2.0
#include "sys/atomic_file.h"

#include <fcntl.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <vector>

#include "core/errors.h"
#include "sys/unique_fd.h"

namespace iohang {
namespace {

// The temporary file, unlinked again unless it was renamed into place.
class TemporaryFile {
public:
	TemporaryFile(const std::string &dir, const std::string &name)
	{
		std::string pattern = dir + "/." + name + ".XXXXXX";
		std::vector<char> path(pattern.begin(), pattern.end());
		path.push_back('\0');
		fd_.reset(::mkostemp(path.data(), O_CLOEXEC));
		if (!fd_.valid())
			fail("cannot create a temporary file in", dir);
		path_ = path.data();
	}
	~TemporaryFile()
	{
		if (!path_.empty())
			::unlink(path_.c_str());
	}
	TemporaryFile(const TemporaryFile &) = delete;
	TemporaryFile &operator=(const TemporaryFile &) = delete;

	void write(std::string_view content, mode_t mode)
	{
		// mkostemp makes it 0600; readers may run as another user.
		if (::fchmod(fd_.get(), mode) != 0)
			fail("cannot set the mode of", path_);
		while (!content.empty()) {
			const ssize_t n = ::write(fd_.get(), content.data(), content.size());
			if (n < 0 && errno == EINTR)
				continue;
			if (n < 0)
				fail("cannot write", path_);
			content.remove_prefix(static_cast<std::size_t>(n));
		}
		if (::fsync(fd_.get()) != 0)
			fail("cannot write", path_);
		const int fd = fd_.release();
		if (::close(fd) != 0)
			fail("cannot write", path_);
	}
	void rename_to(const std::string &target)
	{
		if (::rename(path_.c_str(), target.c_str()) != 0)
			fail("cannot rename the temporary file over", target);
		path_.clear();
	}

private:
	// Takes errno before anything else can change it.
	[[noreturn]] static void fail(const char *what, const std::string &path)
	{
		const int error = errno;
		throw OperationError(std::string(what) + " " + path + ": " + std::strerror(error));
	}

	UniqueFd fd_;
	std::string path_;
};

} // namespace

void replace_file(const std::string &dir, const std::string &name, std::string_view content,
		  mode_t mode)
{
	TemporaryFile file(dir, name);
	file.write(content, mode);
	file.rename_to(dir + "/" + name);
}

} // namespace iohang
