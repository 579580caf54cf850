// SPDX-License-Identifier: Apache-2.0
// CRC-32/IEEE (zlib's crc32), the checksum of event-stream preludes and messages.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>

namespace standin::protocol {

// Continues `crc` (0 to start) over `bytes`; crc32(crc32(0, a), b) == crc32(0, a + b).
std::uint32_t crc32(std::uint32_t crc, std::span<const std::uint8_t> bytes) noexcept;
std::uint32_t crc32(std::uint32_t crc, std::string_view bytes) noexcept;

// The CRC of a + b from crc32(0, a), crc32(0, b) and b's length, without the bytes.
std::uint32_t crc32_combine(std::uint32_t first, std::uint32_t second,
                            std::size_t second_length) noexcept;

// crc32_combine in two steps, for many combinations with one second part: the operator for
// `second_length` is worked out once (as costly as one crc32_combine), and each combination with it
// is then a single carry-less multiplication.
std::uint32_t crc32_combine_operator(std::size_t second_length) noexcept;
std::uint32_t crc32_combine_with(std::uint32_t first, std::uint32_t second,
                                 std::uint32_t combine_operator) noexcept;

}  // namespace standin::protocol
