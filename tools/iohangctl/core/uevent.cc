// SPDX-License-Identifier: GPL-2.0
#include "core/uevent.h"

#include <cctype>
#include <cstdio>
#include <ctime>
#include <stdexcept>

#include "core/duration.h"
#include "core/json.h"
#include "dm-iohang.h"

namespace iohang {
namespace {

constexpr std::string_view kActionPrefix = "IOHANG_";

std::string lookup(const UeventProperties &properties, const char *key)
{
	const auto it = properties.find(key);
	return it == properties.end() ? std::string() : it->second;
}

std::optional<std::uint64_t> number(const UeventProperties &properties, const char *key)
{
	const auto it = properties.find(key);
	if (it == properties.end())
		return std::nullopt;
	try {
		return parse_unsigned(it->second);
	} catch (const std::invalid_argument &) {
		return std::nullopt;
	}
}

std::string short_action(std::string_view kernel_action)
{
	std::string out(kernel_action.substr(kActionPrefix.size()));
	for (char &c : out)
		c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
	return out;
}

} // namespace

std::optional<IohangEvent> iohang_event_from(const UeventProperties &properties,
					     std::chrono::system_clock::time_point time)
{
	if (lookup(properties, DM_IOHANG_UEVENT_TARGET) != DM_IOHANG_TARGET_NAME)
		return std::nullopt;
	const std::string action = lookup(properties, DM_IOHANG_UEVENT_ACTION);
	if (action.size() <= kActionPrefix.size() ||
	    action.compare(0, kActionPrefix.size(), kActionPrefix) != 0)
		return std::nullopt;

	IohangEvent event;
	event.time = time;
	event.name = lookup(properties, DM_IOHANG_UEVENT_NAME);
	event.uuid = lookup(properties, DM_IOHANG_UEVENT_UUID);
	// The kernel sends "dm-3"; libudev hands it on as "/dev/dm-3".
	event.kernel_name = lookup(properties, "DEVNAME");
	if (event.kernel_name.compare(0, 5, "/dev/") == 0)
		event.kernel_name.erase(0, 5);
	event.action = short_action(action);
	event.held = number(properties, DM_IOHANG_UEVENT_HELD);
	event.duration_ms = number(properties, DM_IOHANG_UEVENT_DURATION_MS);
	event.failed = number(properties, DM_IOHANG_UEVENT_FAILED);
	event.requeued = number(properties, DM_IOHANG_UEVENT_REQUEUED);
	return event;
}

bool event_matches(const IohangEvent &event, const std::vector<std::string> &names)
{
	if (names.empty())
		return true;
	for (const auto &name : names)
		if (name == event.name)
			return true;
	return false;
}

std::string format_time(std::chrono::system_clock::time_point time)
{
	using namespace std::chrono;
	const auto since_epoch = duration_cast<milliseconds>(time.time_since_epoch());
	const std::time_t seconds = static_cast<std::time_t>(since_epoch.count() / 1000);
	const int millis = static_cast<int>(since_epoch.count() % 1000);
	std::tm tm{};
	gmtime_r(&seconds, &tm);
	char buf[64];
	std::snprintf(buf, sizeof(buf), "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ",
		      tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min,
		      tm.tm_sec, millis);
	return buf;
}

std::string format_text(const IohangEvent &event)
{
	// The name is the one free-form field; a space or newline in it would
	// break the line, so such a name is shown JSON-quoted.
	const bool plain = !event.name.empty() &&
			   event.name.find_first_of(" \t\n\r\"\\") == std::string::npos;
	const std::string name = event.name.empty() && event.action == kLostAction
					 ? "-"
					 : plain ? event.name : json_quote(event.name);
	std::string line = format_time(event.time) + " " + name + " " + event.action;
	if (event.state)
		line += " state=" + *event.state;
	if (event.held)
		line += " held=" + std::to_string(*event.held);
	if (event.duration_ms)
		line += " duration_ms=" + std::to_string(*event.duration_ms);
	if (event.failed)
		line += " failed=" + std::to_string(*event.failed);
	if (event.requeued)
		line += " requeued=" + std::to_string(*event.requeued);
	return line;
}

std::string format_json(const IohangEvent &event)
{
	JsonWriter json;
	json.begin_object()
		.field("version", kJsonSchemaVersion)
		.field("time", format_time(event.time))
		.field("name", event.name)
		.field("uuid", event.uuid)
		.field("kernel_name", event.kernel_name)
		.field("action", event.action)
		.field("state", event.state)
		.field("held", event.held)
		.field("duration_ms", event.duration_ms)
		.field("failed", event.failed)
		.field("requeued", event.requeued)
		.end_object();
	return json.str();
}

std::vector<std::string> hook_environment(const IohangEvent &event)
{
	std::vector<std::string> env = {
		"IOHANG_DEVICE=" + event.name,
		"IOHANG_ACTION=" + event.action,
		"IOHANG_UUID=" + event.uuid,
		"IOHANG_TIME=" + format_time(event.time),
	};
	if (event.state)
		env.push_back("IOHANG_STATE=" + *event.state);
	if (event.held)
		env.push_back("IOHANG_HELD=" + std::to_string(*event.held));
	if (event.duration_ms)
		env.push_back("IOHANG_DURATION_MS=" + std::to_string(*event.duration_ms));
	if (event.failed)
		env.push_back("IOHANG_FAILED=" + std::to_string(*event.failed));
	if (event.requeued)
		env.push_back("IOHANG_REQUEUED=" + std::to_string(*event.requeued));
	return env;
}

} // namespace iohang
