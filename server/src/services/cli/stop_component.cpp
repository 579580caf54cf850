// SPDX-License-Identifier: Apache-2.0
// aws.greengrass#StopComponent (semantics.md §5.3): asks for a stop (shutdown runs, processes
// end, FINISHED) and always answers SUCCEEDED at once, as the CLI does.
#include "services/cli/cli_service.hpp"

namespace standin::server::cli_service {

namespace {

struct stop_component_op {
    using row = model::operation<"StopComponent">;
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
        components.stop(*r.componentName);
        return row::response{.stopStatus = model::request_status::succeeded};
    }
};

}  // namespace

operation_entry stop_component(lifecycle::component_supervisor& components) {
    return make_operation<stop_component_op>(components);
}

}  // namespace standin::server::cli_service
