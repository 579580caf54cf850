// SPDX-License-Identifier: Apache-2.0
// aws.greengrass#GetComponentDetails (semantics.md §5.3, §5.4): the name is checked before
// authorization, the component's existence after it.
#include "services/cli/cli_service.hpp"

namespace standin::server::cli_service {

namespace {

struct get_component_details_op {
    using row = model::operation<"GetComponentDetails">;
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
        return row::response{.componentDetails =
                                 details_of(components, *components.find(*r.componentName))};
    }
};

}  // namespace

operation_entry get_component_details(lifecycle::component_supervisor& components) {
    return make_operation<get_component_details_op>(components);
}

}  // namespace standin::server::cli_service
