// SPDX-License-Identifier: GPL-2.0
// The parts of LibDevmapper that work without device-mapper in the kernel
// (the host that runs the unit tests has none), and the way it fails when
// device-mapper is missing.
#include <gtest/gtest.h>

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <functional>

#include "core/errors.h"
#include "dm/lib_devmapper.h"

namespace iohang {
namespace {

std::string message_of(const std::function<void()> &fn)
{
	try {
		fn();
	} catch (const OperationError &e) {
		return e.what();
	}
	return "";
}

TEST(LibDevmapper, DeviceSectorsRefusesWhatIsNotABlockDevice)
{
	LibDevmapper dm;
	EXPECT_EQ(message_of([&] { dm.block_device("/nonexistent/disk"); }),
		  "cannot open /nonexistent/disk: No such file or directory");
	EXPECT_EQ(message_of([&] { dm.block_device("/dev/null"); }),
		  "/dev/null is not a block device");
}

TEST(LibDevmapper, DescribeDeviceFallsBackToTheNumber)
{
	LibDevmapper dm;
	EXPECT_EQ(dm.describe_device("4095:1048575"), "4095:1048575");
}

TEST(LibDevmapper, FailuresAreOperationErrorsNamingTheOperation)
{
	// With device-mapper (in a VM) this lists; without it, it must say
	// what failed instead of crashing or printing libdevmapper noise.
	LibDevmapper dm;
	try {
		dm.list();
	} catch (const OperationError &e) {
		EXPECT_EQ(std::string(e.what()).rfind("device-mapper list failed: ", 0), 0u)
			<< e.what();
	}
	const std::string missing = message_of([&] { dm.table("iohangctl-unit-test-no-such-device"); });
	EXPECT_NE(missing, "");
}

// Opening the control device fails where no device-mapper driver is
// loaded (ENODEV, or ENOENT without the node), as on most build hosts.
bool device_mapper_missing()
{
	const int fd = ::open("/dev/mapper/control", O_RDWR | O_CLOEXEC);
	if (fd >= 0)
		::close(fd);
	return fd < 0 && (errno == ENODEV || errno == ENOENT || errno == ENXIO);
}

TEST(LibDevmapper, WithoutDeviceMapperSaysWhatToDo)
{
	if (!device_mapper_missing())
		GTEST_SKIP() << "device-mapper is available here";
	LibDevmapper dm;
	::testing::internal::CaptureStderr();
	const std::string list = message_of([&] { dm.list(); });
	// libdevmapper says so once per process; every later call must too.
	const std::string table = message_of([&] { dm.table("ioh"); });
	EXPECT_EQ(::testing::internal::GetCapturedStderr(), "");
	EXPECT_EQ(list, "device-mapper list failed: device-mapper is not available (modprobe dm_mod?)");
	EXPECT_EQ(table, "device-mapper table failed: device-mapper is not available (modprobe dm_mod?)");
}

TEST(LibDevmapper, VerboseShowsLibdevmappersOwnMessages)
{
	// With a driver, libdevmapper itself refuses the name.
	const std::string too_long(200, 'x');
	LibDevmapper dm;
	::testing::internal::CaptureStderr();
	message_of([&] { dm.table(too_long); });
	EXPECT_EQ(::testing::internal::GetCapturedStderr(), "");
	dm.set_verbose(true);
	::testing::internal::CaptureStderr();
	message_of([&] { dm.table(too_long); });
	dm.set_verbose(false);
	const std::string err = ::testing::internal::GetCapturedStderr();
	// Without a driver libdevmapper stops earlier, at its version check.
	EXPECT_EQ(err.rfind("libdevmapper: ", 0), 0u) << err;
}

} // namespace
} // namespace iohang
