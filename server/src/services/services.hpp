// SPDX-License-Identifier: Apache-2.0
// The IPC services standin serves. Each service registers its operations; each operation lives in
// its own file under services/<service>/.
#pragma once

#include "rpc/operation_registry.hpp"

namespace standin::server {

// Registers every served operation.
void register_services(operation_registry& registry);

void register_pubsub_service(operation_registry& registry);

}  // namespace standin::server
