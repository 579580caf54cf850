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
};
BOOST_DESCRIBE_STRUCT(subscribe_to_topic_request, (), (topic, receiveMode))

struct subscribe_to_topic_response {
    static constexpr std::string_view shape_id = "aws.greengrass#SubscribeToTopicResponse";
    std::optional<std::string> topicName{};
};
BOOST_DESCRIBE_STRUCT(subscribe_to_topic_response, (), (topicName))

}  // namespace standin::model
