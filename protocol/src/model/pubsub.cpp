// SPDX-License-Identifier: Apache-2.0
#include "standin/model/pubsub.hpp"

#include "standin/model/base64.hpp"
#include "standin/model/json_read.hpp"

namespace standin::model {

publish_to_topic_request publish_to_topic_request::from_json(const nlohmann::json& body) {
    publish_to_topic_request request;
    request.topic = read_string(body, "topic");
    if (const auto* message = read_structure(body, "publishMessage")) {
        check_union(*message, "PublishMessage", {"jsonMessage", "binaryMessage"});
        publish_message published;
        if (const auto* json = read_structure(*message, "jsonMessage")) {
            read_structure(*json, "context");
            // A JsonMessage without a message publishes an empty object rather than failing: the
            // nucleus would fail on it with an NPE, which helps nobody.
            published.jsonMessage = read_document(*json, "message").value_or(nlohmann::json::object());
        }
        if (const auto* binary = read_structure(*message, "binaryMessage")) {
            read_structure(*binary, "context");
            published.binaryMessage = read_blob(*binary, "message").value_or(std::string{});
        }
        request.publishMessage = std::move(published);
    }
    return request;
}

subscribe_to_topic_request subscribe_to_topic_request::from_json(const nlohmann::json& body) {
    subscribe_to_topic_request request;
    request.topic = read_string(body, "topic");
    if (const auto mode = read_string(body, "receiveMode")) {
        if (*mode == "RECEIVE_ALL_MESSAGES") {
            request.receiveMode = receive_mode::receive_all_messages;
        } else if (*mode == "RECEIVE_MESSAGES_FROM_OTHERS") {
            request.receiveMode = receive_mode::receive_messages_from_others;
        }
    }
    return request;
}

std::string subscription_response_message_json(const publish_message& message,
                                               const std::string& topic) {
    nlohmann::ordered_json event = nlohmann::ordered_json::object();
    const nlohmann::ordered_json context = {{"topic", topic}};
    if (message.jsonMessage) {
        event["jsonMessage"] = {{"message", *message.jsonMessage}, {"context", context}};
    } else if (message.binaryMessage) {
        event["binaryMessage"] = {{"message", base64_encode(*message.binaryMessage)},
                                  {"context", context}};
    }
    return event.dump();
}

}  // namespace standin::model
