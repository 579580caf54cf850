// SPDX-License-Identifier: Apache-2.0
// Size limits of the event-stream framing, with where each number comes from.
#pragma once

#include <cstddef>
#include <cstdint>

namespace standin::protocol {

// Spec: prelude (12) + trailing message CRC (4).
inline constexpr std::uint32_t prelude_size = 12;
inline constexpr std::uint32_t frame_overhead = 16;

// Compatibility: aws-c-event-stream >= v0.5.4 (what the current nucleus and SDKs use) caps a
// message at 24 MiB.
inline constexpr std::uint32_t default_max_frame_size = 24u * 1024u * 1024u;
// Compatibility: the Greengrass component SDK (and nucleus lite) receive into a 10,000-byte buffer.
inline constexpr std::uint32_t lite_max_frame_size = 10'000;
// Spec: a header name length is a u8.
inline constexpr std::size_t max_header_name_size = 255;
// Compatibility: aws-c-event-stream refuses string/byte_buf values over INT16_MAX.
inline constexpr std::size_t max_header_value_size = 32767;
// Compatibility: aws-c-event-stream >= v0.7.1 ("not part of the spec").
inline constexpr std::size_t default_max_headers = 1024;

struct decoder_limits {
    std::uint32_t max_frame_size = default_max_frame_size;
    std::size_t max_headers = default_max_headers;
};

}  // namespace standin::protocol
