// SPDX-License-Identifier: Apache-2.0
// Helpers shared by the protocol unit tests and the fixture generator.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <optional>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <system_error>
#include <vector>

#include <nlohmann/json.hpp>

#include "standin/protocol/errc.hpp"
#include "standin/protocol/frame_decoder.hpp"
#include "standin/protocol/message.hpp"

namespace standin::protocol::test {

inline std::span<const std::uint8_t> as_span(std::string_view s) noexcept {
    return {reinterpret_cast<const std::uint8_t*>(s.data()), s.size()};
}

// Hex digits with any whitespace or '|' between them; "\"text\"" runs are copied literally, which
// lets the spec's test vectors be pasted as written.
inline std::string from_hex(std::string_view hex) {
    std::string out;
    auto nibble = [](char c) -> int {
        if (c >= '0' && c <= '9') return c - '0';
        if (c >= 'a' && c <= 'f') return c - 'a' + 10;
        if (c >= 'A' && c <= 'F') return c - 'A' + 10;
        throw std::invalid_argument("bad hex digit");
    };
    for (std::size_t i = 0; i < hex.size();) {
        const char c = hex[i];
        if (c == ' ' || c == '\n' || c == '|') {
            ++i;
        } else if (c == '"') {
            const auto end = hex.find('"', i + 1);
            out.append(hex.substr(i + 1, end - i - 1));
            i = end + 1;
        } else {
            out.push_back(static_cast<char>(nibble(hex[i]) * 16 + nibble(hex[i + 1])));
            i += 2;
        }
    }
    return out;
}

inline std::string to_hex(std::string_view bytes) {
    static constexpr char digits[] = "0123456789abcdef";
    std::string out;
    for (unsigned char c : bytes) {
        out.push_back(digits[c >> 4]);
        out.push_back(digits[c & 0xF]);
    }
    return out;
}

inline std::string base64_encode(std::string_view bytes) {
    static constexpr char alphabet[] =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    std::string out;
    std::size_t i = 0;
    for (; i + 3 <= bytes.size(); i += 3) {
        const auto n = (std::uint32_t{static_cast<unsigned char>(bytes[i])} << 16) |
                       (std::uint32_t{static_cast<unsigned char>(bytes[i + 1])} << 8) |
                       std::uint32_t{static_cast<unsigned char>(bytes[i + 2])};
        for (int shift = 18; shift >= 0; shift -= 6)
            out.push_back(alphabet[(n >> shift) & 0x3F]);
    }
    if (const std::size_t rest = bytes.size() - i; rest > 0) {
        std::uint32_t n = std::uint32_t{static_cast<unsigned char>(bytes[i])} << 16;
        if (rest == 2) n |= std::uint32_t{static_cast<unsigned char>(bytes[i + 1])} << 8;
        out.push_back(alphabet[(n >> 18) & 0x3F]);
        out.push_back(alphabet[(n >> 12) & 0x3F]);
        out.push_back(rest == 2 ? alphabet[(n >> 6) & 0x3F] : '=');
        out.push_back('=');
    }
    return out;
}

inline std::string base64_decode(std::string_view text) {
    auto value = [](char c) -> std::uint32_t {
        if (c >= 'A' && c <= 'Z') return static_cast<std::uint32_t>(c - 'A');
        if (c >= 'a' && c <= 'z') return static_cast<std::uint32_t>(c - 'a' + 26);
        if (c >= '0' && c <= '9') return static_cast<std::uint32_t>(c - '0' + 52);
        if (c == '+') return 62;
        if (c == '/') return 63;
        throw std::invalid_argument("bad base64 character");
    };
    std::string out;
    std::uint32_t acc = 0;
    int bits = 0;
    for (char c : text) {
        if (c == '=') break;
        acc = (acc << 6) | value(c);
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            out.push_back(static_cast<char>((acc >> bits) & 0xFF));
        }
    }
    return out;
}

inline std::string read_binary(const std::filesystem::path& path) {
    std::ifstream in{path, std::ios::binary};
    if (!in) throw std::runtime_error("cannot open " + path.string());
    return {std::istreambuf_iterator<char>{in}, std::istreambuf_iterator<char>{}};
}

inline void write_binary(const std::filesystem::path& path, std::string_view bytes) {
    std::ofstream out{path, std::ios::binary | std::ios::trunc};
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    if (!out) throw std::runtime_error("cannot write " + path.string());
}

// --- errc names, as used in the negative fixtures -------------------------------------------------

inline constexpr std::array<std::pair<errc, std::string_view>, 13> errc_names{{
    {errc::prelude_crc_mismatch, "prelude_crc_mismatch"},
    {errc::frame_too_short, "frame_too_short"},
    {errc::headers_too_long, "headers_too_long"},
    {errc::frame_too_long, "frame_too_long"},
    {errc::message_crc_mismatch, "message_crc_mismatch"},
    {errc::header_truncated, "header_truncated"},
    {errc::header_name_empty, "header_name_empty"},
    {errc::header_value_too_long, "header_value_too_long"},
    {errc::unknown_header_type, "unknown_header_type"},
    {errc::too_many_headers, "too_many_headers"},
    {errc::decoder_failed, "decoder_failed"},
    {errc::frame_size_mismatch, "frame_size_mismatch"},
    {errc::header_name_too_long, "header_name_too_long"},
}};

inline std::string_view errc_name(errc e) {
    for (const auto& [value, name] : errc_names) {
        if (value == e) return name;
    }
    return "?";
}

inline std::optional<errc> errc_from_name(std::string_view name) {
    for (const auto& [value, n] : errc_names) {
        if (n == name) return value;
    }
    return std::nullopt;
}

// --- message <-> fixture JSON -------------------------------------------------------------------

