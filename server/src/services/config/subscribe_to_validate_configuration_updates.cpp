// SPDX-License-Identifier: Apache-2.0
// aws.greengrass#SubscribeToValidateConfigurationUpdates (semantics.md §4.5): no arguments, always
// accepted. The component's first open stream receives the validate events of deployments
// (config_validation); closing any of its streams stops them, as in the nucleus.
#include "services/config/config_service.hpp"

namespace standin::server::config_service {

namespace {

class registration_resource final : public stream_resource {
public:
    explicit registration_resource(std::unique_ptr<config_validation::registration> r)
        : registration_(std::move(r)) {}

private:
    std::unique_ptr<config_validation::registration> registration_;
};

struct subscribe_to_validate_configuration_updates_op {
    using row = model::operation<"SubscribeToValidateConfigurationUpdates">;
    using state = configuration_state;

    static answer<row::response> handle(configuration_state& s, const call_context& call,
                                        row::request&) {
        auto registration = s.validation.subscribe(
            std::string{call.caller},
            [events = events_of<subscribe_to_validate_configuration_updates_op>(call)](
                const std::string& deployment_id, const nlohmann::json& configuration) {
                model::validate_configuration_update_events event;
                event.validateConfigurationUpdateEvent = model::validate_configuration_update_event{
                    .configuration = configuration, .deploymentId = deployment_id};
                events.send(event);
            });
        return {row::response{}, std::make_unique<registration_resource>(std::move(registration))};
    }
};

}  // namespace

operation_entry subscribe_to_validate_configuration_updates(configuration_state& state) {
    return make_operation<subscribe_to_validate_configuration_updates_op>(state);
}

}  // namespace standin::server::config_service
