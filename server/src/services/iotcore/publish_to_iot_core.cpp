// SPDX-License-Identifier: Apache-2.0
// aws.greengrass#PublishToIoTCore in MqttProxyIPCAgent's order: a missing topic is refused before
// authorization (an empty one fails authorization: "Not Authorized"), then the payload and the
// QoS are required, then the MQTT client's own checks (size, IoT Core topic rules, offline) come
// back as "Publish to topic <t> failed: <reason>". On the loopback the message has reached every
// matching subscriber before the response is queued.
#include "services/iotcore/iotcore_service.hpp"

namespace standin::server::iotcore_service {

namespace {

struct publish_to_iot_core_op {
    using row = model::operation<"PublishToIoTCore">;
    using state = iot_core;

    static std::optional<model::ipc_error> precheck(iot_core&, const call_context&,
                                                    const row::request& r) {
        if (!r.topicName) return model::ipc_error::invalid_arguments("Topic is required");
        return std::nullopt;
    }

    static std::optional<model::ipc_error> validate(const row::request& r) {
        if (!r.payload) return model::ipc_error::invalid_arguments("Payload is required");
        return qos_error(r.qos);
    }

    static answer<row::response> handle(iot_core& iot, const call_context&, row::request& r) {
        iotcore::mqtt_message message{
            .topic = *r.topicName,
            .payload = std::move(r.payload->bytes),
            .qos = *r.qos.known(),
            .retain = r.retain.value_or(false),
            .user_properties = {},
            .message_expiry_interval_seconds = r.messageExpiryIntervalSeconds,
            .correlation_data = std::nullopt,
            .response_topic = std::move(r.responseTopic),
            // An absent or unknown payloadFormat is sent as bytes, as the nucleus does.
            .payload_format = r.payloadFormat.known().value_or(model::payload_format::bytes),
            .content_type = std::move(r.contentType),
        };
        if (r.correlationData) message.correlation_data = std::move(r.correlationData->bytes);
        if (r.userProperties) {
            for (auto& property : *r.userProperties) {
                message.user_properties.emplace_back(property.key.value_or(""),
                                                     property.value.value_or(""));
            }
        }
        if (auto failed = iot.publish(std::move(message))) {
            return model::ipc_error::service("Publish to topic " + *r.topicName + " failed: " + *failed);
        }
        return row::response{};
    }
};

}  // namespace

operation_entry publish_to_iot_core(iot_core& iot) {
    return make_operation<publish_to_iot_core_op>(iot);
}

}  // namespace standin::server::iotcore_service
