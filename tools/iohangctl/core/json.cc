// SPDX-License-Identifier: GPL-2.0
#include "core/json.h"

#include <cstdio>

namespace iohang {
namespace {

// Length of the valid UTF-8 sequence at text[pos], or 0 if invalid.
std::size_t utf8_sequence_length(std::string_view text, std::size_t pos)
{
	const auto byte = [&](std::size_t i) { return static_cast<unsigned char>(text[i]); };
	const unsigned char lead = byte(pos);
	std::size_t length;
	std::uint32_t code;
	if (lead < 0x80)
		return 1;
	if (lead >= 0xc2 && lead <= 0xdf) {
		length = 2;
		code = lead & 0x1f;
	} else if (lead >= 0xe0 && lead <= 0xef) {
		length = 3;
		code = lead & 0x0f;
	} else if (lead >= 0xf0 && lead <= 0xf4) {
		length = 4;
		code = lead & 0x07;
	} else {
		return 0;
	}
	if (pos + length > text.size())
		return 0;
	for (std::size_t i = 1; i < length; ++i) {
		if ((byte(pos + i) & 0xc0) != 0x80)
			return 0;
		code = (code << 6) | (byte(pos + i) & 0x3f);
	}
	// Overlong forms, surrogates and values past U+10FFFF are invalid.
	if ((length == 3 && code < 0x800) || (length == 4 && code < 0x10000) ||
	    (code >= 0xd800 && code <= 0xdfff) || code > 0x10ffff)
		return 0;
	return length;
}

} // namespace

std::string json_quote(std::string_view text)
{
	std::string out = "\"";
	for (std::size_t pos = 0; pos < text.size();) {
		const unsigned char c = static_cast<unsigned char>(text[pos]);
		switch (c) {
		case '"': out += "\\\""; break;
		case '\\': out += "\\\\"; break;
		case '\b': out += "\\b"; break;
		case '\f': out += "\\f"; break;
		case '\n': out += "\\n"; break;
		case '\r': out += "\\r"; break;
		case '\t': out += "\\t"; break;
		default:
			if (c < 0x20) {
				char buf[8];
				std::snprintf(buf, sizeof(buf), "\\u%04x", c);
				out += buf;
			} else if (c >= 0x80) {
				const std::size_t length = utf8_sequence_length(text, pos);
				if (length == 0) {
					out += "\\ufffd";
					++pos;
					continue;
				}
				out.append(text.substr(pos, length));
				pos += length;
				continue;
			} else {
				out += static_cast<char>(c);
			}
		}
		++pos;
	}
	out += '"';
	return out;
}

void JsonWriter::separate()
{
	if (after_key_) {
		after_key_ = false;
		return;
	}
	if (!has_element_.empty()) {
		if (has_element_.back())
			out_ += ',';
		has_element_.back() = true;
	}
}

JsonWriter &JsonWriter::begin_object()
{
	separate();
	out_ += '{';
	has_element_.push_back(false);
	return *this;
}

JsonWriter &JsonWriter::end_object()
{
	out_ += '}';
	has_element_.pop_back();
	return *this;
}

JsonWriter &JsonWriter::begin_array()
{
	separate();
	out_ += '[';
	has_element_.push_back(false);
	return *this;
}

JsonWriter &JsonWriter::end_array()
{
	out_ += ']';
	has_element_.pop_back();
	return *this;
}

JsonWriter &JsonWriter::key(std::string_view name)
{
	separate();
	out_ += json_quote(name);
	out_ += ':';
	after_key_ = true;
	return *this;
}

JsonWriter &JsonWriter::value(std::string_view text)
{
	separate();
	out_ += json_quote(text);
	return *this;
}

JsonWriter &JsonWriter::value(std::uint64_t number)
{
	separate();
	out_ += std::to_string(number);
	return *this;
}

JsonWriter &JsonWriter::value(bool flag)
{
	separate();
	out_ += flag ? "true" : "false";
	return *this;
}

JsonWriter &JsonWriter::null()
{
	separate();
	out_ += "null";
	return *this;
}

} // namespace iohang
