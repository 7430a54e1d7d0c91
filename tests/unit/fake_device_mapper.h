// SPDX-License-Identifier: GPL-2.0
// An in-memory DeviceMapper that records what was asked of it, for testing
// the subcommands without a kernel.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "core/errors.h"
#include "dm/device_mapper.h"

namespace iohang::testing {

struct FakeDevice {
	std::vector<TargetLine> table;
	std::string status = "ok 0 0 0 0 0 0 0 0"; // INFO line of the single target
	std::vector<TargetLine> inactive;
	bool suspended = false;
	bool read_only = false;
	std::uint32_t open_count = 0;
	std::string uuid;
	std::string number = "253:0";
};

class FakeDeviceMapper : public DeviceMapper {
public:
	// Device-mapper devices by name, in list order (std::map: sorted).
	std::map<std::string, FakeDevice> devices;
	// Block devices by path.
	std::map<std::string, BlockDevice> block_devices;
	// "major:minor" -> readable name.
	std::map<std::string, std::string> device_names;
	// Operation name ("reload", "message", "message set_timeout", ...) ->
	// error it throws.
	std::map<std::string, std::string> failures;
	// Every state-changing call, in order: "reload ioh 0 8 iohang ...".
	std::vector<std::string> calls;
	bool verbose = false;
	bool udev_sync = true;
	int status_reads = 0;

	void set_verbose(bool on) override { verbose = on; }
	void set_udev_sync(bool on) override { udev_sync = on; }

	void add_iohang(const std::string &name, const std::string &params,
			std::uint64_t sectors = 2048, const std::string &status = "ok 0 0 0 0 0 0 0 0")
	{
		devices[name].table = {{0, sectors, "iohang", params}};
		devices[name].status = status;
	}

	void create(const CreateRequest &r) override
	{
		std::string call = "create " + r.name;
		if (!r.uuid.empty())
			call += " uuid=" + r.uuid;
		if (r.read_only)
			call += " ro";
		for (const auto &t : r.table)
			call += " | " + line(t);
		calls.push_back(call);
		maybe_fail("create");
		if (devices.count(r.name))
			throw OperationError("device-mapper create failed: Device or resource busy");
		devices[r.name].table = r.table;
		devices[r.name].uuid = r.uuid;
		devices[r.name].read_only = r.read_only;
	}
	void reload(const std::string &name, const std::vector<TargetLine> &table) override
	{
		calls.push_back("reload " + name + " " + line(table.at(0)));
		maybe_fail("reload");
		get(name).inactive = table;
	}
	void clear_inactive(const std::string &name) override
	{
		calls.push_back("clear " + name);
		maybe_fail("clear");
		get(name).inactive.clear();
	}
	void suspend(const std::string &name, bool noflush) override
	{
		calls.push_back("suspend " + name + (noflush ? " noflush" : ""));
		maybe_fail("suspend");
		get(name).suspended = true;
	}
	void resume(const std::string &name) override
	{
		calls.push_back("resume " + name);
		maybe_fail("resume");
		FakeDevice &d = get(name);
		if (!d.inactive.empty())
			d.table = std::move(d.inactive);
		d.inactive.clear();
		d.suspended = false;
	}
	void remove(const std::string &name) override
	{
		calls.push_back("remove " + name);
		maybe_fail("remove");
		get(name);
		devices.erase(name);
	}
	std::string message(const std::string &name, const std::string &text) override
	{
		calls.push_back("message " + name + " " + text);
		maybe_fail("message");
		maybe_fail("message " + text.substr(0, text.find(' ')));
		get(name);
		return "";
	}
	std::vector<TargetLine> table(const std::string &name) override { return get(name).table; }
	std::vector<TargetLine> status(const std::string &name) override
	{
		++status_reads;
		FakeDevice &d = get(name);
		std::vector<TargetLine> out = d.table;
		for (auto &t : out)
			t.params = d.status;
		return out;
	}
	DeviceInfo info(const std::string &name) override
	{
		const FakeDevice &d = get(name);
		return {d.suspended, d.read_only, d.open_count, d.uuid, d.number};
	}
	std::string name_of_uuid(const std::string &uuid) override
	{
		for (const auto &[name, device] : devices)
			if (device.uuid == uuid)
				return name;
		throw OperationError("no device-mapper device with UUID '" + uuid + "'");
	}
	std::vector<std::string> list() override
	{
		maybe_fail("list");
		std::vector<std::string> names;
		for (const auto &[name, device] : devices)
			names.push_back(name);
		return names;
	}
	BlockDevice block_device(const std::string &path) override
	{
		const auto it = block_devices.find(path);
		if (it == block_devices.end())
			throw OperationError("cannot open " + path + ": No such file or directory");
		return it->second;
	}
	std::string describe_device(const std::string &major_minor) override
	{
		const auto it = device_names.find(major_minor);
		return it == device_names.end() ? major_minor : it->second;
	}

private:
	static std::string line(const TargetLine &t)
	{
		return std::to_string(t.start) + " " + std::to_string(t.length) + " " + t.type +
		       " " + t.params;
	}
	void maybe_fail(const std::string &operation)
	{
		const auto it = failures.find(operation);
		if (it != failures.end())
			throw OperationError(it->second);
	}
	FakeDevice &get(const std::string &name)
	{
		const auto it = devices.find(name);
		if (it == devices.end())
			throw OperationError("no device-mapper device named '" + name + "'");
		return it->second;
	}
};

} // namespace iohang::testing
