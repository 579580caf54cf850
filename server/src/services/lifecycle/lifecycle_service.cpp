// SPDX-License-Identifier: Apache-2.0
#include "services/lifecycle/lifecycle_service.hpp"

namespace standin::server {

namespace lifecycle_service {

std::optional<model::ipc_error> check_pausable(const lifecycle::component_supervisor& components,
                                               const std::optional<std::string>& name,
                                               std::string_view verb) {
    const auto component = components.find(name.value_or(""));
    // The nucleus's ResourceNotFoundError here carries no message.
    if (!component) return model::ipc_error::resource_not_found("");
    if (component->component_type != "aws.greengrass.generic") {
        return model::ipc_error::invalid_arguments("Only generic components can be " +
                                                   std::string{verb} + ".");
    }
    return std::nullopt;
}

}  // namespace lifecycle_service

void register_lifecycle_service(operation_registry& registry,
                                lifecycle::component_supervisor& components) {
    registry.add(lifecycle_service::update_state(components));
    registry.add(lifecycle_service::pause_component(components));
    registry.add(lifecycle_service::resume_component(components));
    registry.add(lifecycle_service::subscribe_to_component_updates(components));
    registry.add(lifecycle_service::defer_component_update(components));
}

}  // namespace standin::server
