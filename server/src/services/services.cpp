// SPDX-License-Identifier: Apache-2.0
#include "services/services.hpp"

#include "services/config/config_service.hpp"
#include "services/pubsub/pubsub_service.hpp"
#include "services/secrets/secrets_service.hpp"
#include "services/shadow/shadow_service.hpp"

namespace standin::server {

void register_services(operation_registry& registry, service_states& states) {
    register_pubsub_service(registry, states.pubsub);
    register_secrets_service(registry, states.secrets);
    register_shadow_service(registry, states.shadows);
    register_config_service(registry, states.configuration);
}

}  // namespace standin::server
