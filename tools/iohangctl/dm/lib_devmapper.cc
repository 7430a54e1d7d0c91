// SPDX-License-Identifier: GPL-2.0
#include "dm/lib_devmapper.h"

#include <fcntl.h>
#include <linux/fs.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include <libdevmapper.h>

#include <algorithm>
#include <cerrno>
#include <cstdarg>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <iostream>
#include <memory>

#include "core/errors.h"
#include "dm/failure_reason.h"
#include "dm/kernel_log.h"
#include "sys/unique_fd.h"

namespace iohang {
namespace {

struct DmTaskDeleter {
	void operator()(dm_task *task) const { dm_task_destroy(task); }
};
using DmTaskPtr = std::unique_ptr<dm_task, DmTaskDeleter>;

// libdevmapper's log levels (libdevmapper.h's _LOG_*, not exported).
constexpr int kLogErr = 3;
constexpr int kLogWarn = 4;

// libdevmapper's log callback takes no user data, so what it said lives
// here.  iohangctl is single-threaded.  The first error of a call is the
// cause; what follows is consequence ("Incompatible libdevmapper ... and
// kernel driver (unknown version)" after the control device failed).
std::string g_first_error;
bool g_verbose = false;
// libdevmapper reports a missing driver only on the first task and then
// fails later ones silently, so this is remembered for the process.
bool g_device_mapper_missing = false;

bool is_control_open_failure(const std::string &message)
{
	const std::string prefix = std::string(dm_dir()) + "/control: open failed";
	return message.compare(0, prefix.size(), prefix) == 0;
}

extern "C" void log_to_string(int level, const char *file, int line, int dm_errno,
			      const char *format, ...)
{
	(void)file;
	(void)line;
	(void)dm_errno;
	level &= 7;
	if (level > kLogWarn && !g_verbose)
		return;
	char buf[1024];
	va_list args;
	va_start(args, format);
	std::vsnprintf(buf, sizeof(buf), format, args);
	va_end(args);
	if (level <= kLogErr && g_first_error.empty()) {
		g_first_error = buf;
		if (is_control_open_failure(g_first_error))
			g_device_mapper_missing = true;
	}
	// A warning ("Udev cookie ... not released") is worth seeing even
	// when the call succeeds.
	if (g_verbose)
		std::fprintf(stderr, "libdevmapper: %s\n", buf);
	else if (level == kLogWarn)
		std::fprintf(stderr, "iohangctl: libdevmapper: %s\n", buf);
}

// Waits for udev (or libdevmapper's fallback node handling) on every path
// out, error paths included, as dmsetup does; a cookie left unwaited would
// leak a SysV semaphore.
class UdevCookie {
public:
	UdevCookie() = default;
	~UdevCookie()
	{
		if (armed_)
			dm_udev_wait(value_);
	}
	UdevCookie(const UdevCookie &) = delete;
	UdevCookie &operator=(const UdevCookie &) = delete;

