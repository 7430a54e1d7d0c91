// SPDX-License-Identifier: GPL-2.0
// Runs the iohangctl command line against fakes and captures the result.
#pragma once

#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "cli/run.h"
#include "fake_device_mapper.h"

namespace iohang::testing {

struct CliResult {
	int status;
	std::string out;
	std::string err;
};

inline CliResult run_cli(const std::vector<std::string> &arguments, DeviceMapper &dm,
			 EventSourceFactory events = nullptr)
{
	std::ostringstream out, err;
	if (!events)
		events = [](const EventSourceOptions &) -> std::unique_ptr<EventSource> {
			throw OperationError("no event source in this test");
		};
	Context context{dm, events, out, err};
	const int status = run(arguments, context);
	return {status, out.str(), err.str()};
}

} // namespace iohang::testing
