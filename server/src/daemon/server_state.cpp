// SPDX-License-Identifier: Apache-2.0
#include "daemon/server_state.hpp"

#include "services/services.hpp"
#include "standin/protocol/message.hpp"

namespace standin::server {

namespace {

// accessControl sits in the component's configuration, whose keys the nucleus treats
// case-insensitively.
const nlohmann::json* find_access_control(const nlohmann::json& configuration) {
    if (!configuration.is_object()) return nullptr;
    for (const auto& [key, value] : configuration.items()) {
        if (protocol::ascii_iequals(key, "accessControl")) return &value;
    }
    return nullptr;
}

}  // namespace

server_state::server_state(connection_limits limits, device_identity device)
    : limits_(limits), device_(std::move(device)) {
    register_nucleus_services(authz_);
    register_services(operations_);
}

std::vector<std::string> server_state::add_component(recipe source) {
    std::vector<std::string> diagnostics;
    if (const auto* access_control = find_access_control(source.default_configuration)) {
        authz_.load_component(source.component_name, *access_control, diagnostics);
    }
    components_.add(std::move(source));
    return diagnostics;
}

}  // namespace standin::server
