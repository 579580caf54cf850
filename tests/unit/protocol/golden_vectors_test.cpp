// SPDX-License-Identifier: Apache-2.0
// protocol.md §1.4 and §4.2 test vectors, typed in from the spec: decoding and byte-exact encoding.
#include <gtest/gtest.h>

#include "chunking.hpp"
#include "standin/protocol/frame_encoder.hpp"
#include "standin/protocol/rpc.hpp"
#include "test_support.hpp"

namespace standin::protocol {
namespace {

using test::from_hex;

struct golden {
    const char* name;
    std::string bytes;
    message expected;
};

message rpc_only(rpc::message_type type, std::int32_t flags, std::int32_t stream) {
    message m;
    rpc::append_rpc_headers(m.headers, type, flags, stream);
    return m;
}

std::vector<golden> spec_vectors() {
    return {
        {"empty", from_hex("00 00 00 10 00 00 00 00 05 c2 48 eb 7d 98 c8 ff"), message{}},
        {"content_type",
         from_hex(R"(00 00 00 3d 00 00 00 20 07 fd 83 96 0c "content-type" 07 00 10 "application/json"
                     "{'foo':'bar'}" 8d 9c 08 b1)"),
         message{{header{"content-type", std::string{"application/json"}}}, "{'foo':'bar'}"}},
        {"connect_ack_accepted",
         from_hex(R"(00 00 00 47 00 00 00 37 37 4c fe 3f | 0d ":message-type" 04 00 00 00 05 |
                     0e ":message-flags" 04 00 00 00 01 | 0a ":stream-id" 04 00 00 00 00 | e2 37 e2 7d)"),
         rpc_only(rpc::message_type::connect_ack, rpc::flag_connection_accepted, 0)},
        {"connect_ack_rejected",
         from_hex(R"(00 00 00 47 00 00 00 37 37 4c fe 3f | 0d ":message-type" 04 00 00 00 05 |
                     0e ":message-flags" 04 00 00 00 00 | 0a ":stream-id" 04 00 00 00 00 | 65 91 29 3e)"),
         rpc_only(rpc::message_type::connect_ack, 0, 0)},
    };
}

class golden_vector : public testing::TestWithParam<golden> {};

TEST_P(golden_vector, decodes) {
    const auto& g = GetParam();
    message out;
    ASSERT_FALSE(decode_frame(test::as_span(g.bytes), {}, out));
    EXPECT_EQ(out, g.expected);
}

TEST_P(golden_vector, encodes_byte_exact) {
    const auto& g = GetParam();
    auto contiguous = encode_message(g.expected);
    ASSERT_TRUE(contiguous);
    EXPECT_EQ(test::to_hex(*contiguous), test::to_hex(g.bytes));

    auto payload = g.expected.payload.empty() ? nullptr : make_payload(g.expected.payload);
    auto frame = encode_frame(g.expected.headers, payload);
    ASSERT_TRUE(frame);
    EXPECT_EQ(frame->size(), g.bytes.size());
    EXPECT_EQ(test::to_hex(frame->to_string()), test::to_hex(g.bytes));

    std::string gathered;
    for (auto buffer : frame->buffers())
        gathered.append(reinterpret_cast<const char*>(buffer.data()), buffer.size());
    EXPECT_EQ(gathered, g.bytes);
}

TEST_P(golden_vector, decodes_in_any_chunking) {
    test::expect_same_decode_in_any_chunking(GetParam().bytes, GetParam().expected);
}

INSTANTIATE_TEST_SUITE_P(spec, golden_vector, testing::ValuesIn(spec_vectors()),
                         [](const testing::TestParamInfo<golden>& param_info) {
                             return std::string{param_info.param.name};
                         });

TEST(golden, connect_ack_is_71_bytes_with_55_header_bytes) {
    const auto m = rpc_only(rpc::message_type::connect_ack, 1, 0);
    EXPECT_EQ(encoded_headers_size(m.headers), 55u);
    EXPECT_EQ(encoded_headers_size(std::span{m.headers}.first(1)), 19u);
    EXPECT_EQ(encoded_headers_size(std::span{m.headers}.subspan(1, 1)), 20u);
    EXPECT_EQ(encoded_headers_size(std::span{m.headers}.subspan(2, 1)), 16u);
}

TEST(golden, ping_response_crc) {
    auto bytes = encode_message(rpc_only(rpc::message_type::ping_response, 0, 0));
    ASSERT_TRUE(bytes);
    ASSERT_EQ(bytes->size(), 71u);
    EXPECT_EQ(test::to_hex(bytes->substr(67)), "d15357fe");
}

TEST(golden, publish_to_topic_response_165_bytes) {
    message m;
    m.headers = {header{":content-type", std::string{"application/json"}},
                 header{"service-model-type", std::string{"aws.greengrass#PublishToTopicResponse"}}};
    rpc::append_rpc_headers(m.headers, rpc::message_type::application_message,
                            rpc::flag_terminate_stream, 1);
    m.payload = "{}";
    auto bytes = encode_message(m);
    ASSERT_TRUE(bytes);
    ASSERT_EQ(bytes->size(), 165u);
    EXPECT_EQ(test::to_hex(bytes->substr(0, 12)), "000000a500000093b4e30d71");
    EXPECT_EQ(test::to_hex(bytes->substr(159)), "7b7d9023df3b");

    message back;
    ASSERT_FALSE(decode_frame(test::as_span(*bytes), {}, back));
    EXPECT_EQ(back, m);
    test::expect_same_decode_in_any_chunking(*bytes, m);
}

TEST(golden, shared_payload_frames_differ_only_in_stream_id_and_crc) {
    auto payload = make_payload(R"({"message":"hi"})");
    std::vector<header> h1, h2;
    rpc::append_rpc_headers(h1, rpc::message_type::application_message, 0, 1);
    rpc::append_rpc_headers(h2, rpc::message_type::application_message, 0, 2);
    auto f1 = encode_frame(h1, payload);
    auto f2 = encode_frame(h2, payload);
    ASSERT_TRUE(f1 && f2);
    EXPECT_EQ(f1->payload.get(), f2->payload.get());
    EXPECT_EQ(f1->buffers()[1].data(), reinterpret_cast<const std::uint8_t*>(payload->data()));
    EXPECT_NE(f1->trailer, f2->trailer);
    message m1;
    ASSERT_FALSE(decode_frame(test::as_span(f1->to_string()), {}, m1));
    EXPECT_EQ(m1.payload, payload->bytes());
}

}  // namespace
}  // namespace standin::protocol