inline constexpr std::array<std::string_view, 10> header_type_names{
    "bool_true", "bool_false", "byte",   "int16",     "int32",
    "int64",     "byte_buf",   "string", "timestamp", "uuid"};

inline bool is_printable_text(std::string_view s) {
    for (unsigned char c : s) {
        if (c < 0x20 || c >= 0x7F) return false;
    }
    return true;
}

inline nlohmann::ordered_json header_to_json(const header& h) {
    nlohmann::ordered_json j;
    j["name"] = h.name;
    const auto type = header_type_of(h.value);
    j["type"] = header_type_names[static_cast<std::size_t>(type)];
    std::visit(
        [&](const auto& v) {
            using T = std::decay_t<decltype(v)>;
            if constexpr (std::is_same_v<T, bool>) {
                // the type names the value
            } else if constexpr (std::is_same_v<T, byte_buf>) {
                j["value"] = base64_encode(v.bytes);
            } else if constexpr (std::is_same_v<T, timestamp_ms>) {
                j["value"] = v.value;
            } else if constexpr (std::is_same_v<T, uuid>) {
                j["value"] = to_hex({reinterpret_cast<const char*>(v.data()), v.size()});
            } else if constexpr (std::is_same_v<T, std::int8_t>) {
                j["value"] = static_cast<int>(v);
            } else {
                j["value"] = v;
            }
        },
        h.value);
    return j;
}

inline header header_from_json(const nlohmann::json& j) {
    header h{j.at("name").get<std::string>(), false};
    const auto type_name = j.at("type").get<std::string>();
    std::size_t type = 0;
    while (type < header_type_names.size() && header_type_names[type] != type_name)
        ++type;
    switch (static_cast<header_type>(type)) {
        case header_type::bool_true:
            h.value = true;
            break;
        case header_type::bool_false:
            h.value = false;
            break;
        case header_type::byte:
            h.value = j.at("value").get<std::int8_t>();
            break;
        case header_type::int16:
            h.value = j.at("value").get<std::int16_t>();
            break;
        case header_type::int32:
            h.value = j.at("value").get<std::int32_t>();
            break;
        case header_type::int64:
            h.value = j.at("value").get<std::int64_t>();
            break;
        case header_type::byte_buf:
            h.value = byte_buf{base64_decode(j.at("value").get<std::string>())};
            break;
        case header_type::string:
            h.value = j.at("value").get<std::string>();
            break;
        case header_type::timestamp:
            h.value = timestamp_ms{j.at("value").get<std::int64_t>()};
            break;
        case header_type::uuid: {
            const auto bytes = from_hex(j.at("value").get<std::string>());
            uuid u{};
            if (bytes.size() != u.size()) throw std::invalid_argument("uuid must be 16 bytes");
            std::copy(bytes.begin(), bytes.end(), u.begin());
            h.value = u;
            break;
        }
        default:
            throw std::invalid_argument("unknown header type name " + type_name);
    }
    return h;
}

// Payload as "payload_text" when it is printable ASCII, else "payload_base64".
inline void message_to_json(const message& msg, nlohmann::ordered_json& j) {
    auto& headers = j["headers"];
    headers = nlohmann::ordered_json::array();
    for (const auto& h : msg.headers)
        headers.push_back(header_to_json(h));
    if (is_printable_text(msg.payload)) {
        j["payload_text"] = msg.payload;
    } else {
        j["payload_base64"] = base64_encode(msg.payload);
    }
}

inline message message_from_json(const nlohmann::json& j) {
    message msg;
    for (const auto& h : j.at("headers"))
        msg.headers.push_back(header_from_json(h));
    if (j.contains("payload_text")) {
        msg.payload = j.at("payload_text").get<std::string>();
    } else {
        msg.payload = base64_decode(j.at("payload_base64").get<std::string>());
    }
    return msg;
}

inline decoder_limits limits_from_json(const nlohmann::json& j) {
    decoder_limits limits;
    if (j.contains("limits")) {
        const auto& l = j.at("limits");
        if (l.contains("max_frame_size"))
            limits.max_frame_size = l.at("max_frame_size").get<std::uint32_t>();
        if (l.contains("max_headers")) limits.max_headers = l.at("max_headers").get<std::size_t>();
    }
    return limits;
}

// --- feeding a decoder --------------------------------------------------------------------------

struct decode_outcome {
    std::vector<message> messages;
    std::error_code ec;
    std::size_t consumed = 0;  // total bytes the decoder took
};

// Feeds `bytes` in pieces whose sizes come from `next_chunk(index)` (0 means "all that is left").
template <class ChunkFn>
decode_outcome feed(frame_decoder& dec, std::string_view bytes, ChunkFn next_chunk) {
    decode_outcome out;
    std::size_t pos = 0;
    for (std::size_t i = 0; pos < bytes.size(); ++i) {
        std::size_t n = next_chunk(i);
        if (n == 0 || n > bytes.size() - pos) n = bytes.size() - pos;
        auto piece = as_span(bytes.substr(pos, n));
        while (!piece.empty()) {
            const auto r = dec.put(piece);
            out.consumed += r.consumed;
            if (r.ec) {
                out.ec = r.ec;
                return out;
            }
            if (r.consumed == 0 && !dec.has_message())
                throw std::logic_error("decoder made no progress");
            piece = piece.subspan(r.consumed);
            if (dec.has_message()) out.messages.push_back(dec.take_message());
        }
        pos += n;
    }
    return out;
}

inline decode_outcome feed_all(std::string_view bytes, decoder_limits limits = {},
                               std::size_t chunk = 0) {
    frame_decoder dec{limits};
    return feed(dec, bytes, [chunk](std::size_t) { return chunk; });
}

}  // namespace standin::protocol::test
