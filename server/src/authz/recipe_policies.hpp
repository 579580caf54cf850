// SPDX-License-Identifier: Apache-2.0
// Where a component's policies come from: the accessControl key of its configuration.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "authz/authorizer.hpp"

namespace standin::server {

// The accessControl value of a component configuration, found case-insensitively as the nucleus's
// configuration keys are; nullptr when there is none.
const nlohmann::json* find_access_control(const nlohmann::json& configuration);

// Loads `component`'s policies from its configuration's accessControl (replacing earlier ones);
// one line per thing ignored or suspicious is appended to `diagnostics`.
void load_component_policies(authorizer& authz, std::string_view component,
                             const nlohmann::json& configuration, std::vector<std::string>& diagnostics);
// Same, with each diagnostic's place in the accessControl document.
void load_component_policies(authorizer& authz, std::string_view component,
                             const nlohmann::json& configuration,
                             std::vector<policy_diagnostic>& diagnostics);

}  // namespace standin::server
