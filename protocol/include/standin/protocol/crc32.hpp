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

}  // namespace standin::protocol
