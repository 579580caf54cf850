// SPDX-License-Identifier: Apache-2.0
#include "standin/protocol/frame_decoder.hpp"

#include <algorithm>
#include <cstring>
#include <utility>

#include "standin/protocol/crc32.hpp"
#include "standin/protocol/errc.hpp"

namespace standin::protocol {
namespace {

// A peer can announce a large frame and then trickle it in; growing the buffer with the bytes that
// actually arrived keeps such a connection from pinning max_frame_size up front.
constexpr std::size_t initial_reserve = 64 * 1024;
// Keep a small buffer between frames and hand anything larger back: an idle connection should cost
// little, whatever it once received.
constexpr std::size_t retained_capacity = 16 * 1024;

std::uint16_t read_u16(const std::uint8_t* p) noexcept {
    return static_cast<std::uint16_t>((p[0] << 8) | p[1]);
}

std::uint32_t read_u32(const std::uint8_t* p) noexcept {
    return (std::uint32_t{p[0]} << 24) | (std::uint32_t{p[1]} << 16) | (std::uint32_t{p[2]} << 8) |
           std::uint32_t{p[3]};
}

std::uint64_t read_u64(const std::uint8_t* p) noexcept {
    return (std::uint64_t{read_u32(p)} << 32) | read_u32(p + 4);
}

std::span<const std::uint8_t> as_bytes(const std::string& s) noexcept {
    return {reinterpret_cast<const std::uint8_t*>(s.data()), s.size()};
}

struct prelude_fields {
    std::uint32_t total_len = 0;
    std::uint32_t headers_len = 0;
};

// `p` points at 12 bytes. The order of the checks is part of the contract (see the header).
std::error_code check_prelude_bytes(const std::uint8_t* p, const decoder_limits& limits,
                                    prelude_fields& out) noexcept {
    if (crc32(0, std::span<const std::uint8_t>{p, 8}) != read_u32(p + 8)) {
        return errc::prelude_crc_mismatch;
    }
    out.total_len = read_u32(p);
    out.headers_len = read_u32(p + 4);
    if (out.total_len < frame_overhead) {
        return errc::frame_too_short;
    }
    if (out.headers_len > out.total_len - frame_overhead) {
        return errc::headers_too_long;
    }
    if (out.total_len > limits.max_frame_size) {
        return errc::frame_too_long;
    }
    return {};
}

// `frame` is exactly one frame whose prelude already passed check_prelude_bytes().
std::error_code decode_body(std::span<const std::uint8_t> frame, std::uint32_t headers_len,
                            const decoder_limits& limits, message& out) {
    const std::size_t crc_at = frame.size() - 4;
    if (crc32(0, frame.first(crc_at)) != read_u32(frame.data() + crc_at)) {
        return errc::message_crc_mismatch;
    }
    if (auto ec = decode_headers(frame.subspan(prelude_size, headers_len), limits, out.headers)) {
        return ec;
    }
    const auto payload = frame.subspan(prelude_size + headers_len, crc_at - prelude_size - headers_len);
    out.payload.assign(reinterpret_cast<const char*>(payload.data()), payload.size());
    return {};
}

}  // namespace

std::error_code decode_headers(std::span<const std::uint8_t> block, const decoder_limits& limits,
                               std::vector<header>& out) {
    out.clear();
    const std::uint8_t* p = block.data();
    std::size_t left = block.size();
    auto take = [&](std::size_t n) {
        const std::uint8_t* at = p;
        p += n;
        left -= n;
        return at;
    };

    while (left > 0) {
        if (out.size() >= limits.max_headers) {
            return errc::too_many_headers;
        }
        const std::size_t name_len = *take(1);
        if (name_len == 0) {
            return errc::header_name_empty;
        }
        if (left < name_len + 1) {
            return errc::header_truncated;
        }
        const auto* name = reinterpret_cast<const char*>(take(name_len));
        const std::uint8_t type = *take(1);

        header h{std::string{name, name_len}, false};
        auto fixed = [&](std::size_t n) -> const std::uint8_t* { return left < n ? nullptr : take(n); };
        switch (static_cast<header_type>(type)) {
            case header_type::bool_true:
                h.value = true;
                break;
            case header_type::bool_false:
                h.value = false;
                break;
            case header_type::byte: {
                const auto* v = fixed(1);
                if (v == nullptr) return errc::header_truncated;
                h.value = static_cast<std::int8_t>(*v);
                break;
            }
            case header_type::int16: {
                const auto* v = fixed(2);
                if (v == nullptr) return errc::header_truncated;
                h.value = static_cast<std::int16_t>(read_u16(v));
                break;
            }
            case header_type::int32: {
                const auto* v = fixed(4);
                if (v == nullptr) return errc::header_truncated;
                h.value = static_cast<std::int32_t>(read_u32(v));
                break;
            }
            case header_type::int64: {
                const auto* v = fixed(8);
                if (v == nullptr) return errc::header_truncated;
                h.value = static_cast<std::int64_t>(read_u64(v));
                break;
            }
            case header_type::timestamp: {
                const auto* v = fixed(8);
                if (v == nullptr) return errc::header_truncated;
                h.value = timestamp_ms{static_cast<std::int64_t>(read_u64(v))};
                break;
            }
            case header_type::uuid: {
                const auto* v = fixed(16);
                if (v == nullptr) return errc::header_truncated;
                uuid u{};
                std::memcpy(u.data(), v, u.size());
                h.value = u;
                break;
            }
            case header_type::byte_buf:
            case header_type::string: {
                const auto* len_bytes = fixed(2);
                if (len_bytes == nullptr) return errc::header_truncated;
                const std::size_t len = read_u16(len_bytes);
                // The length field is a u16 but the reference refuses anything over INT16_MAX.
                if (len > max_header_value_size) return errc::header_value_too_long;
                if (left < len) return errc::header_truncated;
                std::string bytes{reinterpret_cast<const char*>(take(len)), len};
                if (type == static_cast<std::uint8_t>(header_type::string)) {
                    h.value = std::move(bytes);
                } else {
                    h.value = byte_buf{std::move(bytes)};
                }
                break;
            }
            default:
                return errc::unknown_header_type;
        }
        out.push_back(std::move(h));
    }
    return {};
}

std::error_code decode_frame(std::span<const std::uint8_t> bytes, const decoder_limits& limits,
                             message& out) {
    out = message{};
    if (bytes.size() < prelude_size) {
        return errc::frame_size_mismatch;
    }
    prelude_fields prelude;
    if (auto ec = check_prelude_bytes(bytes.data(), limits, prelude)) {
        return ec;
    }
    if (bytes.size() != prelude.total_len) {
        return errc::frame_size_mismatch;
    }
    return decode_body(bytes, prelude.headers_len, limits, out);
}

frame_decoder::frame_decoder(decoder_limits limits) noexcept : limits_{limits} {}

put_result frame_decoder::fail(std::size_t consumed, std::error_code ec) {
    state_ = state::failed;
    std::string{}.swap(buffer_);
    ready_ = message{};
    return {consumed, ec};
}

std::error_code frame_decoder::check_prelude() {
    prelude_fields prelude;
    auto ec =
        check_prelude_bytes(reinterpret_cast<const std::uint8_t*>(buffer_.data()), limits_, prelude);
    total_len_ = prelude.total_len;
    headers_len_ = prelude.headers_len;
    return ec;
}

std::error_code frame_decoder::finish_frame() {
    ready_ = message{};
    auto ec = decode_body(as_bytes(buffer_), headers_len_, limits_, ready_);
    if (buffer_.capacity() > retained_capacity) {
        std::string{}.swap(buffer_);
    } else {
        buffer_.clear();
    }
    return ec;
}

put_result frame_decoder::put(std::span<const std::uint8_t> bytes) {
    if (state_ == state::failed) {
        return {0, errc::decoder_failed};
    }
    if (state_ == state::message_ready) {
        // Precondition violation; consuming nothing keeps the pending message intact.
        return {0, {}};
    }

    // The common case: a frame that arrived whole, with nothing of it buffered yet, is decoded
    // where it lies instead of being copied into buffer_ first.
    if (state_ == state::prelude && buffer_.empty() && bytes.size() >= prelude_size) {
        prelude_fields prelude;
        if (auto ec = check_prelude_bytes(bytes.data(), limits_, prelude)) {
            return fail(prelude_size, ec);
        }
        if (bytes.size() >= prelude.total_len) {
            ready_ = message{};
            if (auto ec =
                    decode_body(bytes.first(prelude.total_len), prelude.headers_len, limits_, ready_)) {
                return fail(prelude.total_len, ec);
            }
            state_ = state::message_ready;
            return {prelude.total_len, {}};
        }
    }

    std::size_t consumed = 0;
    auto append = [&](std::size_t want) {
        const std::size_t n = std::min(want, bytes.size() - consumed);
        buffer_.append(reinterpret_cast<const char*>(bytes.data() + consumed), n);
        consumed += n;
    };

    if (state_ == state::prelude) {
        append(prelude_size - buffer_.size());
        if (buffer_.size() < prelude_size) {
            return {consumed, {}};
        }
        if (auto ec = check_prelude()) {
            return fail(consumed, ec);
        }
        buffer_.reserve(std::min<std::size_t>(total_len_, initial_reserve));
        state_ = state::body;
    }

    // Here state_ == body and total_len_ >= 16 > buffer_.size(), so the frame is never complete yet.
    append(total_len_ - buffer_.size());
    if (buffer_.size() < total_len_) {
        return {consumed, {}};
    }
    if (auto ec = finish_frame()) {
        return fail(consumed, ec);
    }
    state_ = state::message_ready;
    return {consumed, {}};
}

message frame_decoder::take_message() {
    // A dead decoder must stay dead even if the precondition is ignored.
    if (state_ == state::message_ready) {
        state_ = state::prelude;
    }
    message out = std::move(ready_);
    ready_ = message{};
    return out;
}

}  // namespace standin::protocol
