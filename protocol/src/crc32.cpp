// SPDX-License-Identifier: Apache-2.0
// Slicing-by-8 table CRC rather than Boost.CRC: boost::crc_32_type goes one byte per step and
// measured ~5x slower (≈210 MB/s vs ≈1.1 GB/s at -O2), and every fan-out frame is CRC'd over its
// payload. The unit tests check this against boost::crc_32_type.
#include "standin/protocol/crc32.hpp"

#include <array>

namespace standin::protocol {
namespace {

constexpr std::uint32_t reflected_polynomial = 0xEDB8'8320u;

// tables[0] is the classic byte table; tables[n][b] is the CRC of byte b followed by n zero bytes,
// which lets eight input bytes be folded in with independent lookups.
constexpr std::array<std::array<std::uint32_t, 256>, 8> make_tables() noexcept {
    std::array<std::array<std::uint32_t, 256>, 8> t{};
    for (std::uint32_t i = 0; i < 256; ++i) {
        std::uint32_t c = i;
        for (int k = 0; k < 8; ++k) {
            c = (c & 1u) != 0 ? (c >> 1) ^ reflected_polynomial : c >> 1;
        }
        t[0][i] = c;
    }
    for (std::size_t n = 1; n < t.size(); ++n) {
        for (std::size_t i = 0; i < 256; ++i) {
            t[n][i] = (t[n - 1][i] >> 8) ^ t[0][t[n - 1][i] & 0xFFu];
        }
    }
    return t;
}

constexpr auto tables = make_tables();

std::uint32_t update(std::uint32_t crc, const std::uint8_t* p, std::size_t n) noexcept {
    std::uint32_t c = ~crc;
    for (; n >= 8; p += 8, n -= 8) {
        const std::uint32_t low = c ^ (std::uint32_t{p[0]} | (std::uint32_t{p[1]} << 8) |
                                       (std::uint32_t{p[2]} << 16) | (std::uint32_t{p[3]} << 24));
        c = tables[7][low & 0xFFu] ^ tables[6][(low >> 8) & 0xFFu] ^ tables[5][(low >> 16) & 0xFFu] ^
            tables[4][low >> 24] ^ tables[3][p[4]] ^ tables[2][p[5]] ^ tables[1][p[6]] ^ tables[0][p[7]];
    }
    for (; n > 0; ++p, --n) {
        c = (c >> 8) ^ tables[0][(c ^ *p) & 0xFFu];
    }
    return ~c;
}

static_assert(tables[0][1] == 0x7707'3096u);

}  // namespace

std::uint32_t crc32(std::uint32_t crc, std::span<const std::uint8_t> bytes) noexcept {
    return update(crc, bytes.data(), bytes.size());
}

std::uint32_t crc32(std::uint32_t crc, std::string_view bytes) noexcept {
    return update(crc, reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size());
}

}  // namespace standin::protocol