	// With udev sync support, the cookie is a semaphore that udev's
	// 95-dm-notify.rules releases once the node exists.  Without it
	// (no udevd, DM_DISABLE_UDEV=1 or --noudevsync) libdevmapper creates
	// the node itself when the cookie is waited for.
	bool attach(dm_task *task)
	{
		// Trust the udev rules, as dmsetup and multipath do: without
		// this, libdevmapper creates the node behind udev's back and a
		// missing rule goes unnoticed (wait_for_node reports it).
		const uint16_t flags =
			dm_udev_get_sync_support() ? DM_UDEV_DISABLE_LIBRARY_FALLBACK : 0;
		armed_ = dm_task_set_cookie(task, &value_, flags) != 0;
		return armed_;
	}

private:
	uint32_t value_ = 0;
	bool armed_ = false;
};

[[noreturn]] void fail(const char *operation, dm_task *task,
			const std::optional<std::string> &kernel_reason = std::nullopt)
{
	const int err = task ? dm_task_get_errno(task) : 0;
	const std::string prefix = std::string("device-mapper ") + operation + " failed: ";
	if (g_device_mapper_missing)
		throw OperationError(prefix + "device-mapper is not available (modprobe dm_mod?)");
	throw OperationError(prefix + failure_reason(err, g_first_error, kernel_reason));
}

DmTaskPtr new_task(int type, const char *operation)
{
	g_first_error.clear();
	DmTaskPtr task(dm_task_create(type));
	if (!task)
		fail(operation, nullptr);
	return task;
}

DmTaskPtr named_task(int type, const std::string &name, const char *operation)
{
	DmTaskPtr task = new_task(type, operation);
	if (!dm_task_set_name(task.get(), name.c_str()))
		fail(operation, task.get());
	return task;
}

void add_targets(dm_task *task, const std::vector<TargetLine> &table, const char *operation)
{
	for (const auto &t : table)
		if (!dm_task_add_target(task, t.start, t.length, t.type.c_str(), t.params.c_str()))
			fail(operation, task);
}

void run(dm_task *task, const char *operation)
{
	if (!dm_task_run(task))
		fail(operation, task);
}

// Loads an inactive table into the device `number` ("254:3") names.  A
// refusal is explained in the kernel log under that number, so another
// device's refusal logged meanwhile is not taken for this one's.
void load_table(const std::string &name, const std::string &number,
		const std::vector<TargetLine> &table, bool read_only, const char *operation)
{
	DmTaskPtr task = named_task(DM_DEVICE_RELOAD, name, operation);
	// The kernel takes read-only from the table, not from the device.
	if (read_only && !dm_task_set_ro(task.get()))
		fail(operation, task.get());
	add_targets(task.get(), table, operation);
	KernelLogCursor kernel_log;
	if (!dm_task_run(task.get()))
		fail(operation, task.get(), kernel_log.last_table_error(number));
}

// No udev cookie: only resume, remove and rename send the uevent a cookie
// waits for (libdevmapper's ioctl_with_uevent), as LVM's deptree has it.
DmTaskPtr create_without_table(const CreateRequest &request, const char *operation)
{
	DmTaskPtr task = named_task(DM_DEVICE_CREATE, request.name, operation);
	if (!request.uuid.empty() && !dm_task_set_uuid(task.get(), request.uuid.c_str()))
		fail(operation, task.get());
	run(task.get(), operation);
	return task;
}

std::string device_number(const dm_info &info)
{
	return std::to_string(info.major) + ":" + std::to_string(info.minor);
}

std::string number_of_created(dm_task *created, const char *operation)
{
	dm_info info{};
	if (!dm_task_get_info(created, &info) || !info.exists)
		fail(operation, created);
	return device_number(info);
}

// After the cookie wait the node should be there; udev running without
// the device-mapper rules is the usual reason it is not.
void wait_for_node(const std::string &name)
{
	const std::string path = std::string(dm_dir()) + "/" + name;
	for (int tries = 0; tries < 50; ++tries) {
		if (::access(path.c_str(), F_OK) == 0)
			return;
		::usleep(100 * 1000);
	}
	throw OperationError(name + " was created but " + path + " did not appear (" +
			     (dm_udev_get_sync_support()
				      ? "udev is running: are the device-mapper udev rules installed?"
				      : "libdevmapper should have created it without udev") +
			     ")");
}

std::vector<TargetLine> targets_of(int type, const std::string &name, const char *operation)
{
	DmTaskPtr task = named_task(type, name, operation);
	if (!dm_task_run(task.get())) {
		if (dm_task_get_errno(task.get()) == ENXIO)
			throw OperationError("no device-mapper device named '" + name + "'");
		fail(operation, task.get());
	}
	dm_info info{};
	if (!dm_task_get_info(task.get(), &info))
		fail(operation, task.get());
	if (!info.exists)
		throw OperationError("no device-mapper device named '" + name + "'");

	std::vector<TargetLine> out;
	void *next = nullptr;
	do {
		uint64_t start = 0, length = 0;
		char *type_name = nullptr, *params = nullptr;
		next = dm_get_next_target(task.get(), next, &start, &length, &type_name, &params);
		if (type_name)
			out.push_back({start, length, type_name, params ? params : ""});
	} while (next);
	return out;
}

std::string read_first_line(const std::string &path)
{
	std::ifstream in(path);
	std::string line;
	std::getline(in, line);
	return line;
}

} // namespace

LibDevmapper::LibDevmapper()
{
	dm_log_with_errno_init(log_to_string);
}

void LibDevmapper::set_verbose(bool on)
{
	g_verbose = on;
}

void LibDevmapper::set_udev_sync(bool on)
{
	// Off as dmsetup --noudevsync: libdevmapper then creates nodes itself.
	dm_udev_set_sync_support(on ? 1 : 0);
}

LibDevmapper::~LibDevmapper()
{
	// Flushes pending node operations and closes /dev/mapper/control.
	dm_lib_release();
	dm_log_with_errno_init(nullptr);
}

void LibDevmapper::create(const CreateRequest &request)
{
	const char *op = "create";
	// In two steps, as LVM does: libdevmapper's create with a table runs
	// create, load and remove in one call, and the device's number, which
	// picks its refusal out of the kernel log, would be gone with it.
	//
	// Only what follows the create is undone: a create refused because
	// the name is taken must not remove the device that has it.
	const DmTaskPtr created = create_without_table(request, op);
	try {
		load_table(request.name, number_of_created(created.get(), op), request.table,
			   request.read_only, op);
		resume(request.name);
	} catch (const OperationError &failure) {
		try {
			remove(request.name);
		} catch (const OperationError &left) {
			throw OperationError(std::string(failure.what()) + "; the device " +
					     request.name + " is left behind, since removing it " +
					     "failed too: " + left.what());
		}
		throw;
	}
	wait_for_node(request.name);
}

// The kernel takes read-only from the table: the new one keeps the device's.
void LibDevmapper::reload(const std::string &name, const std::vector<TargetLine> &table)
{
	const DeviceInfo current = info(name);
	load_table(name, current.number, table, current.read_only, "reload");
}

void LibDevmapper::clear_inactive(const std::string &name)
{
	DmTaskPtr task = named_task(DM_DEVICE_CLEAR, name, "clear");
	run(task.get(), "clear");
}

void LibDevmapper::suspend(const std::string &name, bool noflush)
{
	const char *op = "suspend";
	DmTaskPtr task = named_task(DM_DEVICE_SUSPEND, name, op);
	if (noflush && !dm_task_no_flush(task.get()))
		fail(op, task.get());
	run(task.get(), op);
}

void LibDevmapper::resume(const std::string &name)
{
	const char *op = "resume";
	DmTaskPtr task = named_task(DM_DEVICE_RESUME, name, op);
	UdevCookie cookie;
	if (!cookie.attach(task.get()))
		fail(op, task.get());
	run(task.get(), op);
}

void LibDevmapper::remove(const std::string &name)
{
	const char *op = "remove";
	DmTaskPtr task = named_task(DM_DEVICE_REMOVE, name, op);
	// A udev worker may hold the node open for a moment (blkid after
	// the last change event); libdevmapper retries briefly on EBUSY.
	if (!dm_task_retry_remove(task.get()))
		fail(op, task.get());
	UdevCookie cookie;
	if (!cookie.attach(task.get()))
		fail(op, task.get());
	run(task.get(), op);
}

std::string LibDevmapper::message(const std::string &name, const std::string &text)
{
	const char *op = "message";
	DmTaskPtr task = named_task(DM_DEVICE_TARGET_MSG, name, op);
	if (!dm_task_set_sector(task.get(), 0) || !dm_task_set_message(task.get(), text.c_str()))
		fail(op, task.get());
	run(task.get(), op);
	const char *response = dm_task_get_message_response(task.get());
	return response ? response : "";
}

std::vector<TargetLine> LibDevmapper::table(const std::string &name)
{
	return targets_of(DM_DEVICE_TABLE, name, "table");
}

std::vector<TargetLine> LibDevmapper::status(const std::string &name)
{
	return targets_of(DM_DEVICE_STATUS, name, "status");
}

DeviceInfo LibDevmapper::info(const std::string &name)
{
	const char *op = "info";
	DmTaskPtr task = named_task(DM_DEVICE_INFO, name, op);
	run(task.get(), op);
	dm_info info{};
	if (!dm_task_get_info(task.get(), &info))
		fail(op, task.get());
	if (!info.exists)
		throw OperationError("no device-mapper device named '" + name + "'");
	const char *uuid = dm_task_get_uuid(task.get());
	return {info.suspended != 0, info.read_only != 0,
		static_cast<std::uint32_t>(std::max(info.open_count, 0)), uuid ? uuid : "",
		device_number(info)};
}

std::string LibDevmapper::name_of_uuid(const std::string &uuid)
{
	const char *op = "info";
	DmTaskPtr task = new_task(DM_DEVICE_INFO, op);
	if (!dm_task_set_uuid(task.get(), uuid.c_str()))
		fail(op, task.get());
	run(task.get(), op);
	dm_info info{};
	const char *name = nullptr;
	if (!dm_task_get_info(task.get(), &info) || !info.exists ||
	    !(name = dm_task_get_name(task.get())))
		throw OperationError("no device-mapper device with UUID '" + uuid + "'");
	return name;
}

std::vector<std::string> LibDevmapper::list()
{
	const char *op = "list";
	DmTaskPtr task = new_task(DM_DEVICE_LIST, op);
	run(task.get(), op);
	dm_names *names = dm_task_get_names(task.get());
	if (!names)
		fail(op, task.get());
	std::vector<std::string> out;
	if (!names->dev) // the kernel's way of saying "no devices"
		return out;
	for (;;) {
		out.emplace_back(names->name);
		if (!names->next)
			break;
		names = reinterpret_cast<dm_names *>(reinterpret_cast<char *>(names) + names->next);
	}
	return out;
}

BlockDevice LibDevmapper::block_device(const std::string &path)
{
	UniqueFd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
	if (!fd.valid())
		throw OperationError("cannot open " + path + ": " + std::strerror(errno));
	struct stat st {};
	if (::fstat(fd.get(), &st) != 0)
		throw OperationError("cannot stat " + path + ": " + std::strerror(errno));
	if (!S_ISBLK(st.st_mode))
		throw OperationError(path + " is not a block device");
	std::uint64_t bytes = 0;
	if (::ioctl(fd.get(), BLKGETSIZE64, &bytes) != 0)
		throw OperationError("cannot read the size of " + path + ": " + std::strerror(errno));
	return {bytes / 512,
		std::to_string(major(st.st_rdev)) + ":" + std::to_string(minor(st.st_rdev))};
}

std::string LibDevmapper::describe_device(const std::string &major_minor)
{
	const std::string sys = "/sys/dev/block/" + major_minor;
	const std::string dm_name = read_first_line(sys + "/dm/name");
	if (!dm_name.empty())
		return "/dev/mapper/" + dm_name;
	char target[4096];
	const ssize_t n = ::readlink(sys.c_str(), target, sizeof(target) - 1);
	if (n <= 0)
		return major_minor;
	const std::string link(target, static_cast<std::size_t>(n));
	return "/dev/" + link.substr(link.find_last_of('/') + 1);
}

} // namespace iohang
