// SPDX-License-Identifier: Apache-2.0
// One MQTT 5 PUBLISH as it travels between components and IoT Core: what PublishToIoTCore sends
// and what SubscribeToIoTCore subscribers receive as an IoTCoreMessage.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "standin/model/mqttproxy.hpp"

namespace standin::server::iotcore {

struct mqtt_message {
    std::string topic;
    std::string payload;  // bytes
    model::qos qos = model::qos::at_least_once;
    bool retain = false;
    std::vector<std::pair<std::string, std::string>> user_properties;
    std::optional<std::int64_t> message_expiry_interval_seconds;  // as the component sent it
    std::optional<std::string> correlation_data;                  // bytes
    std::optional<std::string> response_topic;
    model::payload_format payload_format = model::payload_format::bytes;
    std::optional<std::string> content_type;
};

// The IoTCoreMessage event for `message`, in wire form (JSON text), as the nucleus forwards what
// it receives: payloadFormat and retain always present, the other MQTT 5 fields when set.
std::string iot_core_message_json(const mqtt_message& message);

}  // namespace standin::server::iotcore
