// SPDX-License-Identifier: Apache-2.0
#include "services/pubsub/pubsub_service.hpp"

#include "services/services.hpp"

namespace standin::server {

void register_pubsub_service(operation_registry& registry) {
    registry.add(pubsub_service::publish_to_topic());
    registry.add(pubsub_service::subscribe_to_topic());
}

}  // namespace standin::server
