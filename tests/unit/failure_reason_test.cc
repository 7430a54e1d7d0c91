// SPDX-License-Identifier: GPL-2.0
#include <gtest/gtest.h>

#include <cerrno>

#include "dm/failure_reason.h"

namespace iohang {
namespace {

TEST(FailureReason, FromTheIoctlErrno)
{
	EXPECT_EQ(failure_reason(EBUSY, "", std::nullopt), "device busy");
	EXPECT_EQ(failure_reason(ENXIO, "", std::nullopt), "no such device");
	EXPECT_EQ(failure_reason(EACCES, "", std::nullopt), "Permission denied");
	EXPECT_EQ(failure_reason(EINVAL, "", std::nullopt),
		  "Invalid argument (see dmesg for the target's reason)");
	EXPECT_EQ(failure_reason(EINVAL, "", std::string("254:3: iohang: Invalid timeout (-EINVAL)")),
		  "Invalid argument (kernel: 254:3: iohang: Invalid timeout (-EINVAL))");
}

TEST(FailureReason, ErrnoRecoveredFromTheLogLine)
{
	// What libdevmapper logs for a create of an existing name; the task
	// itself records no errno.
	EXPECT_EQ(failure_reason(0, "device-mapper: create ioctl on ioh  failed: Device or resource busy",
				 std::nullopt),
		  "device busy");
	EXPECT_EQ(failure_reason(0, "device-mapper: reload ioctl on ioh  failed: Invalid argument",
				 std::string("254:0: iohang: Device lookup failed (-ENXIO)")),
		  "Invalid argument (kernel: 254:0: iohang: Device lookup failed (-ENXIO))");
}

TEST(FailureReason, KernelReasonForAnyErrno)
{
	EXPECT_EQ(failure_reason(EBUSY, "", std::string("254:5: iohang: Device lookup failed (-EBUSY)")),
		  "device busy (kernel: 254:5: iohang: Device lookup failed (-EBUSY))");
}

TEST(FailureReason, LogLineOrUnknown)
{
	EXPECT_EQ(failure_reason(0, "Incompatible libdevmapper 1.02.185 and kernel driver", std::nullopt),
		  "Incompatible libdevmapper 1.02.185 and kernel driver");
	EXPECT_EQ(failure_reason(0, "", std::nullopt), "unknown error");
}

} // namespace
} // namespace iohang
