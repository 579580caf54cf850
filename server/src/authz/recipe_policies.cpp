// SPDX-License-Identifier: Apache-2.0
#include "authz/recipe_policies.hpp"

#include "standin/protocol/message.hpp"

namespace standin::server {

const nlohmann::json* find_access_control(const nlohmann::json& configuration) {
    if (!configuration.is_object()) return nullptr;
    for (const auto& [key, value] : configuration.items()) {
        if (protocol::ascii_iequals(key, "accessControl")) return &value;
    }
    return nullptr;
}

namespace {

template <class Diagnostic>
void load_policies(authorizer& authz, std::string_view component, const nlohmann::json& configuration,
                   std::vector<Diagnostic>& diagnostics) {
    if (const auto* access_control = find_access_control(configuration)) {
        authz.load_component(component, *access_control, diagnostics);
    } else {
        authz.remove_component(component);
    }
}

}  // namespace

void load_component_policies(authorizer& authz, std::string_view component,
                             const nlohmann::json& configuration,
                             std::vector<std::string>& diagnostics) {
    load_policies(authz, component, configuration, diagnostics);
}

void load_component_policies(authorizer& authz, std::string_view component,
                             const nlohmann::json& configuration,
                             std::vector<policy_diagnostic>& diagnostics) {
    load_policies(authz, component, configuration, diagnostics);
}

}  // namespace standin::server
