// SPDX-License-Identifier: Apache-2.0
#include "standin/protocol/message.hpp"

#include <algorithm>
#include <type_traits>

namespace standin::protocol {
namespace {

constexpr char ascii_lower(char c) noexcept {
    return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
}

}  // namespace

bool ascii_iequals(std::string_view a, std::string_view b) noexcept {
    return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
               return ascii_lower(x) == ascii_lower(y);
           });
}

header_type header_type_of(const header_value& value) noexcept {
    return std::visit(
        [](const auto& v) -> header_type {
            using T = std::decay_t<decltype(v)>;
            if constexpr (std::is_same_v<T, bool>) {
                return v ? header_type::bool_true : header_type::bool_false;
            } else if constexpr (std::is_same_v<T, std::int8_t>) {
                return header_type::byte;
            } else if constexpr (std::is_same_v<T, std::int16_t>) {
                return header_type::int16;
            } else if constexpr (std::is_same_v<T, std::int32_t>) {
                return header_type::int32;
            } else if constexpr (std::is_same_v<T, std::int64_t>) {
                return header_type::int64;
            } else if constexpr (std::is_same_v<T, byte_buf>) {
                return header_type::byte_buf;
            } else if constexpr (std::is_same_v<T, std::string>) {
                return header_type::string;
            } else if constexpr (std::is_same_v<T, timestamp_ms>) {
                return header_type::timestamp;
            } else {
                static_assert(std::is_same_v<T, uuid>);
                return header_type::uuid;
            }
        },
        value);
}

const header* message::find(std::string_view name) const noexcept {
    auto it =
        std::find_if(headers.begin(), headers.end(), [&](const header& h) { return h.name == name; });
    return it == headers.end() ? nullptr : &*it;
}

const header* message::find_case_insensitive(std::string_view name) const noexcept {
    auto it = std::find_if(headers.begin(), headers.end(),
                           [&](const header& h) { return ascii_iequals(h.name, name); });
    return it == headers.end() ? nullptr : &*it;
}

}  // namespace standin::protocol
