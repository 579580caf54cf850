// SPDX-License-Identifier: Apache-2.0
#include "services/pubsub/pubsub_service.hpp"

namespace standin::server {

void register_pubsub_service(operation_registry& registry, broker& pubsub) {
    registry.add(pubsub_service::publish_to_topic(pubsub));
    registry.add(pubsub_service::subscribe_to_topic(pubsub));
}

}  // namespace standin::server
