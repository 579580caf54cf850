// SPDX-License-Identifier: Apache-2.0
// Request bodies of PublishToTopic and SubscribeToTopic: parse, deserialize (failures are the
// documented deserialize_error), and re-serialize what a subscriber would receive.
#include <cstdint>
#include <string_view>

#include "standin/model/json_read.hpp"
#include "standin/model/pubsub.hpp"

using namespace standin::model;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
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
