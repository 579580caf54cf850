// SPDX-License-Identifier: Apache-2.0
// aws.greengrass#SubscribeToComponentUpdates (semantics.md §5.2): the caller listens for the
// pre/post-update events of deployments until it closes the stream. No arguments, no policy; an
// unknown caller is ResourceNotFoundError. standin runs no deployments yet, so no event comes.
#include "services/lifecycle/lifecycle_service.hpp"

namespace standin::server::lifecycle_service {

namespace {

class listener_resource final : public stream_resource {
public:
    explicit listener_resource(std::unique_ptr<lifecycle::component_supervisor::update_listener> l)
        : listener_(std::move(l)) {}

private:
    std::unique_ptr<lifecycle::component_supervisor::update_listener> listener_;
};

struct subscribe_to_component_updates_op {
    using row = model::operation<"SubscribeToComponentUpdates">;
    using state = lifecycle::component_supervisor;

    static answer<row::response> handle(lifecycle::component_supervisor& components,
                                        const call_context& call, row::request&) {
        if (!components.find(call.caller)) {
            return model::ipc_error::resource_not_found(
                "Component with given name not found currently in Greengrass", "Component",
                std::string{call.caller});
        }
        return {row::response{},
                std::make_unique<listener_resource>(components.listen_for_updates(call.caller))};
    }
};

}  // namespace

operation_entry subscribe_to_component_updates(lifecycle::component_supervisor& components) {
    return make_operation<subscribe_to_component_updates_op>(components);
}

}  // namespace standin::server::lifecycle_service
