// SPDX-License-Identifier: GPL-2.0
#include "dm/kernel_log.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>

namespace iohang {
namespace {

constexpr std::string_view kTablePrefix = "device-mapper: table: ";

} // namespace

std::optional<std::string> kmsg_record_text(std::string_view record)
{
	// "<prio>,<seq>,<usec>,<flags>[,...];<text>\n[ continuation lines]"
	const std::size_t semicolon = record.find(';');
	if (semicolon == std::string_view::npos)
		return std::nullopt;
	std::string_view text = record.substr(semicolon + 1);
	const std::size_t newline = text.find('\n');
	if (newline != std::string_view::npos)
		text = text.substr(0, newline);
	return std::string(text);
}

std::optional<std::string> dm_table_error(std::string_view text, std::string_view number)
{
	if (text.compare(0, kTablePrefix.size(), kTablePrefix) != 0)
		return std::nullopt;
	const std::string_view reason = text.substr(kTablePrefix.size());
	if (reason.compare(0, number.size(), number) != 0 ||
	    reason.compare(number.size(), 2, ": ") != 0)
		return std::nullopt;
	return std::string(reason);
}

KernelLogCursor::KernelLogCursor()
{
	fd_.reset(::open("/dev/kmsg", O_RDONLY | O_NONBLOCK | O_CLOEXEC));
	if (fd_.valid() && ::lseek(fd_.get(), 0, SEEK_END) < 0)
		fd_.reset();
}

std::optional<std::string> KernelLogCursor::last_table_error(std::string_view number)
{
	if (!fd_.valid())
		return std::nullopt;
	std::optional<std::string> found;
	char record[8192];
	for (;;) {
		// One read returns one record.
		const ssize_t n = ::read(fd_.get(), record, sizeof(record) - 1);
		if (n < 0 && errno == EPIPE) // overwritten while we read: go on
			continue;
		if (n <= 0)
			break;
		const auto text = kmsg_record_text(std::string_view(record, static_cast<std::size_t>(n)));
		if (!text)
			continue;
		if (auto reason = dm_table_error(*text, number))
			found = std::move(reason);
	}
	return found;
}

} // namespace iohang
