// SPDX-License-Identifier: GPL-2.0
// Replacing a file so that readers never see it half written.
#pragma once

#include <sys/types.h>

#include <string>
#include <string_view>

namespace iohang {

// Writes content to a temporary file in dir, fsyncs it and renames it over
// dir/name: a reader that opens dir/name gets the old file or the new one,
// whole.  The temporary file's name starts with a dot and does not end like
// name, so that a reader picking files by suffix (node_exporter's *.prom)
// never takes it.  Throws OperationError; nothing is left behind then.
void replace_file(const std::string &dir, const std::string &name, std::string_view content,
		  mode_t mode);

} // namespace iohang
