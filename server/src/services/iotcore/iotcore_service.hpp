// SPDX-License-Identifier: Apache-2.0
// aws.greengrass.ipc.mqttproxy: AWS IoT Core through the nucleus's MQTT client (PublishToIoTCore,
// SubscribeToIoTCore), answered as MqttProxyIPCAgent answers. Its operations see the IoT Core
// state and nothing else.
#pragma once

#include <optional>

#include "iotcore/iot_core.hpp"
#include "rpc/operation.hpp"
#include "rpc/operation_registry.hpp"

namespace standin::server {

namespace iotcore_service {

operation_entry publish_to_iot_core(iot_core& iot);
operation_entry subscribe_to_iot_core(iot_core& iot);

// MqttProxyIPCAgent.validateQoS: "QoS is required" when absent, "Invalid QoS value: <q>" when
// not "0" or "1".
std::optional<model::ipc_error> qos_error(const model::wire_enum<model::qos>& qos);

}  // namespace iotcore_service

void register_iotcore_service(operation_registry& registry, iot_core& iot);

}  // namespace standin::server
