// SPDX-License-Identifier: Apache-2.0
// Local publish/subscribe (aws.greengrass.ipc.pubsub): PublishToTopic, SubscribeToTopic, whose
// stream events are SubscriptionResponseMessage.
#pragma once

#include <array>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include <nlohmann/json.hpp>

#include "standin/model/codec.hpp"
#include "standin/model/types.hpp"

namespace standin::model {

enum class receive_mode { receive_all_messages, receive_messages_from_others };
BOOST_DESCRIBE_ENUM(receive_mode, receive_all_messages, receive_messages_from_others)
template <>
struct enum_traits<receive_mode> {
    static constexpr std::string_view shape_id = "aws.greengrass#ReceiveMode";
    static constexpr std::array<std::pair<receive_mode, std::string_view>, 2> values{{
        {receive_mode::receive_all_messages, "RECEIVE_ALL_MESSAGES"},
        {receive_mode::receive_messages_from_others, "RECEIVE_MESSAGES_FROM_OTHERS"},
    }};
};

struct message_context {
    static constexpr std::string_view shape_id = "aws.greengrass#MessageContext";
    std::optional<std::string> topic{};
};
BOOST_DESCRIBE_STRUCT(message_context, (), (topic))

struct json_message {
    static constexpr std::string_view shape_id = "aws.greengrass#JsonMessage";
    std::optional<nlohmann::json> message{};
    std::optional<message_context> context{};
};
BOOST_DESCRIBE_STRUCT(json_message, (), (message, context))

struct binary_message {
    static constexpr std::string_view shape_id = "aws.greengrass#BinaryMessage";
    std::optional<blob> message{};
    std::optional<message_context> context{};
};
BOOST_DESCRIBE_STRUCT(binary_message, (), (message, context))

// Union.
struct publish_message {
    static constexpr std::string_view shape_id = "aws.greengrass#PublishMessage";
    static constexpr bool is_union = true;
    std::optional<json_message> jsonMessage{};
    std::optional<binary_message> binaryMessage{};

    publish_message() = default;
    // Transitional, for code written against the earlier model, where the members were the message
    // itself (a document or raw bytes); goes once the server uses the shapes above.
    publish_message(std::optional<nlohmann::json> json, std::optional<std::string> binary);
};
BOOST_DESCRIBE_STRUCT(publish_message, (), (jsonMessage, binaryMessage))

// Union; the SubscribeToTopic stream event.
struct subscription_response_message {
    static constexpr std::string_view shape_id = "aws.greengrass#SubscriptionResponseMessage";
    static constexpr bool is_union = true;
    std::optional<json_message> jsonMessage{};
    std::optional<binary_message> binaryMessage{};
};
BOOST_DESCRIBE_STRUCT(subscription_response_message, (), (jsonMessage, binaryMessage))

struct publish_to_topic_request {
    static constexpr std::string_view shape_id = "aws.greengrass#PublishToTopicRequest";
    std::optional<std::string> topic{};
    std::optional<publish_message> publishMessage{};

    // Transitional (the server's make_operation): decode<publish_to_topic_request>(body).value(),
    // which throws deserialize_error.
    static publish_to_topic_request from_json(const nlohmann::json& body);
};
BOOST_DESCRIBE_STRUCT(publish_to_topic_request, (), (topic, publishMessage))

struct publish_to_topic_response {
    static constexpr std::string_view shape_id = "aws.greengrass#PublishToTopicResponse";
};
BOOST_DESCRIBE_STRUCT(publish_to_topic_response, (), ())

struct subscribe_to_topic_request {
    static constexpr std::string_view shape_id = "aws.greengrass#SubscribeToTopicRequest";
    std::optional<std::string> topic{};
    wire_enum<receive_mode> receiveMode{};

    // Transitional, as publish_to_topic_request::from_json.
    static subscribe_to_topic_request from_json(const nlohmann::json& body);
};
BOOST_DESCRIBE_STRUCT(subscribe_to_topic_request, (), (topic, receiveMode))

struct subscribe_to_topic_response {
    static constexpr std::string_view shape_id = "aws.greengrass#SubscribeToTopicResponse";
    std::optional<std::string> topicName{};
};
BOOST_DESCRIBE_STRUCT(subscribe_to_topic_response, (), (topicName))

// Transitional (the broker): the SubscriptionResponseMessage delivering `message` published on
// `topic`, encoded. The publisher's context is replaced by the published topic, and a JSON or binary
// message without its `message` member is delivered as {} or empty bytes. Byte-identical to the
// earlier model's output: {"jsonMessage":{"message":{"a":1},"context":{"topic":"t"}}}, or {} for an
// empty publish_message.
std::string subscription_response_message_json(const publish_message& message, const std::string& topic);

}  // namespace standin::model
