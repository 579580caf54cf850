// SPDX-License-Identifier: Apache-2.0
#include "standin/model/pubsub.hpp"

#include "standin/model/detail/mapping.hpp"

namespace standin::model {

STANDIN_MODEL_INSTANTIATE(message_context);
STANDIN_MODEL_INSTANTIATE(json_message);
STANDIN_MODEL_INSTANTIATE(binary_message);
STANDIN_MODEL_INSTANTIATE(publish_message);
STANDIN_MODEL_INSTANTIATE(subscription_response_message);
STANDIN_MODEL_INSTANTIATE(publish_to_topic_request);
STANDIN_MODEL_INSTANTIATE(publish_to_topic_response);
STANDIN_MODEL_INSTANTIATE(subscribe_to_topic_request);
STANDIN_MODEL_INSTANTIATE(subscribe_to_topic_response);

publish_message::publish_message(std::optional<nlohmann::json> json, std::optional<std::string> binary) {
    if (json) jsonMessage = json_message{std::move(json), std::nullopt};
    if (binary) binaryMessage = binary_message{blob{std::move(*binary)}, std::nullopt};
}

publish_to_topic_request publish_to_topic_request::from_json(const nlohmann::json& body) {
    return decode<publish_to_topic_request>(body).value();
}

subscribe_to_topic_request subscribe_to_topic_request::from_json(const nlohmann::json& body) {
    return decode<subscribe_to_topic_request>(body).value();
}

std::string subscription_response_message_json(const publish_message& message,
                                               const std::string& topic) {
    subscription_response_message event;
    // The earlier model published a JsonMessage without `message` as {} rather than failing (the
    // nucleus fails on it with an NPE, which helps nobody); keep delivering the same bytes.
    if (message.jsonMessage) {
        event.jsonMessage = json_message{message.jsonMessage->message.value_or(nlohmann::json::object()),
                                         message_context{topic}};
    } else if (message.binaryMessage) {
        event.binaryMessage =
            binary_message{message.binaryMessage->message.value_or(blob{}), message_context{topic}};
    }
    return encode(event);
}

}  // namespace standin::model
