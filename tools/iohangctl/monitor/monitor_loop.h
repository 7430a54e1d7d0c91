// SPDX-License-Identifier: GPL-2.0
// The `monitor` loop: poll the event source and the signals, relay each
// matching iohang event to stdout, syslog and/or a hook.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "monitor/hook_runner.h"
#include "udev/event_source.h"

namespace iohang {

struct MonitorSettings {
	std::vector<std::string> names; // empty: every iohang device
	bool json = false;
	bool quiet = false; // nothing on stdout
	bool syslog = false;
	std::string exec;   // empty: no hook
	HookLimits hooks;
	std::optional<std::uint64_t> count;       // stop after N matching events
	std::optional<std::uint64_t> duration_ms; // stop after this long
	// Rewrites the metrics textfile (--metrics-textfile); empty: none.
	// Called before "ready", where what it throws ends the monitor, and
	// after every batch of uevents, where that is reported and the
	// monitor goes on: a full disk must not stop the relaying of events.
	std::function<void()> refresh_metrics;
};

// The current state of every iohang device, as kStateAction events (the
// monitor calls it after uevents were lost).  Throws OperationError.
using StateReader = std::function<std::vector<IohangEvent>()>;

// Says "ready" on err and to systemd (sd_notify) once subscribed.
// Returns when SIGINT or SIGTERM arrives, --count events were relayed or
// --duration passed; then waits for hooks still running or queued, at most
// one hook timeout (a second signal stops that wait), and kills what is
// left, reporting what was not run.  Lost
// uevents are relayed as a kLostAction event followed by read_states().
void run_monitor(const MonitorSettings &settings, EventSource &source,
		 const StateReader &read_states, std::ostream &out, std::ostream &err);

} // namespace iohang
