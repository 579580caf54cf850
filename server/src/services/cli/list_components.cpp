// SPDX-License-Identifier: Apache-2.0
// aws.greengrass#ListComponents (semantics.md §5.4): every component's details, authorized on
// the literal "*". The nucleus also lists its built-in services; standin lists the components of
// its recipes.
#include "services/cli/cli_service.hpp"

namespace standin::server::cli_service {

namespace {

struct list_components_op {
    using row = model::operation<"ListComponents">;
    using state = lifecycle::component_supervisor;

    static answer<row::response> handle(lifecycle::component_supervisor& components, const call_context&,
                                        row::request&) {
        std::vector<model::component_details> all;
        for (const auto& component : components.components())
            all.push_back(details_of(components, component));
        return row::response{.components = std::move(all)};
    }
};

}  // namespace

operation_entry list_components(lifecycle::component_supervisor& components) {
    return make_operation<list_components_op>(components);
}

}  // namespace standin::server::cli_service
