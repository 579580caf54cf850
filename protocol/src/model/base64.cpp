// SPDX-License-Identifier: Apache-2.0
#include "standin/model/base64.hpp"

#include <boost/beast/core/detail/base64.hpp>

namespace standin::model {

namespace b64 = boost::beast::detail::base64;

std::string base64_encode(std::string_view bytes) {
    std::string out(b64::encoded_size(bytes.size()), '\0');
    out.resize(b64::encode(out.data(), bytes.data(), bytes.size()));
    return out;
}

std::optional<std::string> base64_decode(std::string_view text) {
    // Beast's decoder stops quietly at the first foreign character; validate first so that
    // garbage is an error, as it is for the Java nucleus.
    std::size_t data_len = text.size();
    while (data_len > 0 && text[data_len - 1] == '=' && text.size() - data_len < 2) {
        --data_len;
    }
    const std::size_t padding = text.size() - data_len;
    if (padding > 0 && text.size() % 4 != 0) return std::nullopt;
    if (data_len % 4 == 1) return std::nullopt;
    for (std::size_t i = 0; i < data_len; ++i) {
        const char c = text[i];
        const bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                        c == '+' || c == '/';
        if (!ok) return std::nullopt;
    }
    std::string padded{text.substr(0, data_len)};
    padded.append((4 - data_len % 4) % 4, '=');
    std::string out(b64::decoded_size(padded.size()), '\0');
    out.resize(b64::decode(out.data(), padded.data(), padded.size()).first);
    return out;
}

}  // namespace standin::model
