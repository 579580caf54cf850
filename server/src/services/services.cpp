// SPDX-License-Identifier: Apache-2.0
#include "services/services.hpp"

#include "services/cli/cli_service.hpp"
#include "services/clientdevices/clientdevices_service.hpp"
#include "services/config/config_service.hpp"
#include "services/iotcore/iotcore_service.hpp"
#include "services/lifecycle/lifecycle_service.hpp"
#include "services/metrics/metrics_service.hpp"
#include "services/pubsub/pubsub_service.hpp"
#include "services/secrets/secrets_service.hpp"
#include "services/shadow/shadow_service.hpp"
#include "services/tokens/tokens_service.hpp"

namespace standin::server {

void register_services(operation_registry& registry, service_states& states) {
    register_pubsub_service(registry, states.pubsub);
    register_iotcore_service(registry, states.iot);
    register_secrets_service(registry, states.secrets);
    register_shadow_service(registry, states.shadows);
    register_config_service(registry, states.configuration);
    register_lifecycle_service(registry, states.components);
    register_cli_service(registry, states.components, states.deployments);
    registry.add(cli_service::create_debug_password(states.debug_password));
    register_clientdevices_service(registry, states.client_devices);
    register_metrics_service(registry, states.metrics);
    register_tokens_service(registry, states.tokens);
}

}  // namespace standin::server
