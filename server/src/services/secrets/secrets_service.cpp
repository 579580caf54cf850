// SPDX-License-Identifier: Apache-2.0
#include "services/secrets/secrets_service.hpp"

namespace standin::server {

void register_secrets_service(operation_registry& registry, secret_store& secrets) {
    registry.add(secrets_service::get_secret_value(secrets));
}

}  // namespace standin::server
