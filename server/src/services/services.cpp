// SPDX-License-Identifier: Apache-2.0
#include "services/services.hpp"

#include "services/pubsub/pubsub_service.hpp"

namespace standin::server {

void register_services(operation_registry& registry, service_states& states) {
    register_pubsub_service(registry, states.pubsub);
}

}  // namespace standin::server
