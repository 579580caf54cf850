// SPDX-License-Identifier: Apache-2.0
// aws.greengrass#PauseComponent (semantics.md §5.3): freezes a RUNNING generic component's
// processes (the nucleus uses the cgroup freezer; standin stops the component's process groups
// with SIGSTOP). A paused component still reports RUNNING.
#include "services/lifecycle/lifecycle_service.hpp"

namespace standin::server::lifecycle_service {

namespace {

struct pause_component_op {
    using row = model::operation<"PauseComponent">;
    using state = lifecycle::component_supervisor;

    static std::optional<model::ipc_error> precheck(lifecycle::component_supervisor&,
                                                    const call_context&, const row::request& r) {
        if (!r.componentName || r.componentName->empty())
            return model::ipc_error::invalid_arguments("Component name is required.");
        return std::nullopt;
    }

    static std::optional<model::ipc_error> validate(lifecycle::component_supervisor& components,
                                                    const call_context&, const row::request& r) {
        if (auto problem = check_pausable(components, r.componentName, "paused")) return problem;
        if (components.find(*r.componentName)->state != lifecycle::component_state::running) {
            return model::ipc_error::invalid_arguments("Component " + *r.componentName +
                                                       " is not running");
        }
        return std::nullopt;
    }

    static answer<row::response> handle(lifecycle::component_supervisor& components, const call_context&,
                                        row::request& r) {
        components.set_paused(*r.componentName, true);
        return row::response{};
    }
};

}  // namespace

operation_entry pause_component(lifecycle::component_supervisor& components) {
    return make_operation<pause_component_op>(components);
}

}  // namespace standin::server::lifecycle_service
