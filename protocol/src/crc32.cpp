// SPDX-License-Identifier: Apache-2.0
// zlib's CRC-32: fast (it folds several bytes per step) and it can combine two CRCs without the
// bytes, which lets a payload shared by many frames be checksummed once (frame_encoder.cpp).
#include "standin/protocol/crc32.hpp"

#include <zlib.h>

namespace standin::protocol {

// zlib answers 0 for a null buffer (its way of asking for the initial value), which an empty span or
// string_view may hold: an empty input keeps the running value instead.
std::uint32_t crc32(std::uint32_t crc, std::span<const std::uint8_t> bytes) noexcept {
    if (bytes.empty()) return crc;
    return static_cast<std::uint32_t>(::crc32_z(crc, bytes.data(), bytes.size()));
}

std::uint32_t crc32(std::uint32_t crc, std::string_view bytes) noexcept {
    if (bytes.empty()) return crc;
    return static_cast<std::uint32_t>(
        ::crc32_z(crc, reinterpret_cast<const Bytef*>(bytes.data()), bytes.size()));
}

std::uint32_t crc32_combine(std::uint32_t first, std::uint32_t second,
                            std::size_t second_length) noexcept {
    return static_cast<std::uint32_t>(
        ::crc32_combine(first, second, static_cast<z_off_t>(second_length)));
}

std::uint32_t crc32_combine_operator(std::size_t second_length) noexcept {
    return static_cast<std::uint32_t>(::crc32_combine_gen64(static_cast<z_off64_t>(second_length)));
}

std::uint32_t crc32_combine_with(std::uint32_t first, std::uint32_t second,
                                 std::uint32_t combine_operator) noexcept {
    return static_cast<std::uint32_t>(::crc32_combine_op(first, second, combine_operator));
}

}  // namespace standin::protocol
