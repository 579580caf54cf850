// SPDX-License-Identifier: Apache-2.0
#include "services/config/config_service.hpp"

namespace standin::server {

void register_config_service(operation_registry& registry, configuration_state& state) {
    registry.add(config_service::get_configuration(state));
    registry.add(config_service::update_configuration(state));
    registry.add(config_service::subscribe_to_configuration_update(state));
    registry.add(config_service::subscribe_to_validate_configuration_updates(state));
    registry.add(config_service::send_configuration_validity_report(state));
}

}  // namespace standin::server
