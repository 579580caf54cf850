// SPDX-License-Identifier: Apache-2.0
#include "services/iotcore/iotcore_service.hpp"

#include <string>

namespace standin::server {

namespace iotcore_service {

std::optional<model::ipc_error> qos_error(const model::wire_enum<model::qos>& qos) {
    if (!qos.present()) return model::ipc_error::invalid_arguments("QoS is required");
    if (!qos.known()) {
        return model::ipc_error::invalid_arguments("Invalid QoS value: " + std::string{*qos.text()});
    }
    return std::nullopt;
}

}  // namespace iotcore_service

void register_iotcore_service(operation_registry& registry, iot_core& iot) {
    registry.add(iotcore_service::publish_to_iot_core(iot));
    registry.add(iotcore_service::subscribe_to_iot_core(iot));
}

}  // namespace standin::server
