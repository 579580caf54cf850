// SPDX-License-Identifier: Apache-2.0
// aws.greengrass#ResumeComponent (semantics.md §5.3): thaws a paused component's processes
// (SIGCONT to its process groups).
#include "services/lifecycle/lifecycle_service.hpp"

namespace standin::server::lifecycle_service {

namespace {

struct resume_component_op {
    using row = model::operation<"ResumeComponent">;
    using state = lifecycle::component_supervisor;

    static std::optional<model::ipc_error> precheck(lifecycle::component_supervisor&,
                                                    const call_context&, const row::request& r) {
        if (!r.componentName || r.componentName->empty())
            return model::ipc_error::invalid_arguments("Component name is required.");
        return std::nullopt;
    }

    static std::optional<model::ipc_error> validate(lifecycle::component_supervisor& components,
                                                    const call_context&, const row::request& r) {
        if (auto problem = check_pausable(components, r.componentName, "resumed")) return problem;
        if (!components.find(*r.componentName)->paused) {
            return model::ipc_error::invalid_arguments("Component " + *r.componentName +
                                                       " is not paused");
        }
        return std::nullopt;
    }

    static answer<row::response> handle(lifecycle::component_supervisor& components, const call_context&,
                                        row::request& r) {
        components.set_paused(*r.componentName, false);
        return row::response{};
    }
};

}  // namespace

operation_entry resume_component(lifecycle::component_supervisor& components) {
    return make_operation<resume_component_op>(components);
}

}  // namespace standin::server::lifecycle_service
