// SPDX-License-Identifier: Apache-2.0
#include "standin/protocol/frame_encoder.hpp"

#include <gtest/gtest.h>

#include "chunking.hpp"
#include "standin/protocol/rpc.hpp"
#include "test_support.hpp"

namespace standin::protocol {
namespace {

using test::as_span;
using test::from_hex;

message all_types() {
    message m;
    m.headers = {
        header{"true", true},
        header{"false", false},
        header{"byte", std::int8_t{-128}},
        header{"int16", std::int16_t{0x1234}},
        header{"int32", std::int32_t{0x12345678}},
        header{"int64", std::int64_t{0x0102030405060708}},
        header{"byte_buf", byte_buf{std::string{"\x00\x01\x02", 3}}},
        header{"string", std::string{"text"}},
        header{"timestamp", timestamp_ms{-1}},
        header{"uuid", uuid{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16}},
    };
    m.payload = "payload";
    return m;
}

TEST(frame_encoder, header_type_of_each_alternative) {
    const auto m = all_types();
    for (std::size_t i = 0; i < m.headers.size(); ++i) {
        EXPECT_EQ(static_cast<std::size_t>(header_type_of(m.headers[i].value)), i) << m.headers[i].name;
    }
}

TEST(frame_encoder, writes_every_type_big_endian) {
    const auto bytes = encode_message(all_types());
    ASSERT_TRUE(bytes);
    const std::string block =
        from_hex(R"(04 "true" 00 | 05 "false" 01 | 04 "byte" 02 80 | 05 "int16" 03 12 34 |
        05 "int32" 04 12 34 56 78 | 05 "int64" 05 01 02 03 04 05 06 07 08 | 08 "byte_buf" 06 00 03 00 01 02 |
        06 "string" 07 00 04 "text" | 09 "timestamp" 08 ff ff ff ff ff ff ff ff |
        04 "uuid" 09 01 02 03 04 05 06 07 08 09 0a 0b 0c 0d 0e 0f 10)");
    EXPECT_EQ(encoded_headers_size(all_types().headers), block.size());
    EXPECT_EQ(test::to_hex(bytes->substr(12, block.size())), test::to_hex(block));
    EXPECT_EQ(bytes->substr(12 + block.size(), 7), "payload");
}

TEST(frame_encoder, all_types_round_trip) {
    const auto m = all_types();
    const auto bytes = encode_message(m);
    ASSERT_TRUE(bytes);
    message back;
    ASSERT_FALSE(decode_frame(as_span(*bytes), {}, back));
    EXPECT_EQ(back, m);
    test::expect_same_decode_in_any_chunking(*bytes, m);
}

TEST(frame_encoder, extreme_values_round_trip) {
    message m;
    m.headers = {header{"a", std::int8_t{127}},
                 header{"b", std::int16_t{-32768}},
                 header{"c", std::int32_t{INT32_MIN}},
                 header{"d", std::int64_t{INT64_MIN}},
                 header{"e", std::int64_t{INT64_MAX}},
                 header{"f", timestamp_ms{INT64_MIN}},
                 header{"g", byte_buf{}},
                 header{"h", std::string{}}};
    const auto bytes = encode_message(m);
    ASSERT_TRUE(bytes);
    message back;
    ASSERT_FALSE(decode_frame(as_span(*bytes), {}, back));
    EXPECT_EQ(back, m);
}

TEST(frame_encoder, frame_and_message_agree) {
    const auto m = all_types();
    auto frame = encode_frame(m.headers, make_payload(m.payload));
    ASSERT_TRUE(frame);
    EXPECT_EQ(frame->head.size(), 12 + encoded_headers_size(m.headers));
    EXPECT_EQ(frame->payload_size(), m.payload.size());
    EXPECT_EQ(frame->to_string(), *encode_message(m));
}

TEST(frame_encoder, null_payload_is_an_empty_buffer) {
    std::vector<header> headers;
    rpc::append_rpc_headers(headers, rpc::message_type::ping_response, 0, 0);
    auto frame = encode_frame(headers, nullptr);
    ASSERT_TRUE(frame);
    const auto buffers = frame->buffers();
    EXPECT_EQ(buffers[0].size(), 67u);
    EXPECT_TRUE(buffers[1].empty());
    EXPECT_EQ(buffers[2].size(), 4u);
    EXPECT_EQ(frame->size(), 71u);
    EXPECT_EQ(test::to_hex(frame->to_string().substr(67)), "d15357fe");
    // An empty (non-null) payload encodes the same bytes.
    auto same = encode_frame(headers, make_payload({}));
    ASSERT_TRUE(same);
    EXPECT_EQ(same->to_string(), frame->to_string());
}

std::error_code encode_ec(const message& m, std::uint32_t max = default_max_frame_size) {
    auto r = encode_message(m, max);
    if (r) return {};
    auto f = encode_frame(m.headers, make_payload(m.payload), max);
    EXPECT_FALSE(f);
    if (!f) {
        EXPECT_EQ(std::error_code{f.error()}, std::error_code{r.error()});
    }
    return r.error();
}

TEST(frame_encoder, rejects_bad_names) {
    EXPECT_EQ(encode_ec(message{{header{"", true}}, {}}), errc::header_name_empty);
    EXPECT_EQ(encode_ec(message{{header{std::string(256, 'n'), true}}, {}}), errc::header_name_too_long);
    EXPECT_EQ(encode_ec(message{{header{std::string(255, 'n'), true}}, {}}), std::error_code{});
}

TEST(frame_encoder, rejects_long_values) {
    EXPECT_EQ(encode_ec(message{{header{"s", std::string(32768, 's')}}, {}}),
              errc::header_value_too_long);
    EXPECT_EQ(encode_ec(message{{header{"b", byte_buf{std::string(32768, 'b')}}}, {}}),
              errc::header_value_too_long);
    EXPECT_EQ(encode_ec(message{{header{"s", std::string(32767, 's')}}, {}}), std::error_code{});
    EXPECT_EQ(encode_ec(message{{header{"b", byte_buf{std::string(32767, 'b')}}}, {}}),
              std::error_code{});
}

TEST(frame_encoder, rejects_long_frames) {
    message m;
    m.payload = std::string(84, 'p');
    EXPECT_EQ(encode_ec(m, 100), std::error_code{});
    m.payload.push_back('p');
    EXPECT_EQ(encode_ec(m, 100), errc::frame_too_long);
    EXPECT_EQ(encode_ec(m, 0), errc::frame_too_long);
    m.headers.push_back(header{"x", std::string(20, 'v')});
    m.payload.resize(60);
    EXPECT_EQ(encode_ec(m, 100), errc::frame_too_long);  // 16 + 24 + 60
    m.payload.resize(std::size_t{default_max_frame_size});
    EXPECT_EQ(encode_ec(m), errc::frame_too_long);
}

}  // namespace
}  // namespace standin::protocol
