// SPDX-License-Identifier: GPL-2.0
#include <gtest/gtest.h>

#include "dm/kernel_log.h"

namespace iohang {
namespace {

TEST(KernelLog, RecordText)
{
	EXPECT_EQ(kmsg_record_text("3,1234,5678901,-;device-mapper: table: 253:0: iohang: "
				   "Invalid timeout (-EINVAL)\n"),
		  "device-mapper: table: 253:0: iohang: Invalid timeout (-EINVAL)");
	EXPECT_EQ(kmsg_record_text("6,1,2,-,caller=T1;hello\n SUBSYSTEM=block\n"), "hello");
	EXPECT_FALSE(kmsg_record_text("no separator"));
}

TEST(KernelLog, TableErrors)
{
	EXPECT_EQ(dm_table_error("device-mapper: table: 253:0: iohang: Invalid timeout (-EINVAL)",
				 "253:0"),
		  "253:0: iohang: Invalid timeout (-EINVAL)");
	EXPECT_FALSE(dm_table_error("device-mapper: ioctl: error adding target to table", "253:0"));
	EXPECT_FALSE(dm_table_error("EXT4-fs (dm-0): mounted", "253:0"));
}

// Another device's refusal logged meanwhile is not this device's reason.
TEST(KernelLog, TableErrorsOfOneDevice)
{
	const char *line = "device-mapper: table: 253:1: iohang: Invalid timeout (-EINVAL)";
	EXPECT_FALSE(dm_table_error(line, "253:0"));
	EXPECT_FALSE(dm_table_error(line, "253:10"));
	EXPECT_FALSE(dm_table_error("device-mapper: table: 253:10: iohang: Invalid timeout (-EINVAL)",
				    "253:1"));
	EXPECT_EQ(dm_table_error(line, "253:1"), "253:1: iohang: Invalid timeout (-EINVAL)");
}

// Every refusal is some device's: without a number nothing is this one's.
TEST(KernelLog, NoNumberMatchesNoDevice)
{
	EXPECT_FALSE(dm_table_error("device-mapper: table: 253:1: iohang: Invalid timeout (-EINVAL)", ""));
}

TEST(KernelLog, CursorNeverThrows)
{
	// Readable or not (root, dmesg_restrict), asking is harmless.
	KernelLogCursor cursor;
	EXPECT_NO_THROW(cursor.last_table_error("253:0"));
}

} // namespace
} // namespace iohang
