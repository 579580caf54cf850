// SPDX-License-Identifier: Apache-2.0
// AWS IoT Core MQTT through the nucleus (aws.greengrass.ipc.mqttproxy): PublishToIoTCore,
// SubscribeToIoTCore, whose stream events are IoTCoreMessage.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "standin/model/codec.hpp"
#include "standin/model/types.hpp"

namespace standin::model {

enum class qos { at_most_once, at_least_once };
BOOST_DESCRIBE_ENUM(qos, at_most_once, at_least_once)
template <>
struct enum_traits<qos> {
    static constexpr std::string_view shape_id = "aws.greengrass#QOS";
    static constexpr std::array<std::pair<qos, std::string_view>, 2> values{{
        {qos::at_most_once, "0"},
        {qos::at_least_once, "1"},
    }};
};

enum class payload_format { bytes, utf8 };
BOOST_DESCRIBE_ENUM(payload_format, bytes, utf8)
template <>
struct enum_traits<payload_format> {
    static constexpr std::string_view shape_id = "aws.greengrass#PayloadFormat";
    static constexpr std::array<std::pair<payload_format, std::string_view>, 2> values{{
        {payload_format::bytes, "0"},
        {payload_format::utf8, "1"},
    }};
};

struct user_property {
    static constexpr std::string_view shape_id = "aws.greengrass#UserProperty";
    std::optional<std::string> key{};
    std::optional<std::string> value{};
};
BOOST_DESCRIBE_STRUCT(user_property, (), (key, value))

struct mqtt_message {
    static constexpr std::string_view shape_id = "aws.greengrass#MQTTMessage";
    std::optional<std::string> topicName{};
    std::optional<blob> payload{};
    std::optional<bool> retain{};
    std::optional<std::vector<user_property>> userProperties{};
    std::optional<std::int64_t> messageExpiryIntervalSeconds{};
    std::optional<blob> correlationData{};
    std::optional<std::string> responseTopic{};
    wire_enum<payload_format> payloadFormat{};
    std::optional<std::string> contentType{};
};
BOOST_DESCRIBE_STRUCT(mqtt_message, (),
                      (topicName, payload, retain, userProperties, messageExpiryIntervalSeconds,
                       correlationData, responseTopic, payloadFormat, contentType))

// Union; the SubscribeToIoTCore stream event.
struct iot_core_message {
    static constexpr std::string_view shape_id = "aws.greengrass#IoTCoreMessage";
    static constexpr bool is_union = true;
    std::optional<mqtt_message> message{};
};
BOOST_DESCRIBE_STRUCT(iot_core_message, (), (message))

struct publish_to_iot_core_request {
    static constexpr std::string_view shape_id = "aws.greengrass#PublishToIoTCoreRequest";
    std::optional<std::string> topicName{};
    wire_enum<model::qos> qos{};
    std::optional<blob> payload{};
    std::optional<bool> retain{};
    std::optional<std::vector<user_property>> userProperties{};
    std::optional<std::int64_t> messageExpiryIntervalSeconds{};
    std::optional<blob> correlationData{};
    std::optional<std::string> responseTopic{};
    wire_enum<payload_format> payloadFormat{};
    std::optional<std::string> contentType{};
};
BOOST_DESCRIBE_STRUCT(publish_to_iot_core_request, (),
                      (topicName, qos, payload, retain, userProperties, messageExpiryIntervalSeconds,
                       correlationData, responseTopic, payloadFormat, contentType))

struct publish_to_iot_core_response {
    static constexpr std::string_view shape_id = "aws.greengrass#PublishToIoTCoreResponse";
};
BOOST_DESCRIBE_STRUCT(publish_to_iot_core_response, (), ())

struct subscribe_to_iot_core_request {
    static constexpr std::string_view shape_id = "aws.greengrass#SubscribeToIoTCoreRequest";
    std::optional<std::string> topicName{};
    wire_enum<model::qos> qos{};
};
BOOST_DESCRIBE_STRUCT(subscribe_to_iot_core_request, (), (topicName, qos))

struct subscribe_to_iot_core_response {
    static constexpr std::string_view shape_id = "aws.greengrass#SubscribeToIoTCoreResponse";
};
BOOST_DESCRIBE_STRUCT(subscribe_to_iot_core_response, (), ())

}  // namespace standin::model
