// SPDX-License-Identifier: Apache-2.0
#include "standin/test/frames.hpp"

#include <sstream>
#include <stdexcept>
#include <type_traits>
#include <variant>

#include "standin/protocol/crc32.hpp"
#include "standin/protocol/frame_encoder.hpp"

namespace standin::test::frames {

protocol::header str(std::string_view name, std::string_view value) {
    return protocol::header{std::string{name}, std::string{value}};
}

protocol::header i32(std::string_view name, std::int32_t value) {
    return protocol::header{std::string{name}, value};
}

protocol::message rpc_message(rpc::message_type type, std::int32_t flags, std::int32_t stream_id,
                              std::vector<protocol::header> extra, std::string payload) {
    protocol::message msg;
    msg.headers = std::move(extra);
    rpc::append_rpc_headers(msg.headers, type, flags, stream_id);
    msg.payload = std::move(payload);
    return msg;
}

protocol::message connect(std::string_view token) {
    nlohmann::json body = {{"authToken", std::string{token}}};
    return connect_raw({str(rpc::header_version, rpc::protocol_version)}, body.dump());
}

protocol::message connect_raw(std::vector<protocol::header> extra, std::string payload) {
    return rpc_message(rpc::message_type::connect, 0, 0, std::move(extra), std::move(payload));
}

protocol::message request(std::int32_t stream_id, std::string_view operation,
                          const nlohmann::json& payload) {
    return request_raw(stream_id, operation, payload.dump());
}

protocol::message request_raw(std::int32_t stream_id, std::string_view operation, std::string payload) {
    auto msg = rpc_message(rpc::message_type::application_message, 0, stream_id, {}, std::move(payload));
    msg.headers.push_back(str(rpc::header_operation, operation));
    return msg;
}

protocol::message terminate(std::int32_t stream_id) {
    return rpc_message(rpc::message_type::application_message, rpc::flag_terminate_stream, stream_id);
}

protocol::message ping(std::vector<protocol::header> extra, std::string payload) {
    return rpc_message(rpc::message_type::ping, 0, 0, std::move(extra), std::move(payload));
}

std::string encode(const protocol::message& msg) {
    auto encoded = protocol::encode_message(msg);
    if (!encoded) throw std::runtime_error("cannot encode test message: " + encoded.error().message());
    return std::move(*encoded);
}

std::string from_hex(std::string_view text) {
    auto nibble = [](char c) -> unsigned {
        if (c >= '0' && c <= '9') return static_cast<unsigned>(c - '0');
        if (c >= 'a' && c <= 'f') return static_cast<unsigned>(c - 'a' + 10);
        if (c >= 'A' && c <= 'F') return static_cast<unsigned>(c - 'A' + 10);
        throw std::invalid_argument(std::string("from_hex: not a hex digit: ") + c);
    };
    std::string out;
    std::size_t i = 0;
    while (i < text.size()) {
        const char c = text[i];
        if (c == ' ' || c == '\n' || c == '\t' || c == '|') {
            ++i;
        } else if (c == '"') {
            const auto end = text.find('"', i + 1);
            if (end == std::string_view::npos)
                throw std::invalid_argument("from_hex: unterminated quote");
            out.append(text.substr(i + 1, end - i - 1));
            i = end + 1;
        } else {
            if (i + 1 >= text.size()) throw std::invalid_argument("from_hex: odd number of digits");
            out.push_back(static_cast<char>(nibble(c) * 16 + nibble(text[i + 1])));
            i += 2;
        }
    }
    return out;
}

std::string to_hex(std::string_view bytes) {
    static constexpr char digits[] = "0123456789abcdef";
    std::string out;
    for (std::size_t i = 0; i < bytes.size(); ++i) {
        if (i != 0) out.push_back(' ');
        const auto b = static_cast<unsigned char>(bytes[i]);
        out.push_back(digits[b >> 4]);
        out.push_back(digits[b & 0xf]);
    }
    return out;
}

std::uint32_t read_u32(std::string_view bytes, std::size_t offset) {
    std::uint32_t v = 0;
    for (std::size_t i = 0; i < 4; ++i)
        v = (v << 8) | static_cast<unsigned char>(bytes.at(offset + i));
    return v;
}

void write_u32(std::string& bytes, std::size_t offset, std::uint32_t value) {
    for (std::size_t i = 0; i < 4; ++i) {
        bytes.at(offset + i) = static_cast<char>((value >> (8 * (3 - i))) & 0xff);
    }
}

std::string prelude(std::uint32_t total_len, std::uint32_t headers_len) {
    std::string out(12, '\0');
    write_u32(out, 0, total_len);
    write_u32(out, 4, headers_len);
    write_u32(out, 8, protocol::crc32(0, std::string_view{out.data(), 8}));
    return out;
}

void fix_crcs(std::string& frame) {
    if (frame.size() < 16) throw std::invalid_argument("fix_crcs: frame shorter than 16 bytes");
    write_u32(frame, 8, protocol::crc32(0, std::string_view{frame.data(), 8}));
    write_u32(frame, frame.size() - 4,
              protocol::crc32(0, std::string_view{frame.data(), frame.size() - 4}));
}

std::optional<std::string> string_header(const protocol::message& msg, std::string_view name) {
    const auto* h = msg.find(name);
    if (h == nullptr) return std::nullopt;
    if (const auto* v = std::get_if<std::string>(&h->value)) return *v;
    return std::nullopt;
}

std::optional<std::int32_t> int_header(const protocol::message& msg, std::string_view name) {
    const auto* h = msg.find(name);
    if (h == nullptr) return std::nullopt;
    if (const auto* v = std::get_if<std::int32_t>(&h->value)) return *v;
    return std::nullopt;
}

std::vector<std::string> header_names(const protocol::message& msg) {
    std::vector<std::string> out;
    for (const auto& h : msg.headers)
        out.push_back(h.name);
    return out;
}

rpc::metadata meta(const protocol::message& msg) {
    const auto m = rpc::extract_metadata(msg);
    if (!m) throw std::runtime_error("message lacks the RPC headers: " + describe(msg));
    return *m;
}

nlohmann::json json_of(const protocol::message& msg) {
    return nlohmann::json::parse(msg.payload, nullptr, /*allow_exceptions=*/false);
}

namespace {

std::string value_text(const protocol::header_value& value) {
    return std::visit(
        [](const auto& v) -> std::string {
            using T = std::decay_t<decltype(v)>;
            if constexpr (std::is_same_v<T, bool>) {
                return v ? "true" : "false";
            } else if constexpr (std::is_same_v<T, std::string>) {
                return '"' + v + '"';
            } else if constexpr (std::is_same_v<T, protocol::byte_buf>) {
                return "buf(" + to_hex(v.bytes) + ")";
            } else if constexpr (std::is_same_v<T, protocol::timestamp_ms>) {
                return "ts(" + std::to_string(v.value) + ")";
            } else if constexpr (std::is_same_v<T, protocol::uuid>) {
                return "uuid(" +
                       to_hex(std::string_view{reinterpret_cast<const char*>(v.data()), v.size()}) + ")";
            } else {
                return std::to_string(static_cast<long long>(v));
            }
        },
        value);
}

}  // namespace

std::string describe(const protocol::message& msg) {
    std::ostringstream out;
    out << "{";
    for (std::size_t i = 0; i < msg.headers.size(); ++i) {
        out << (i ? ", " : "") << msg.headers[i].name << '=' << value_text(msg.headers[i].value);
    }
    constexpr std::size_t max_payload = 300;
    out << " | " << msg.payload.size() << " bytes: "
        << (msg.payload.size() > max_payload ? msg.payload.substr(0, max_payload) + "..." : msg.payload)
        << "}";
    return out.str();
}

std::string describe(const std::vector<protocol::message>& msgs) {
    std::string out = std::to_string(msgs.size()) + " message(s)";
    for (const auto& m : msgs)
        out += "\n  " + describe(m);
    return out;
}

}  // namespace standin::test::frames
