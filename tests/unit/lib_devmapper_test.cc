// SPDX-License-Identifier: GPL-2.0
// The parts of LibDevmapper that work without device-mapper in the kernel
// (the host that runs the unit tests has none), and the way it fails when
// device-mapper is missing.
#include <gtest/gtest.h>

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
	EXPECT_EQ(message_of([&] { dm.device_sectors("/nonexistent/disk"); }),
		  "cannot open /nonexistent/disk: No such file or directory");
	EXPECT_EQ(message_of([&] { dm.device_sectors("/dev/null"); }),
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

} // namespace
} // namespace iohang
