// SPDX-License-Identifier: Apache-2.0
// ASCII character classes for the names and versions the nucleus validates. The <cctype>
// functions depend on the locale and take int; these are the fixed ASCII sets the rules name.
#pragma once

namespace standin::server::ascii {

constexpr bool is_digit(char c) {
    return c >= '0' && c <= '9';
}

constexpr bool is_alnum(char c) {
    return is_digit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

}  // namespace standin::server::ascii
