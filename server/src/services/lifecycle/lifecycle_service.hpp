// SPDX-License-Identifier: Apache-2.0
// The nucleus's lifecycle service (semantics.md §5.1-§5.3): UpdateState (no policy: a component
// reports its own state), SubscribeToComponentUpdates and DeferComponentUpdate (no policy either),
// and aws.greengrass.ipc.lifecycle's PauseComponent and ResumeComponent.
// Its operations see the component supervisor alone.
#pragma once

#include "lifecycle/supervisor.hpp"
#include "rpc/operation.hpp"
#include "rpc/operation_registry.hpp"

namespace standin::server {

namespace lifecycle_service {
operation_entry update_state(lifecycle::component_supervisor& components);
operation_entry pause_component(lifecycle::component_supervisor& components);
operation_entry resume_component(lifecycle::component_supervisor& components);
operation_entry subscribe_to_component_updates(lifecycle::component_supervisor& components);
operation_entry defer_component_update(lifecycle::component_supervisor& components);

// Pause and resume, in the nucleus's order (LifecycleIPCEventStreamAgent): the name is required
// before authorization; after it, the component must exist and be a generic one.
std::optional<model::ipc_error> check_pausable(const lifecycle::component_supervisor& components,
                                               const std::optional<std::string>& name,
                                               std::string_view verb);
}  // namespace lifecycle_service

void register_lifecycle_service(operation_registry& registry,
                                lifecycle::component_supervisor& components);

}  // namespace standin::server
