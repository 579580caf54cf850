// SPDX-License-Identifier: Apache-2.0
#include "services/cli/cli_service.hpp"

namespace standin::server {

namespace cli_service {

namespace {

model::lifecycle_state wire_state(lifecycle::component_state state) {
    using lifecycle::component_state;
    switch (state) {
        case component_state::new_:
            return model::lifecycle_state::new_;
        case component_state::installed:
            return model::lifecycle_state::installed;
        case component_state::starting:
            return model::lifecycle_state::starting;
        case component_state::running:
            return model::lifecycle_state::running;
        case component_state::stopping:
            return model::lifecycle_state::stopping;
        case component_state::finished:
            return model::lifecycle_state::finished;
        case component_state::errored:
            return model::lifecycle_state::errored;
        case component_state::broken:
            return model::lifecycle_state::broken;
    }
    return model::lifecycle_state::new_;
}

}  // namespace

std::optional<model::ipc_error> require_component_name(const std::optional<std::string>& name) {
    if (!name || name->empty())
        return model::ipc_error::invalid_arguments("Component name cannot be empty");
    return std::nullopt;
}

std::optional<model::ipc_error> require_known(const lifecycle::component_supervisor& components,
                                              const std::string& name) {
    if (components.find(name)) return std::nullopt;
    return model::ipc_error::resource_not_found("Component with name " + name +
                                                " not found in Greengrass");
}

model::component_details details_of(const lifecycle::component_supervisor& components,
                                    const lifecycle::component_view& component) {
    model::component_details out;
    out.componentName = component.name;
    if (!component.version.empty()) out.version = component.version;
    out.state = wire_state(component.state);
    if (auto configuration = components.configuration_of(component.name))
        out.configuration = std::move(*configuration);
    return out;
}

}  // namespace cli_service

void register_cli_service(operation_registry& registry, lifecycle::component_supervisor& components,
                          local_deployments& deployments) {
    registry.add(cli_service::list_components(components));
    registry.add(cli_service::get_component_details(components));
    registry.add(cli_service::restart_component(components));
    registry.add(cli_service::stop_component(components));
    registry.add(cli_service::create_local_deployment(deployments));
    registry.add(cli_service::get_local_deployment_status(deployments));
    registry.add(cli_service::list_local_deployments(deployments));
    registry.add(cli_service::cancel_local_deployment(deployments));
}

}  // namespace standin::server
