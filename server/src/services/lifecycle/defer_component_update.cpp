// SPDX-License-Identifier: Apache-2.0
// aws.greengrass#DeferComponentUpdate (semantics.md §5.2), in the nucleus's order: the caller must
// listen (SubscribeToComponentUpdates), the deploymentId must be given, and a pre-update event of
// that deployment must await the caller's answer — which, without deployments, none does.
#include "services/lifecycle/lifecycle_service.hpp"

namespace standin::server::lifecycle_service {

namespace {

struct defer_component_update_op {
    using row = model::operation<"DeferComponentUpdate">;
    using state = lifecycle::component_supervisor;

    static answer<row::response> handle(lifecycle::component_supervisor& components,
                                        const call_context& call, row::request& r) {
        if (!components.listens_for_updates(call.caller)) {
            return model::ipc_error::invalid_arguments(
                "Component is not subscribed to component update events");
        }
        if (!r.deploymentId) {
            return model::ipc_error::invalid_arguments(
                "Cannot defer the update, the deployment ID provided was null");
        }
        if (!components.awaits_update_answer(call.caller, *r.deploymentId))
            return model::ipc_error::service(
                "Time limit to respond to PreComponentUpdateEvent exceeded");
        return row::response{};
    }
};

}  // namespace

operation_entry defer_component_update(lifecycle::component_supervisor& components) {
    return make_operation<defer_component_update_op>(components);
}

}  // namespace standin::server::lifecycle_service
