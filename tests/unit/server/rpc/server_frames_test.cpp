// SPDX-License-Identifier: Apache-2.0
// event_head_encoder against application_message(): the fan-out's per-delivery encoding must be
// the general encoder's frame, byte for byte, for every stream id and payload.
#include "rpc/server_frames.hpp"

#include <gtest/gtest.h>

#include "standin/protocol/frame_decoder.hpp"

namespace standin::server {
namespace {

std::string event_by_head_encoder(const frames::event_head_encoder& encoder, std::int32_t stream_id,
                                  const protocol::shared_payload& payload) {
    std::string out = "prefix";  // appended, never overwritten
    const auto trailer = encoder.append_head(out, stream_id, payload.get());
    EXPECT_EQ(out.size(), 6 + encoder.head_size());
    out.erase(0, 6);
    if (payload) out += payload->bytes();
    out.append(reinterpret_cast<const char*>(trailer.data()), trailer.size());
    return out;
}

TEST(event_head_encoder, writes_what_application_message_writes) {
    const std::vector<std::string_view> shapes = {"aws.greengrass#SubscriptionResponseMessage",
                                                  "aws.greengrass#ConfigurationUpdateEvents", "x"};
    const std::vector<std::int32_t> streams = {1, 2, 255, 256, 65'537, 0x7fff'ffff};
    const std::vector<protocol::shared_payload> payloads = {
        nullptr, protocol::make_payload({}), protocol::make_payload(R"({"message":"hi"})"),
        protocol::make_payload(std::string(70'000, 'p'))};
    for (const auto shape : shapes) {
        const frames::event_head_encoder encoder{shape};
        EXPECT_EQ(encoder.shape(), shape);
        for (const auto stream : streams) {
            for (const auto& payload : payloads) {
                const auto expected = frames::application_message(stream, shape, payload, false,
                                                                  protocol::default_max_frame_size);
                ASSERT_TRUE(expected);
                EXPECT_EQ(encoder.head_size(), expected->head.size());
                const auto actual = event_by_head_encoder(encoder, stream, payload);
                EXPECT_EQ(actual, expected->to_string())
                    << shape << " stream " << stream << " payload " << expected->payload_size();
            }
        }
    }
}

TEST(event_head_encoder, frames_decode_with_their_stream_id) {
    const frames::event_head_encoder encoder{"aws.greengrass#SubscriptionResponseMessage"};
    const auto payload = protocol::make_payload(R"({"jsonMessage":{"message":1}})");
    const auto frame = event_by_head_encoder(encoder, 42, payload);
    protocol::message decoded;
    ASSERT_FALSE(protocol::decode_frame(
        {reinterpret_cast<const std::uint8_t*>(frame.data()), frame.size()}, {}, decoded));
    EXPECT_EQ(decoded.payload, payload->bytes());
    const auto* stream = std::get_if<std::int32_t>(&decoded.headers.back().value);
    ASSERT_NE(stream, nullptr);
    EXPECT_EQ(*stream, 42);
}

}  // namespace
}  // namespace standin::server
