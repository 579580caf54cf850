// SPDX-License-Identifier: Apache-2.0
#include "deployments/deployment_id.hpp"

#include <array>
#include <cctype>
#include <ctime>
#include <random>

namespace standin::server::deployments {

std::string make_deployment_id() {
    std::random_device device;
    std::array<unsigned char, 16> bytes{};
    for (std::size_t i = 0; i < bytes.size(); i += 4) {
        const auto word = device();
        for (std::size_t j = 0; j < 4; ++j)
            bytes[i + j] = static_cast<unsigned char>(word >> (8 * j));
    }
    bytes[6] = static_cast<unsigned char>((bytes[6] & 0x0F) | 0x40);  // version 4
    bytes[8] = static_cast<unsigned char>((bytes[8] & 0x3F) | 0x80);  // IETF variant
    static constexpr char digits[] = "0123456789abcdef";
    std::string out;
    out.reserve(36);
    for (std::size_t i = 0; i < bytes.size(); ++i) {
        if (i == 4 || i == 6 || i == 8 || i == 10) out.push_back('-');
        out.push_back(digits[bytes[i] >> 4]);
        out.push_back(digits[bytes[i] & 0x0F]);
    }
    return out;
}

bool is_uuid(std::string_view text) noexcept {
    if (text.empty() || text.size() > 36) return false;
    int groups = 1;
    std::size_t group_length = 0;
    for (const char c : text) {
        if (c == '-') {
            if (group_length == 0) return false;
            ++groups;
            group_length = 0;
        } else if (std::isxdigit(static_cast<unsigned char>(c)) != 0) {
            ++group_length;
        } else {
            return false;
        }
    }
    return groups == 5 && group_length > 0;
}

std::string created_on_text(std::int64_t epoch_ms) {
    const std::time_t seconds = static_cast<std::time_t>(epoch_ms / 1000);
    std::tm utc{};
    ::gmtime_r(&seconds, &utc);
    std::array<char, 32> text{};
    const auto length = std::strftime(text.data(), text.size(), "%d-%m-%Y %H:%M:%S UTC", &utc);
    return std::string{text.data(), length};
}

}  // namespace standin::server::deployments
