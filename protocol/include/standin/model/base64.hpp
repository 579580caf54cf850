// SPDX-License-Identifier: Apache-2.0
// Standard base64 (RFC 4648, '+' '/' alphabet) as used for every IPC blob member.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace standin::model {

// Always padded, as every SDK client expects (Python's b64decode rejects missing padding).
std::string base64_encode(std::string_view bytes);
// Accepts padded or unpadded input, like java.util.Base64's decoder; nullopt on any other character
// or an impossible length.
std::optional<std::string> base64_decode(std::string_view text);

}  // namespace standin::model
