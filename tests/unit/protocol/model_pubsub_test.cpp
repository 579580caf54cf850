// SPDX-License-Identifier: Apache-2.0
#include "standin/model/pubsub.hpp"

#include <gtest/gtest.h>

#include "model_test_support.hpp"

namespace standin::model {
namespace {

using test::round_trip;

TEST(model_pubsub, publish_to_topic_request_with_a_json_message) {
    const auto request = round_trip<publish_to_topic_request>(
        R"({"topic":"my/topic","publishMessage":{"jsonMessage":{"message":{"hello":"world","n":1}}}})");
    EXPECT_EQ(request.topic, "my/topic");
    ASSERT_TRUE(request.publishMessage && request.publishMessage->jsonMessage);
    EXPECT_EQ(request.publishMessage->jsonMessage->message,
              (nlohmann::json{{"hello", "world"}, {"n", 1}}));
    EXPECT_FALSE(request.publishMessage->binaryMessage);
}

TEST(model_pubsub, publish_to_topic_request_with_a_binary_message_and_context) {
    const auto request = round_trip<publish_to_topic_request>(
        R"({"topic":"my/topic","publishMessage":{"binaryMessage":{"message":"SGVsbG8=","context":{"topic":"my/topic"}}}})");
    EXPECT_EQ(request.publishMessage->binaryMessage->message->bytes, "Hello");
    EXPECT_EQ(request.publishMessage->binaryMessage->context->topic, "my/topic");
}

TEST(model_pubsub, responses_and_subscribe_request) {
    round_trip<publish_to_topic_response>("{}");
    const auto subscribe = round_trip<subscribe_to_topic_request>(
        R"({"topic":"my/+/topic","receiveMode":"RECEIVE_MESSAGES_FROM_OTHERS"})");
    EXPECT_EQ(subscribe.receiveMode, receive_mode::receive_messages_from_others);
    round_trip<subscribe_to_topic_request>(R"({"topic":"my/#"})");
    round_trip<subscribe_to_topic_response>(R"({"topicName":"my/+/topic"})");
    round_trip<subscribe_to_topic_response>("{}");
}

TEST(model_pubsub, subscription_response_message_events) {
    const auto json = round_trip<subscription_response_message>(
        R"({"jsonMessage":{"message":{"hello":"world"},"context":{"topic":"my/topic"}}})");
    EXPECT_EQ(json.jsonMessage->context->topic, "my/topic");
    const auto binary = round_trip<subscription_response_message>(
        R"({"binaryMessage":{"message":"AAH+/w==","context":{"topic":"my/topic"}}})");
    EXPECT_EQ(binary.binaryMessage->message->bytes, std::string("\x00\x01\xfe\xff", 4));
    round_trip<message_context>(R"({"topic":"a/b"})");
    round_trip<json_message>(R"({"message":{},"context":{}})");
    round_trip<binary_message>(R"({"message":""})");
    round_trip<publish_message>(R"({"jsonMessage":{"message":{"a":[1,2]}}})");
}

// The event a subscriber gets is built from the new shapes: message before context, compact.
TEST(model_pubsub, encoding_a_delivery_puts_message_before_context) {
    subscription_response_message event;
    event.jsonMessage = json_message{nlohmann::json{{"v", 1}}, message_context{"a/b"}};
    EXPECT_EQ(encode(event), R"({"jsonMessage":{"message":{"v":1},"context":{"topic":"a/b"}}})");
}

TEST(model_pubsub, decode_fails_as_a_value_on_two_union_members_or_a_wrong_type) {
    const auto request = decode<publish_to_topic_request>(
        nlohmann::json::parse(R"({"topic":"t","publishMessage":{"jsonMessage":{"message":{"a":1}}}})"));
    ASSERT_TRUE(request.has_value());
    EXPECT_EQ(request->topic, "t");
    const auto two = decode<publish_to_topic_request>(nlohmann::json::parse(
        R"({"topic":"t","publishMessage":{"jsonMessage":{"message":{}},"binaryMessage":{"message":""}}})"));
    ASSERT_FALSE(two.has_value());
    EXPECT_EQ(two.error().message(),
              "publishMessage: More than one union member set for type: aws.greengrass#PublishMessage");
    EXPECT_FALSE(
        decode<subscribe_to_topic_request>(nlohmann::json::parse(R"({"topic":[]})")).has_value());
}

TEST(model_pubsub, an_unknown_receive_mode_reads_as_absent_to_the_typed_view) {
    const auto request = decode<subscribe_to_topic_request>(
        nlohmann::json::parse(R"({"topic":"t","receiveMode":"RECEIVE_NOTHING"})"));
    ASSERT_TRUE(request.has_value());
    EXPECT_EQ(request->receiveMode.value_or(receive_mode::receive_messages_from_others),
              receive_mode::receive_messages_from_others);
    EXPECT_EQ(request->receiveMode.text(), "RECEIVE_NOTHING");
}

}  // namespace
}  // namespace standin::model
