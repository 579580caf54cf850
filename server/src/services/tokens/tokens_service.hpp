// SPDX-License-Identifier: Apache-2.0
// ValidateAuthorizationToken ([N] AuthorizationIPCAgent): only aws.greengrass.StreamManager may
// call (the operation table's caller rule); a token is valid when it is one of the daemon's IPC
// authentication tokens (the SVCUIDs, built-in components' included), found as the nucleus finds
// it in its case-insensitive configuration tree.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "rpc/operation.hpp"
#include "rpc/operation_registry.hpp"

namespace standin::server {

struct authentication_tokens {
    // The component `token` authenticates, or nullopt. Set at start.
    std::function<std::optional<std::string>(std::string_view token)> component_of;
};

namespace tokens_service {
operation_entry validate_authorization_token(authentication_tokens& tokens);
}  // namespace tokens_service

void register_tokens_service(operation_registry& registry, authentication_tokens& tokens);

}  // namespace standin::server
