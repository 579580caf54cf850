// SPDX-License-Identifier: Apache-2.0
// message_head_encoder against application_message(): the per-delivery and per-response encoding
// must be the general encoder's frame, byte for byte, for every stream id, payload and flag.
#include "rpc/server_frames.hpp"

#include <gtest/gtest.h>

#include "standin/protocol/errc.hpp"
#include "standin/protocol/frame_decoder.hpp"

namespace standin::server {
namespace {

std::string frame_by_head_encoder(const frames::message_head_encoder& encoder, std::int32_t stream_id,
                                  const protocol::shared_payload& payload) {
    std::string out = "prefix";  // appended, never overwritten
    const auto trailer = encoder.append_head(out, stream_id, payload.get());
    EXPECT_EQ(out.size(), 6 + encoder.head_size());
    out.erase(0, 6);
    if (payload) out += payload->bytes();
    out.append(reinterpret_cast<const char*>(trailer.data()), trailer.size());
    return out;
}

TEST(message_head_encoder, writes_what_application_message_writes) {
    const std::vector<std::string_view> shapes = {"aws.greengrass#SubscriptionResponseMessage",
                                                  "aws.greengrass#PublishToTopicResponse", "x"};
    const std::vector<std::int32_t> streams = {1, 2, 255, 256, 65'537, 0x7fff'ffff};
    const std::vector<protocol::shared_payload> payloads = {
        nullptr, protocol::make_payload({}), protocol::make_payload("{}"),
        protocol::make_payload(R"({"message":"hi"})"), protocol::make_payload(std::string(70'000, 'p'))};
    for (const bool terminate : {false, true}) {
        for (const auto shape : shapes) {
            const frames::message_head_encoder encoder{shape, terminate};
            EXPECT_EQ(encoder.shape(), shape);
            for (const auto stream : streams) {
                for (const auto& payload : payloads) {
                    const auto expected = frames::application_message(stream, shape, payload, terminate,
                                                                      protocol::default_max_frame_size);
                    ASSERT_TRUE(expected);
                    EXPECT_EQ(encoder.head_size(), expected->head.size());
                    EXPECT_EQ(encoder.frame_size(expected->payload_size()), expected->size());
                    const auto context = std::string{shape} + " stream " + std::to_string(stream) +
                                         " payload " + std::to_string(expected->payload_size()) +
                                         (terminate ? " terminating" : "");
                    EXPECT_EQ(frame_by_head_encoder(encoder, stream, payload), expected->to_string())
                        << context;
                    const auto encoded =
                        encoder.encode(stream, payload, protocol::default_max_frame_size);
                    ASSERT_TRUE(encoded) << context;
                    EXPECT_EQ(encoded->to_string(), expected->to_string()) << context;
                }
            }
        }
    }
}

TEST(message_head_encoder, frames_decode_with_their_stream_id) {
    const frames::message_head_encoder encoder{"aws.greengrass#SubscriptionResponseMessage", false};
    const auto payload = protocol::make_payload(R"({"jsonMessage":{"message":1}})");
    const auto frame = frame_by_head_encoder(encoder, 42, payload);
    protocol::message decoded;
    ASSERT_FALSE(protocol::decode_frame(
        {reinterpret_cast<const std::uint8_t*>(frame.data()), frame.size()}, {}, decoded));
    EXPECT_EQ(decoded.payload, payload->bytes());
    const auto* stream = std::get_if<std::int32_t>(&decoded.headers.back().value);
    ASSERT_NE(stream, nullptr);
    EXPECT_EQ(*stream, 42);
}

TEST(message_head_encoder, encode_refuses_what_the_general_encoder_refuses) {
    const frames::message_head_encoder encoder{"aws.greengrass#PublishToTopicResponse", true};
    const auto payload = protocol::make_payload(std::string(100, 'p'));
    const auto exact = static_cast<std::uint32_t>(encoder.head_size() + 100 + 4);
    for (const auto limit : {exact - 1, exact, exact + 1}) {
        const auto expected = frames::application_message(7, encoder.shape(), payload, true, limit);
        const auto actual = encoder.encode(7, payload, limit);
        ASSERT_EQ(actual.has_value(), expected.has_value()) << "limit " << limit;
        if (actual) {
            EXPECT_EQ(actual->to_string(), expected->to_string());
        } else {
            EXPECT_EQ(actual.error(), std::error_code{protocol::errc::frame_too_long});
            EXPECT_EQ(actual.error(), expected.error());
        }
    }
    EXPECT_FALSE(encoder.encode(7, payload, exact - 1));
    EXPECT_TRUE(encoder.encode(7, payload, exact));
}

}  // namespace
}  // namespace standin::server
