// SPDX-License-Identifier: Apache-2.0
#include "lifecycle/configuration_variables.hpp"

#include "lifecycle/recipe_variables.hpp"

namespace standin::server {

namespace {

void interpolate_strings(nlohmann::json& node, const lifecycle::variable_context& context) {
    if (node.is_string()) {
        node = lifecycle::interpolate(node.get_ref<const std::string&>(), context);
    } else if (node.is_object() || node.is_array()) {
        for (auto& child : node)
            interpolate_strings(child, context);
    }
}

}  // namespace

nlohmann::json interpolate_configuration(const nlohmann::json& configuration, const recipe& component,
                                         const device_layout& device,
                                         const std::vector<recipe>& loaded) {
    lifecycle::variable_context context;
    context.component = component.component_name;
    context.root = device.root;
    context.thing_name = device.thing_name;
    if (component.dependencies.is_object()) {
        for (const auto& [name, dependency] : component.dependencies.items())
            context.direct_dependencies.insert(name);
    }
    context.paths_of = [&](std::string_view name) {
        for (const auto& r : loaded) {
            if (r.component_name == name)
                return lifecycle::paths_in(device.root, device.artifacts_dir, name, r.component_version,
                                           r.file);
        }
        return lifecycle::paths_in(device.root, device.artifacts_dir, name, {}, {});
    };
    // No configuration_of: {configuration:...} is never replaced in configuration ([N]
    // KernelConfigResolver interpolates only systemParameters there).
    nlohmann::json out = configuration;
    interpolate_strings(out, context);
    return out;
}

}  // namespace standin::server
