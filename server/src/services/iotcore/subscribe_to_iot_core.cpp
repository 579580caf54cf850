// SPDX-License-Identifier: Apache-2.0
// aws.greengrass#SubscribeToIoTCore in MqttProxyIPCAgent's order: a missing topic is refused
// before authorization, then the QoS is required; the MQTT client's topic checks and the broker's
// SUBACK refusals come back as "Subscribe to topic <t> failed with error <e>". The response waits
// for the broker's SUBACK (after a reconnect when offline), as the nucleus's does; events follow
// it, beginning with the retained messages that match.
#include "services/iotcore/iotcore_service.hpp"

namespace standin::server::iotcore_service {

namespace {

struct subscribe_to_iot_core_op {
    using row = model::operation<"SubscribeToIoTCore">;
    using state = iot_core;

    static std::optional<model::ipc_error> precheck(iot_core&, const call_context&,
                                                    const row::request& r) {
        if (!r.topicName) return model::ipc_error::invalid_arguments("Topic is required");
        return std::nullopt;
    }

    static std::optional<model::ipc_error> validate(const row::request& r) { return qos_error(r.qos); }

    static void handle(iot_core& iot, const call_context& call, row::request& r,
                       responder<row::response> reply) {
        const std::string topic = *r.topicName;
        // Shared: the callback is a std::function, which must be copyable.
        auto shared_reply = std::make_shared<responder<row::response>>(std::move(reply));
        iot.subscribe(
            topic, *r.qos.known(),
            {std::string{call.caller}, call.sink, call.stream_id, call.connection},
            [topic, shared_reply](iot_core::subscribe_outcome outcome) {
                auto& answer_with = *shared_reply;
                if (auto* failure = std::get_if<iot_core::subscribe_failure>(&outcome)) {
                    auto error = model::ipc_error::service("Subscribe to topic " + topic +
                                                           " failed with error " + failure->error);
                    error.context = std::move(failure->context);
                    answer_with(std::move(error));
                    return;
                }
                answer_with({row::response{},
                             std::move(std::get<std::unique_ptr<iot_core::subscription>>(outcome))});
            });
    }
};

}  // namespace

operation_entry subscribe_to_iot_core(iot_core& iot) {
    return make_operation<subscribe_to_iot_core_op>(iot);
}

}  // namespace standin::server::iotcore_service
