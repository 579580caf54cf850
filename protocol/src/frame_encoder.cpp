// SPDX-License-Identifier: Apache-2.0
#include "standin/protocol/frame_encoder.hpp"

#include <type_traits>
#include <utility>

#include "standin/protocol/crc32.hpp"
#include "standin/protocol/errc.hpp"

namespace standin::protocol {
namespace {

void put_u8(std::string& out, std::uint8_t v) {
    out.push_back(static_cast<char>(v));
}

void put_u16(std::string& out, std::uint16_t v) {
    put_u8(out, static_cast<std::uint8_t>(v >> 8));
    put_u8(out, static_cast<std::uint8_t>(v));
}

void put_u32(std::string& out, std::uint32_t v) {
    put_u16(out, static_cast<std::uint16_t>(v >> 16));
    put_u16(out, static_cast<std::uint16_t>(v));
}

void put_u64(std::string& out, std::uint64_t v) {
    put_u32(out, static_cast<std::uint32_t>(v >> 32));
    put_u32(out, static_cast<std::uint32_t>(v));
}

std::size_t value_size(const header_value& value) noexcept {
    return std::visit(
        [](const auto& v) -> std::size_t {
            using T = std::decay_t<decltype(v)>;
            if constexpr (std::is_same_v<T, bool>) {
                return 0;
            } else if constexpr (std::is_same_v<T, byte_buf>) {
                return 2 + v.bytes.size();
            } else if constexpr (std::is_same_v<T, std::string>) {
                return 2 + v.size();
            } else if constexpr (std::is_same_v<T, timestamp_ms>) {
                return 8;
            } else {
                return sizeof(T);  // int8..int64, uuid
            }
        },
        value);
}

std::error_code validate(std::span<const header> headers) noexcept {
    for (const auto& h : headers) {
        if (h.name.empty()) {
            return errc::header_name_empty;
        }
        if (h.name.size() > max_header_name_size) {
            return errc::header_name_too_long;
        }
        const auto* s = std::get_if<std::string>(&h.value);
        const auto* b = std::get_if<byte_buf>(&h.value);
        if ((s != nullptr && s->size() > max_header_value_size) ||
            (b != nullptr && b->bytes.size() > max_header_value_size)) {
            return errc::header_value_too_long;
        }
    }
    return {};
}

void write_value(std::string& out, const header_value& value) {
    std::visit(
        [&](const auto& v) {
            using T = std::decay_t<decltype(v)>;
            if constexpr (std::is_same_v<T, bool>) {
                // The type byte alone carries the value.
            } else if constexpr (std::is_same_v<T, std::int8_t>) {
                put_u8(out, static_cast<std::uint8_t>(v));
            } else if constexpr (std::is_same_v<T, std::int16_t>) {
                put_u16(out, static_cast<std::uint16_t>(v));
            } else if constexpr (std::is_same_v<T, std::int32_t>) {
                put_u32(out, static_cast<std::uint32_t>(v));
            } else if constexpr (std::is_same_v<T, std::int64_t>) {
                put_u64(out, static_cast<std::uint64_t>(v));
            } else if constexpr (std::is_same_v<T, byte_buf>) {
                put_u16(out, static_cast<std::uint16_t>(v.bytes.size()));
                out.append(v.bytes);
            } else if constexpr (std::is_same_v<T, std::string>) {
                put_u16(out, static_cast<std::uint16_t>(v.size()));
                out.append(v);
            } else if constexpr (std::is_same_v<T, timestamp_ms>) {
                put_u64(out, static_cast<std::uint64_t>(v.value));
            } else {
                static_assert(std::is_same_v<T, uuid>);
                out.append(reinterpret_cast<const char*>(v.data()), v.size());
            }
        },
        value);
}

// Writes prelude + header block into `out` (cleared first). Preconditions: validate() passed and the
// frame size was checked against the limit, so the lengths fit their fields.
void write_head(std::string& out, std::span<const header> headers, std::size_t headers_size,
                std::size_t total_size) {
    out.clear();
    out.reserve(prelude_size + headers_size);
    put_u32(out, static_cast<std::uint32_t>(total_size));
    put_u32(out, static_cast<std::uint32_t>(headers_size));
    put_u32(out, crc32(0, out));
    for (const auto& h : headers) {
        put_u8(out, static_cast<std::uint8_t>(h.name.size()));
        out.append(h.name);
        put_u8(out, static_cast<std::uint8_t>(header_type_of(h.value)));
        write_value(out, h.value);
    }
}

// Checks the headers and the size; returns the total frame size.
boost::system::result<std::size_t> plan(std::span<const header> headers, std::size_t payload_size,
                                        std::uint32_t max_frame_size, std::size_t& headers_size) {
    if (auto ec = validate(headers)) {
        return ec;
    }
    headers_size = encoded_headers_size(headers);
    // Checked piecewise so that no sum can wrap.
    if (headers_size > max_frame_size || payload_size > max_frame_size ||
        frame_overhead + headers_size + payload_size > max_frame_size) {
        return std::error_code{errc::frame_too_long};
    }
    return frame_overhead + headers_size + payload_size;
}

std::array<std::uint8_t, 4> be_bytes(std::uint32_t v) noexcept {
    return {static_cast<std::uint8_t>(v >> 24), static_cast<std::uint8_t>(v >> 16),
            static_cast<std::uint8_t>(v >> 8), static_cast<std::uint8_t>(v)};
}

}  // namespace

payload_buffer::payload_buffer(std::string bytes)
    : bytes_{std::move(bytes)},
      crc_{crc32(0, bytes_)},
      combine_operator_{crc32_combine_operator(bytes_.size())} {}

std::uint32_t payload_buffer::crc_after(std::uint32_t head_crc) const noexcept {
    return bytes_.empty() ? head_crc : crc32_combine_with(head_crc, crc_, combine_operator_);
}

shared_payload make_payload(std::string bytes) {
    return shared_payload{new payload_buffer(std::move(bytes))};
}

std::size_t encoded_headers_size(std::span<const header> headers) noexcept {
    std::size_t size = 0;
    for (const auto& h : headers) {
        size += 1 + h.name.size() + 1 + value_size(h.value);
    }
    return size;
}

std::array<std::span<const std::uint8_t>, 3> encoded_frame::buffers() const noexcept {
    std::span<const std::uint8_t> body;
    if (payload) {
        body = {reinterpret_cast<const std::uint8_t*>(payload->data()), payload->size()};
    }
    return {
        std::span<const std::uint8_t>{reinterpret_cast<const std::uint8_t*>(head.data()), head.size()},
        body, std::span<const std::uint8_t>{trailer}};
}

std::string encoded_frame::to_string() const {
    std::string out;
    out.reserve(size());
    out.append(head);
    if (payload) {
        out.append(payload->bytes());
    }
    out.append(reinterpret_cast<const char*>(trailer.data()), trailer.size());
    return out;
}

boost::system::result<encoded_frame> encode_frame(std::span<const header> headers,
                                                  shared_payload payload, std::uint32_t max_frame_size) {
    std::size_t headers_size = 0;
    const std::size_t payload_size = payload ? payload->size() : 0;
    auto total = plan(headers, payload_size, max_frame_size, headers_size);
    if (!total) {
        return total.error();
    }

    encoded_frame frame;
    write_head(frame.head, headers, headers_size, *total);
    std::uint32_t crc = crc32(0, frame.head);
    if (payload) {
        crc = payload->crc_after(crc);
    }
    frame.trailer = be_bytes(crc);
    frame.payload = std::move(payload);
    return frame;
}

boost::system::result<std::string> encode_message(const message& msg, std::uint32_t max_frame_size) {
    std::size_t headers_size = 0;
    auto total = plan(msg.headers, msg.payload.size(), max_frame_size, headers_size);
    if (!total) {
        return total.error();
    }

    std::string out;
    write_head(out, msg.headers, headers_size, *total);
    out.reserve(*total);
    out.append(msg.payload);
    put_u32(out, crc32(0, out));
    return out;
}

}  // namespace standin::protocol
