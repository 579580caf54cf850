// SPDX-License-Identifier: Apache-2.0
// aws.greengrass#UpdateState (semantics.md §5.1): the caller reports RUNNING or ERRORED for
// itself. A report the lifecycle does not allow from the current state is ignored (logged) and
// still answered with success, as the nucleus does; an unknown caller is ResourceNotFoundError.
#include "services/lifecycle/lifecycle_service.hpp"

namespace standin::server::lifecycle_service {

namespace {

struct update_state_op {
    using row = model::operation<"UpdateState">;
    using state = lifecycle::component_supervisor;

    static answer<row::response> handle(lifecycle::component_supervisor& components,
                                        const call_context& call, row::request& r) {
        if (!components.find(call.caller)) {
            return model::ipc_error::resource_not_found("Component with given name not found",
                                                        "Component", std::string{call.caller});
        }
        const auto reported = r.state.known();
        // The nucleus dereferences the missing state (State.valueOf(null.toString())): its
        // NullPointerException becomes a ServiceError without a message.
        if (!reported) return model::ipc_error::service("");
        components.report(call.caller, *reported == model::reported_lifecycle_state::running
                                           ? lifecycle::reported_state::running
                                           : lifecycle::reported_state::errored);
        return row::response{};
    }
};

}  // namespace

operation_entry update_state(lifecycle::component_supervisor& components) {
    return make_operation<update_state_op>(components);
}

}  // namespace standin::server::lifecycle_service
