// SPDX-License-Identifier: GPL-2.0
// What iohangctl needs from device-mapper and block devices, as a small
// interface: LibDevmapper talks to the kernel, tests use a fake.
// Every call throws OperationError (core/errors.h) on failure, with a
// message that already names the operation and the kernel's reason.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace iohang {

struct TargetLine {
	std::uint64_t start = 0;  // sectors
	std::uint64_t length = 0; // sectors
	std::string type;
	std::string params;

	bool operator==(const TargetLine &o) const
	{
		return start == o.start && length == o.length && type == o.type &&
		       params == o.params;
	}
};

struct BlockDevice {
	std::uint64_t sectors = 0; // 512-byte sectors
	std::string number;        // "major:minor", for tables
};

// What device-mapper itself says of a device (DM_DEVICE_INFO).
struct DeviceInfo {
	bool suspended = false;
	bool read_only = false;
	std::uint32_t open_count = 0;
	std::string uuid; // empty: none
	std::string number; // "major:minor" of the dm device
};

struct CreateRequest {
	std::string name;
	std::string uuid; // empty: none
	bool read_only = false;
	std::vector<TargetLine> table;
};

class DeviceMapper {
public:
	virtual ~DeviceMapper() = default;

	// Show the library's own messages on stderr (iohangctl -v).
	virtual void set_verbose(bool on) = 0;
	// Off: do not wait for udev, create nodes directly (--noudevsync, for
	// a udev that is stuck).
	virtual void set_udev_sync(bool on) = 0;

	// Creates, loads and resumes the device, then waits until its node
	// exists (udev cookie, or libdevmapper's own node creation).  If the
	// load or the resume fails, the device is removed again.
	virtual void create(const CreateRequest &request) = 0;
	// Loads an inactive table; the live one is untouched until resume.
	virtual void reload(const std::string &name, const std::vector<TargetLine> &table) = 0;
	// Drops an inactive table loaded by reload.
	virtual void clear_inactive(const std::string &name) = 0;
	// noflush: I/O held by the target is requeued instead of waited for.
	virtual void suspend(const std::string &name, bool noflush) = 0;
	virtual void resume(const std::string &name) = 0;
	virtual void remove(const std::string &name) = 0;
	// Sends a target message to sector 0 and returns the reply (often empty).
	virtual std::string message(const std::string &name, const std::string &text) = 0;
	// The live table (DM_DEVICE_TABLE) and INFO status (DM_DEVICE_STATUS).
	virtual std::vector<TargetLine> table(const std::string &name) = 0;
	virtual std::vector<TargetLine> status(const std::string &name) = 0;
	virtual DeviceInfo info(const std::string &name) = 0;
	// The name of the device whose UUID is uuid.
	virtual std::string name_of_uuid(const std::string &uuid) = 0;
	// Names of all device-mapper devices.
	virtual std::vector<std::string> list() = 0;
	// Size and number of the block device at path, from the one open.
	virtual BlockDevice block_device(const std::string &path) = 0;
	// A readable name for "major:minor", e.g. "/dev/sdb"; the input itself
	// when nothing better is known.
	virtual std::string describe_device(const std::string &major_minor) = 0;
};

} // namespace iohang
