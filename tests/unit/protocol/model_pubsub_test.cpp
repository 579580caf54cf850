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

// ---- transitional API (the server's current callers) -----------------------------------------

TEST(model_pubsub_transitional, from_json_decodes_or_throws_deserialize_error) {
    const auto request = publish_to_topic_request::from_json(
        nlohmann::json::parse(R"({"topic":"t","publishMessage":{"jsonMessage":{"message":{"a":1}}}})"));
    EXPECT_EQ(request.topic, "t");
    try {
        (void)publish_to_topic_request::from_json(nlohmann::json::parse(
            R"({"topic":"t","publishMessage":{"jsonMessage":{"message":{}},"binaryMessage":{"message":""}}})"));
        FAIL() << "no exception";
    } catch (const deserialize_error& e) {
        EXPECT_STREQ(
            e.what(),
            "publishMessage: More than one union member set for type: aws.greengrass#PublishMessage");
    }
    EXPECT_THROW((void)subscribe_to_topic_request::from_json(nlohmann::json::parse(R"({"topic":[]})")),
                 deserialize_error);
}

TEST(model_pubsub_transitional, an_unknown_receive_mode_reads_as_absent_to_the_typed_view) {
    const auto request = subscribe_to_topic_request::from_json(
        nlohmann::json::parse(R"({"topic":"t","receiveMode":"RECEIVE_NOTHING"})"));
    EXPECT_EQ(request.receiveMode.value_or(receive_mode::receive_messages_from_others),
              receive_mode::receive_messages_from_others);
    EXPECT_EQ(request.receiveMode.text(), "RECEIVE_NOTHING");
}

TEST(model_pubsub_transitional, the_earlier_constructor_wraps_the_message) {
    const publish_message json{nlohmann::json{{"v", 1}}, std::nullopt};
    EXPECT_EQ(encode(json), R"({"jsonMessage":{"message":{"v":1}}})");
    const publish_message binary{std::nullopt, std::string("\x00\xff\x10", 3)};
    EXPECT_EQ(encode(binary), R"({"binaryMessage":{"message":"AP8Q"}})");
    EXPECT_EQ(encode(publish_message{}), "{}");
}

// Byte-identical to the earlier hand-written subscription_response_message_json.
TEST(model_pubsub_transitional, subscription_response_message_json_bytes) {
    const auto from = [](std::string_view body) {
        return *decode_payload<publish_to_topic_request>(body)->publishMessage;
    };
    EXPECT_EQ(subscription_response_message_json(
                  from(R"({"publishMessage":{"jsonMessage":{"message":{"b":[1,2.5],"a":"x"}}}})"),
                  "sensors/t"),
              R"({"jsonMessage":{"message":{"a":"x","b":[1,2.5]},"context":{"topic":"sensors/t"}}})");
    // The publisher's context is replaced by the published topic.
    EXPECT_EQ(
        subscription_response_message_json(
            from(R"({"publishMessage":{"jsonMessage":{"message":{},"context":{"topic":"spoofed"}}}})"),
            "t"),
        R"({"jsonMessage":{"message":{},"context":{"topic":"t"}}})");
    EXPECT_EQ(subscription_response_message_json(
                  from(R"({"publishMessage":{"binaryMessage":{"message":"AP8Q"}}})"), "t"),
              R"({"binaryMessage":{"message":"AP8Q","context":{"topic":"t"}}})");
    // Without `message`: {} or empty bytes, as before.
    EXPECT_EQ(subscription_response_message_json(from(R"({"publishMessage":{"jsonMessage":{}}})"), "t"),
              R"({"jsonMessage":{"message":{},"context":{"topic":"t"}}})");
    EXPECT_EQ(
        subscription_response_message_json(from(R"({"publishMessage":{"binaryMessage":{}}})"), "t"),
        R"({"binaryMessage":{"message":"","context":{"topic":"t"}}})");
    EXPECT_EQ(subscription_response_message_json(publish_message{}, "t"), "{}");
    EXPECT_EQ(subscription_response_message_json(
                  publish_message{nlohmann::json{{"k", "v"}}, std::nullopt}, "a/\"b"),
              R"({"jsonMessage":{"message":{"k":"v"},"context":{"topic":"a/\"b"}}})");
}

}  // namespace
}  // namespace standin::model
