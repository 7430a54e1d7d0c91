// SPDX-License-Identifier: GPL-2.0
#include <gtest/gtest.h>

#include "core/json.h"

namespace iohang {
namespace {

TEST(Json, QuotesAndEscapes)
{
	EXPECT_EQ(json_quote(""), "\"\"");
	EXPECT_EQ(json_quote("plain"), "\"plain\"");
	EXPECT_EQ(json_quote("a\"b\\c"), "\"a\\\"b\\\\c\"");
	EXPECT_EQ(json_quote("\n\r\t\b\f"), "\"\\n\\r\\t\\b\\f\"");
	EXPECT_EQ(json_quote(std::string("\x01\x1f", 2)), "\"\\u0001\\u001f\"");
	EXPECT_EQ(json_quote(std::string("a\0b", 3)), "\"a\\u0000b\"");
	EXPECT_EQ(json_quote("/"), "\"/\"");
}

TEST(Json, KeepsValidUtf8AndReplacesInvalidBytes)
{
	EXPECT_EQ(json_quote("caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x92\xbe"),
		  "\"caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x92\xbe\"");
	EXPECT_EQ(json_quote("\xff"), "\"\\ufffd\"");
	EXPECT_EQ(json_quote("a\xc3"), "\"a\\ufffd\"");            // truncated
	EXPECT_EQ(json_quote("\xc0\xaf"), "\"\\ufffd\\ufffd\"");  // overlong
	EXPECT_EQ(json_quote("\xed\xa0\x80"), "\"\\ufffd\\ufffd\\ufffd\""); // surrogate
}

TEST(Json, WritesNestedStructures)
{
	JsonWriter json;
	json.begin_object()
		.field("s", "x")
		.field("n", std::uint64_t{18446744073709551615ull})
		.field("t", true)
		.field("f", false)
		.field("none", std::optional<std::uint64_t>{})
		.field("some", std::optional<std::uint64_t>{3})
		.key("a")
		.begin_array()
		.value("1")
		.begin_object()
		.end_object()
		.begin_array()
		.end_array()
		.end_array()
		.end_object();
	EXPECT_EQ(json.str(), "{\"s\":\"x\",\"n\":18446744073709551615,\"t\":true,\"f\":false,"
			      "\"none\":null,\"some\":3,\"a\":[\"1\",{},[]]}");
}

} // namespace
} // namespace iohang
