// SPDX-License-Identifier: Apache-2.0
// aws.greengrass#RestartComponent (semantics.md §5.3): asks for a restart and answers at once;
// restartStatus FAILED when there is nothing to restart (a component never launched). The
// restart itself goes on after the answer (stop, shutdown, start again).
#include "services/cli/cli_service.hpp"

namespace standin::server::cli_service {

namespace {

struct restart_component_op {
    using row = model::operation<"RestartComponent">;
    using state = lifecycle::component_supervisor;

    static std::optional<model::ipc_error> precheck(lifecycle::component_supervisor&,
                                                    const call_context&, const row::request& r) {
        return require_component_name(r.componentName);
    }

    static std::optional<model::ipc_error> validate(lifecycle::component_supervisor& components,
                                                    const call_context&, const row::request& r) {
        return require_known(components, *r.componentName);
    }

    static answer<row::response> handle(lifecycle::component_supervisor& components, const call_context&,
                                        row::request& r) {
        const bool requested = components.restart(*r.componentName);
        return row::response{.restartStatus = requested ? model::request_status::succeeded
                                                        : model::request_status::failed};
    }
};

}  // namespace

operation_entry restart_component(lifecycle::component_supervisor& components) {
    return make_operation<restart_component_op>(components);
}

}  // namespace standin::server::cli_service
