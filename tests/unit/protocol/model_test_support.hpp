// SPDX-License-Identifier: Apache-2.0
// Helpers for the model tests: a body written exactly as encode() writes it must decode and encode
// back to the same bytes, and decoding that consumes the body must agree with decoding that reads it.
#pragma once

#include <string>
#include <string_view>

#include <gtest/gtest.h>

#include "standin/model/codec.hpp"

namespace standin::model::test {

// Decodes `body` as T, expects encode() to give back exactly `body` and decode(encode(x)) == x, and
// returns the decoded value (a default T when decoding failed, after recording the failure).
template <class T>
T round_trip(std::string_view body) {
    SCOPED_TRACE(std::string{T::shape_id} + " " + std::string{body});
    auto decoded = decode_payload<T>(body);
    if (!decoded) {
        ADD_FAILURE() << "does not decode: " << decoded.error().message();
        return T{};
    }
    // decode_payload consumes the parsed body; reading it in place must give the same value.
    const auto parsed = decode_request_payload(body);
    const auto read = decode<T>(*parsed);
    EXPECT_TRUE(read && *read == *decoded) << "decode(const json&) differs from decode(json&&)";
    const auto encoded = encode(*decoded);
    EXPECT_EQ(encoded, body);
    auto again = decode_payload<T>(encoded);
    EXPECT_TRUE(again && *again == *decoded);
    return *decoded;
}

// The message of the decode error of `body` as T; empty (after recording a failure) if it decodes.
template <class T>
std::string decode_failure(std::string_view body) {
    auto decoded = decode_payload<T>(body);
    if (decoded) {
        ADD_FAILURE() << std::string{T::shape_id} << " unexpectedly decodes " << body;
        return {};
    }
    // Reading the body in place fails the same way as consuming it.
    if (const auto parsed = decode_request_payload(body)) {
        const auto read = decode<T>(*parsed);
        EXPECT_TRUE(!read && read.error().message() == decoded.error().message())
            << "decode(const json&) differs from decode(json&&) on " << body;
    }
    return decoded.error().message();
}

}  // namespace standin::model::test
