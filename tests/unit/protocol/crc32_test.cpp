// SPDX-License-Identifier: Apache-2.0
#include "standin/protocol/crc32.hpp"

#include <random>

#include <gtest/gtest.h>
#include <boost/crc.hpp>

#include "test_support.hpp"

namespace standin::protocol {
namespace {

TEST(crc32, check_value) {
    EXPECT_EQ(crc32(0, std::string_view{"123456789"}), 0xCBF43926u);
}

TEST(crc32, empty_input_keeps_the_running_value) {
    EXPECT_EQ(crc32(0, std::string_view{}), 0u);
    EXPECT_EQ(crc32(0xCBF43926u, std::string_view{}), 0xCBF43926u);
}

TEST(crc32, continues_like_zlib) {
    const std::string_view all = "The quick brown fox jumps over the lazy dog";
    const auto whole = crc32(0, all);
    EXPECT_EQ(whole, 0x414FA339u);
    for (std::size_t split = 0; split <= all.size(); ++split) {
        EXPECT_EQ(crc32(crc32(0, all.substr(0, split)), all.substr(split)), whole) << split;
    }
}

// Boost.CRC's crc_32_type is an independent implementation of the same CRC (zlib's).
TEST(crc32, agrees_with_boost_crc_on_every_length_and_alignment) {
    std::mt19937 rng{42};
    std::string data(4096 + 64, '\0');
    for (auto& c : data)
        c = static_cast<char>(rng());
    for (std::size_t offset = 0; offset < 8; ++offset) {
        for (std::size_t size = 0; size <= 300; ++size) {
            boost::crc_32_type reference;
            reference.process_bytes(data.data() + offset, size);
            ASSERT_EQ(crc32(0, std::string_view{data}.substr(offset, size)), reference.checksum())
                << offset << "+" << size;
        }
    }
    boost::crc_32_type reference;
    reference.process_bytes(data.data(), data.size());
    EXPECT_EQ(crc32(0, data), reference.checksum());
}

// What a shared payload's frames rely on: the CRC of head + payload from the two CRCs alone.
TEST(crc32, combine_equals_the_crc_of_the_concatenation_at_every_split) {
    const std::string all = "prelude+headers|{\"message\":\"a shared payload\"}";
    const auto whole = crc32(0, all);
    for (std::size_t split = 0; split <= all.size(); ++split) {
        const auto head = std::string_view{all}.substr(0, split);
        const auto tail = std::string_view{all}.substr(split);
        EXPECT_EQ(crc32_combine(crc32(0, head), crc32(0, tail), tail.size()), whole) << split;
        EXPECT_EQ(
            crc32_combine_with(crc32(0, head), crc32(0, tail), crc32_combine_operator(tail.size())),
            whole)
            << split;
    }
}

TEST(crc32, span_and_string_view_agree) {
    const std::string_view text = "event-stream";
    EXPECT_EQ(crc32(0, test::as_span(text)), crc32(0, text));
}

TEST(crc32, prelude_of_the_empty_message) {
    // protocol.md §1.4: 00 00 00 10 00 00 00 00 -> 05 c2 48 eb
    const auto prelude = test::from_hex("00 00 00 10 00 00 00 00");
    EXPECT_EQ(crc32(0, prelude), 0x05C248EBu);
}

}  // namespace
}  // namespace standin::protocol
