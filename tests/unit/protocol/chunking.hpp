// SPDX-License-Identifier: Apache-2.0
// The "parsegrind" checks: one frame fed whole, split in two at every offset, and in 7- and 1-byte
// pieces must decode to the same message every time.
#pragma once

#include <gtest/gtest.h>

#include "test_support.hpp"

namespace standin::protocol::test {

inline void expect_same_decode_in_any_chunking(std::string_view frame, const message& expected,
                                               decoder_limits limits = {}) {
    for (std::size_t chunk : {std::size_t{0}, std::size_t{7}, std::size_t{1}}) {
        const auto out = feed_all(frame, limits, chunk);
        ASSERT_FALSE(out.ec) << "chunk " << chunk << ": " << out.ec.message();
        ASSERT_EQ(out.messages.size(), 1u) << "chunk " << chunk;
        EXPECT_EQ(out.messages[0], expected) << "chunk " << chunk;
        EXPECT_EQ(out.consumed, frame.size());
    }
    // Every offset, except that frames over 4 KiB (only the boundary-size fixture) are split at every
    // offset near the ends and at a stride in the middle, which keeps the test linear-ish in Debug.
    const bool big = frame.size() > 4096;
    for (std::size_t split = 0; split <= frame.size();
         split += (big && split >= 256 && split + 256 < frame.size()) ? 97 : 1) {
        frame_decoder dec{limits};
        const auto out = feed(dec, frame, [split](std::size_t i) { return i == 0 ? split : 0; });
        ASSERT_FALSE(out.ec) << "split " << split << ": " << out.ec.message();
        ASSERT_EQ(out.messages.size(), 1u) << "split " << split;
        EXPECT_EQ(out.messages[0], expected) << "split " << split;
        EXPECT_TRUE(dec.at_frame_boundary()) << "split " << split;
    }
}

}  // namespace standin::protocol::test
