// SPDX-License-Identifier: Apache-2.0
// Local publish/subscribe shapes (aws.greengrass#PublishToTopic, #SubscribeToTopic).
#pragma once

#include <optional>
#include <string>

#include <nlohmann/json.hpp>

namespace standin::model {

// The published payload: exactly what a subscriber will receive, JSON or bytes.
struct publish_message {
    std::optional<nlohmann::json> jsonMessage;  // JsonMessage.message (an object)
    std::optional<std::string> binaryMessage;   // BinaryMessage.message (raw bytes)
};

struct publish_to_topic_request {
    std::optional<std::string> topic;
    std::optional<publish_message> publishMessage;

    // Throws deserialize_error. The publisher's `context` members are read and dropped, as the
    // nucleus replaces them with the published topic.
    static publish_to_topic_request from_json(const nlohmann::json& body);
};

enum class receive_mode { receive_all_messages, receive_messages_from_others };

struct subscribe_to_topic_request {
    std::optional<std::string> topic;
    // nullopt when absent or not a known value (the Java model maps unknown enum values to null).
    std::optional<receive_mode> receiveMode;

    static subscribe_to_topic_request from_json(const nlohmann::json& body);
};

// SubscriptionResponseMessage for one delivery of `message` published on `topic`.
std::string subscription_response_message_json(const publish_message& message, const std::string& topic);

}  // namespace standin::model
