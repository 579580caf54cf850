// SPDX-License-Identifier: Apache-2.0
// Every shape of the pubsub service (model/pubsub.hpp): PublishToTopic, SubscribeToTopic; requests,
// responses and events alike, decoded from one payload and re-encoded (model_fuzz.hpp).
#include <cstddef>
#include <cstdint>

#include "model_fuzz.hpp"
#include "standin/model/pubsub.hpp"

using namespace standin::model;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    standin::fuzz::fuzz_model<message_context, json_message, binary_message, publish_message,
                              subscription_response_message, publish_to_topic_request,
                              publish_to_topic_response, subscribe_to_topic_request,
                              subscribe_to_topic_response>(data, size);
    return 0;
}
