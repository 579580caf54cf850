// SPDX-License-Identifier: Apache-2.0
// Every shape of the pubsub service (model/pubsub.hpp): PublishToTopic, SubscribeToTopic; requests,
// responses and events alike, decoded from one payload and re-encoded (model_fuzz.hpp). Also the
// server's current (transitional) path: from_json, then the event a subscriber would receive.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "model_fuzz.hpp"
#include "standin/model/json_read.hpp"
#include "standin/model/pubsub.hpp"

using namespace standin::model;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    standin::fuzz::fuzz_model<message_context, json_message, binary_message, publish_message,
                              subscription_response_message, publish_to_topic_request,
                              publish_to_topic_response, subscribe_to_topic_request,
                              subscribe_to_topic_response>(data, size);
    const std::string_view payload{reinterpret_cast<const char*>(data), size};
    try {
        const auto body = parse_request_payload(payload);
        (void)subscribe_to_topic_request::from_json(body);
        const auto request = publish_to_topic_request::from_json(body);
        if (request.publishMessage && request.topic) {
            (void)subscription_response_message_json(*request.publishMessage, *request.topic);
        }
    } catch (const deserialize_error&) {
    }
    return 0;
}
