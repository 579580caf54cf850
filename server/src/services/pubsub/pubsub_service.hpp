// SPDX-License-Identifier: Apache-2.0
// aws.greengrass.ipc.pubsub: local publish/subscribe (semantics.md §3). Its operations see the
// broker and nothing else.
#pragma once

#include "pubsub/broker.hpp"
#include "rpc/operation.hpp"
#include "rpc/operation_registry.hpp"

namespace standin::server {

namespace pubsub_service {
operation_entry publish_to_topic(broker& pubsub);
operation_entry subscribe_to_topic(broker& pubsub);
}  // namespace pubsub_service

void register_pubsub_service(operation_registry& registry, broker& pubsub);

}  // namespace standin::server
