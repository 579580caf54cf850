// SPDX-License-Identifier: Apache-2.0
// The nucleus's configuration store service (semantics.md §4): GetConfiguration,
// UpdateConfiguration, SubscribeToConfigurationUpdate, SubscribeToValidateConfigurationUpdates,
// SendConfigurationValidityReport. None has a policy check. Its operations see this state alone.
#pragma once

#include "config/config_store.hpp"
#include "config/config_validation.hpp"
#include "rpc/operation.hpp"
#include "rpc/operation_registry.hpp"

namespace standin::server {

struct configuration_state {
    config_store store;
    config_validation validation;
};

namespace config_service {
inline constexpr const char* key_not_found = "Key not found";

// The component a read or a watch is about: the one named, else the caller.
inline std::string target_component(const std::optional<std::string>& named, const call_context& call) {
    return named ? *named : std::string{call.caller};
}

operation_entry get_configuration(configuration_state& state);
operation_entry update_configuration(configuration_state& state);
operation_entry subscribe_to_configuration_update(configuration_state& state);
operation_entry subscribe_to_validate_configuration_updates(configuration_state& state);
operation_entry send_configuration_validity_report(configuration_state& state);
}  // namespace config_service

void register_config_service(operation_registry& registry, configuration_state& state);

}  // namespace standin::server
