// SPDX-License-Identifier: Apache-2.0
// The body of every fuzz_model_<service> target. The input is a request payload; each shape of the
// service is decoded from it (failures are error values, never crashes), and whatever decodes must
// survive a second trip: encode, decode that text, encode again, and get the same value and bytes.
#pragma once

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "standin/model/codec.hpp"

namespace standin::fuzz {

[[noreturn]] inline void model_mismatch(std::string_view shape, std::string_view what,
                                        const std::string& first, const std::string& second) {
    std::fprintf(stderr, "%.*s: %.*s\nfirst:  %s\nsecond: %s\n", static_cast<int>(shape.size()),
                 shape.data(), static_cast<int>(what.size()), what.data(), first.c_str(),
                 second.c_str());
    std::abort();
}

template <class T>
void decode_and_reencode(const nlohmann::json& body) {
    const auto decoded = model::decode<T>(body);
    if (!decoded) {
        (void)decoded.error().message();
        return;
    }
    const auto first = model::encode(*decoded);
    const auto again = model::decode_payload<T>(first);
    if (!again)
        model_mismatch(T::shape_id, "its own encoding does not decode", first, again.error().message());
    const auto second = model::encode(*again);
    if (second != first) model_mismatch(T::shape_id, "encoding is not stable", first, second);
    if (!(*again == *decoded)) model_mismatch(T::shape_id, "decode(encode(x)) != x", first, second);
}

// Decodes `data` as each of Shapes.
template <class... Shapes>
int fuzz_model(const std::uint8_t* data, std::size_t size) {
    const std::string_view payload{reinterpret_cast<const char*>(data), size};
    const auto body = model::decode_request_payload(payload);
    if (!body) return 0;
    (decode_and_reencode<Shapes>(*body), ...);
    return 0;
}

}  // namespace standin::fuzz
