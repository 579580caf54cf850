// SPDX-License-Identifier: Apache-2.0
#include "services/tokens/tokens_service.hpp"

namespace standin::server {

void register_tokens_service(operation_registry& registry, authentication_tokens& tokens) {
    registry.add(tokens_service::validate_authorization_token(tokens));
}

}  // namespace standin::server
