// SPDX-License-Identifier: Apache-2.0
// The IPC services standin serves. Each service owns its state and registers its operations, each
// in its own file under services/<service>/, bound to that state alone: an operation sees its own
// service's state and nothing else.
#pragma once

#include "iotcore/iot_core.hpp"
#include "lifecycle/supervisor.hpp"
#include "pubsub/broker.hpp"
#include "rpc/operation_registry.hpp"
#include "secrets/secret_store.hpp"
#include "services/cli/cli_service.hpp"
#include "services/cli/local_deployments.hpp"
#include "services/clientdevices/clientdevices_service.hpp"
#include "services/config/config_service.hpp"
#include "services/metrics/metrics_service.hpp"
#include "services/shadow/shadow_service.hpp"
#include "services/tokens/tokens_service.hpp"

namespace standin::server {

// The state of every service. Touched only from the I/O thread.
struct service_states {
    broker pubsub;
    iot_core iot;
    secret_store secrets;
    // The shadow manager publishes its shadow topics on local pub/sub, as the real plugin does: the
    // one sanctioned cross-service dependency (pubsub is declared first, so it outlives shadows).
    shadow_manager shadows{pubsub};
    configuration_state configuration;
    // The components and their lifecycles: the lifecycle service's state, and the CLI plugin's
    // (component management reads and drives the same registry, as the CLI uses the kernel's).
    lifecycle::component_supervisor components;
    client_devices_state client_devices;
    metrics_state metrics;
    authentication_tokens tokens;
    debug_passwords debug_password;
    // The CLI plugin's deployment queue: it reaches the components and their configuration only
    // through the host the daemon attaches (deployments/live_host.hpp).
    local_deployments deployments;
};

// Registers every served operation, bound to its service's state (which outlives the registry).
void register_services(operation_registry& registry, service_states& states);

}  // namespace standin::server
