// SPDX-License-Identifier: Apache-2.0
// aws.greengrass#GetConfiguration (semantics.md §4.2): any component's configuration (the caller's
// by default), whole or at keyPath. A container answers as its object; a leaf as {name: value},
// named as the tree spells it. An unknown component or key: ResourceNotFoundError "Key not found".
#include "services/config/config_service.hpp"

namespace standin::server::config_service {

namespace {

struct get_configuration_op {
    using row = model::operation<"GetConfiguration">;
    using state = configuration_state;

    static answer<row::response> handle(configuration_state& s, const call_context& call,
                                        row::request& r) {
        std::string component = target_component(r.componentName, call);
        const config_tree* tree = s.store.find(component);
        if (tree == nullptr) return model::ipc_error::resource_not_found(key_not_found);
        const config_node* node = r.keyPath ? tree->find(*r.keyPath) : &tree->root();
        if (node == nullptr) return model::ipc_error::resource_not_found(key_not_found);
        row::response out;
        out.componentName = std::move(component);
        if (node->is_leaf()) {
            out.value = nlohmann::json::object();
            (*out.value)[node->name()] = node->value();
        } else {
            out.value = node->to_json();
        }
        return out;
    }
};

}  // namespace

operation_entry get_configuration(configuration_state& state) {
    return make_operation<get_configuration_op>(state);
}

}  // namespace standin::server::config_service
