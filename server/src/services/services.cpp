// SPDX-License-Identifier: Apache-2.0
#include "services/services.hpp"

namespace standin::server {

void register_services(operation_registry& registry) {
    register_pubsub_service(registry);
}

}  // namespace standin::server
