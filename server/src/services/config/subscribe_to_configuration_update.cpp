// SPDX-License-Identifier: Apache-2.0
// aws.greengrass#SubscribeToConfigurationUpdate (semantics.md §4.4): watches any component's
// configuration (the caller's by default), whole or from keyPath, which must exist (else
// ResourceNotFoundError "Key not found"). Each changed path at or below it is one
// configurationUpdateEvent {componentName as requested, keyPath of the changed node}.
#include "services/config/config_service.hpp"

namespace standin::server::config_service {

namespace {

class watch_resource final : public stream_resource {
public:
    explicit watch_resource(std::unique_ptr<config_store::watch> w) : watch_(std::move(w)) {}

private:
    std::unique_ptr<config_store::watch> watch_;
};

struct subscribe_to_configuration_update_op {
    using row = model::operation<"SubscribeToConfigurationUpdate">;
    using state = configuration_state;

    static answer<row::response> handle(configuration_state& s, const call_context& call,
                                        row::request& r) {
        std::string component = target_component(r.componentName, call);
        const config_tree* tree = s.store.find(component);
        if (tree == nullptr) return model::ipc_error::resource_not_found(key_not_found);
        config_path path = r.keyPath.value_or(config_path{});
        if (tree->find(path) == nullptr) return model::ipc_error::resource_not_found(key_not_found);
        auto watch = s.store.subscribe(component, std::move(path),
                                       [events = events_of<subscribe_to_configuration_update_op>(call),
                                        component](const config_path& changed) {
                                           model::configuration_update_events event;
                                           event.configurationUpdateEvent =
                                               model::configuration_update_event{
                                                   .componentName = component, .keyPath = changed};
                                           events.send(event);
                                       });
        return {row::response{}, std::make_unique<watch_resource>(std::move(watch))};
    }
};

}  // namespace

operation_entry subscribe_to_configuration_update(configuration_state& state) {
    return make_operation<subscribe_to_configuration_update_op>(state);
}

}  // namespace standin::server::config_service
