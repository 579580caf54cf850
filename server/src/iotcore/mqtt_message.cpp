// SPDX-License-Identifier: Apache-2.0
#include "iotcore/mqtt_message.hpp"

#include "standin/model/codec.hpp"

namespace standin::server::iotcore {

std::string iot_core_message_json(const mqtt_message& message) {
    model::mqtt_message out{
        .topicName = message.topic,
        .payload = model::blob{message.payload},
        .retain = message.retain,
        .messageExpiryIntervalSeconds = message.message_expiry_interval_seconds,
        .responseTopic = message.response_topic,
        .payloadFormat = message.payload_format,
        .contentType = message.content_type,
    };
    // An empty list does not survive MQTT: the receiver sees no user properties at all.
    if (!message.user_properties.empty()) {
        auto& properties = out.userProperties.emplace();
        for (const auto& [key, value] : message.user_properties) {
            properties.push_back(model::user_property{key, value});
        }
    }
    if (message.correlation_data) out.correlationData = model::blob{*message.correlation_data};
    return model::encode(model::iot_core_message{std::move(out)});
}

}  // namespace standin::server::iotcore
