// SPDX-License-Identifier: GPL-2.0
// A minimal JSON writer: compact output, correct string escaping.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace iohang {

// The "version" of every JSON object iohangctl prints (list, status and
// monitor events).  Bumped only for incompatible changes; new keys may
// appear at any time.
constexpr std::uint64_t kJsonSchemaVersion = 1;

// Quotes and escapes text as a JSON string.  Control characters become
// \n, \t, ... or \u00XX; bytes that are not valid UTF-8 become U+FFFD,
// because names from the kernel are arbitrary bytes and JSON must be UTF-8.
std::string json_quote(std::string_view text);

class JsonWriter {
public:
	JsonWriter &begin_object();
	JsonWriter &end_object();
	JsonWriter &begin_array();
	JsonWriter &end_array();
	JsonWriter &key(std::string_view name);
	JsonWriter &value(std::string_view text);
	JsonWriter &value(const char *text) { return value(std::string_view(text)); }
	JsonWriter &value(std::uint64_t number);
	JsonWriter &value(bool flag);
	JsonWriter &null();
	template <typename T> JsonWriter &value(const std::optional<T> &maybe)
	{
		return maybe ? value(*maybe) : null();
	}
	// Shorthand for key(name).value(v).
	template <typename T> JsonWriter &field(std::string_view name, const T &v)
	{
		return key(name).value(v);
	}

	const std::string &str() const { return out_; }

private:
	void separate();

	std::string out_;
	// One entry per open container: has it got an element yet?
	std::vector<bool> has_element_;
	bool after_key_ = false;
};

} // namespace iohang
