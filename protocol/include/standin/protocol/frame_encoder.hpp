// SPDX-License-Identifier: Apache-2.0
// Event-stream frame encoder. A frame is written as three buffers (prelude + headers, payload,
// message CRC) so that one payload can be shared by many frames without being copied.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>

#include <boost/smart_ptr/intrusive_ptr.hpp>
#include <boost/smart_ptr/intrusive_ref_counter.hpp>
#include <boost/system/result.hpp>

#include "standin/protocol/limits.hpp"
#include "standin/protocol/message.hpp"

namespace standin::protocol {

// A payload that many frames can share (one message fanned out to every subscriber) with its
// CRC-32 computed once: each frame then checksums only its own prelude and headers and combines
// the two, instead of checksumming the payload again per subscriber. The combination's operator
// for this length is computed once too, so a frame's combination is one multiplication.
// Counted in the object itself: a reference is one pointer, so a queued event that holds one costs
// 8 bytes rather than std::shared_ptr's 16, and the count and bytes share one allocation.
class payload_buffer : public boost::intrusive_ref_counter<payload_buffer> {
public:
    explicit payload_buffer(std::string bytes);

    const std::string& bytes() const noexcept { return bytes_; }
    const char* data() const noexcept { return bytes_.data(); }
    std::size_t size() const noexcept { return bytes_.size(); }
    std::uint32_t crc() const noexcept { return crc_; }
    // The CRC of a frame's head followed by these bytes, from the head's CRC.
    std::uint32_t crc_after(std::uint32_t head_crc) const noexcept;

private:
    std::string bytes_;
    std::uint32_t crc_;
    std::uint32_t combine_operator_;
};

using shared_payload = boost::intrusive_ptr<const payload_buffer>;

// A shared payload of `bytes`.
shared_payload make_payload(std::string bytes);

struct encoded_frame {
    std::string head;                       // prelude (12 bytes) + header block
    shared_payload payload;                 // null means empty
    std::array<std::uint8_t, 4> trailer{};  // message CRC, big-endian

    std::size_t size() const noexcept { return head.size() + payload_size() + trailer.size(); }
    std::size_t payload_size() const noexcept { return payload ? payload->size() : 0; }
    // The three byte ranges to write, in order. Valid while *this and the payload live.
    std::array<std::span<const std::uint8_t>, 3> buffers() const noexcept;
    // The frame as one contiguous string (tests, tools).
    std::string to_string() const;
};

// Bytes the encoded header block of `headers` takes.
std::size_t encoded_headers_size(std::span<const header> headers) noexcept;

// Encodes a frame. Fails with errc::frame_too_long past `max_frame_size`, errc::header_name_empty
// or errc::header_name_too_long (over 255 bytes), or errc::header_value_too_long (a string/byte_buf
// value over 32767 bytes).
boost::system::result<encoded_frame> encode_frame(std::span<const header> headers,
                                                  shared_payload payload,
                                                  std::uint32_t max_frame_size = default_max_frame_size);

// Convenience: encode `msg` into one contiguous string.
boost::system::result<std::string> encode_message(const message& msg,
                                                  std::uint32_t max_frame_size = default_max_frame_size);

}  // namespace standin::protocol
