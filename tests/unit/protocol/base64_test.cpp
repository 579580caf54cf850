// SPDX-License-Identifier: Apache-2.0
#include "standin/model/base64.hpp"

#include <gtest/gtest.h>

namespace standin::model {
namespace {

TEST(base64, encodes_with_padding) {
    EXPECT_EQ(base64_encode(""), "");
    EXPECT_EQ(base64_encode("hello"), "aGVsbG8=");
    EXPECT_EQ(base64_encode("hell"), "aGVsbA==");
    EXPECT_EQ(base64_encode(std::string("\x00\xff", 2)), "AP8=");
}

TEST(base64, decodes_padded_and_unpadded_input) {
    EXPECT_EQ(base64_decode(""), "");
    EXPECT_EQ(base64_decode("aGVsbG8="), "hello");
    EXPECT_EQ(base64_decode("aGVsbG8"), "hello");
    EXPECT_EQ(base64_decode("aGVsbA=="), "hell");
    EXPECT_EQ(base64_decode("aGVsbA"), "hell");
    EXPECT_EQ(base64_decode("aGVs"), "hel");
    EXPECT_EQ(base64_decode("AP8="), std::string("\x00\xff", 2));
    EXPECT_EQ(base64_decode("+/+/"), "\xfb\xff\xbf");
}

TEST(base64, rejects_malformed_input) {
    for (const char* bad : {"a", "aGVsbG8=x", "aGVsb G8=", "aGVsbG8\n", "aGVsbG8===", "aGVsbA=", "====",
                            "=", "a===", "aGV-bG8=", "aGV_bG8=", "aGVsbG8=aGVsbG8="}) {
        EXPECT_FALSE(base64_decode(bad).has_value()) << bad;
    }
}

TEST(base64, round_trips_every_byte_value_at_every_length_mod_3) {
    std::string all;
    for (int i = 0; i < 256; ++i)
        all.push_back(static_cast<char>(i));
    for (std::size_t len : {0u, 1u, 2u, 3u, 254u, 255u, 256u}) {
        const auto bytes = all.substr(0, len);
        EXPECT_EQ(base64_decode(base64_encode(bytes)), bytes) << len;
    }
}

}  // namespace
}  // namespace standin::model
