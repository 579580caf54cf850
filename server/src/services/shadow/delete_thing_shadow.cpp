// SPDX-License-Identifier: Apache-2.0
// aws.greengrass#DeleteThingShadow (semantics.md §6.5): the rate limit, then the names, both before
// authorization; then the shadow removed: delete/accepted gets {version, timestamp} and the
// response payload is empty. A missing shadow is ResourceNotFoundError and a 404 on
// delete/rejected; a denial is a 401 there.
#include "services/shadow/shadow_service.hpp"

namespace standin::server::shadow_service {

shadow_outcome delete_shadow(shadow_manager& shadows, const std::string& thing,
                             const std::string& shadow) {
    const auto deleted = shadows.store.erase(thing, shadow);
    if (!deleted) {
        shadows.publish_rejected(
            thing, shadow, "delete", 404,
            "No shadow exists with name: " + (shadow.empty() ? "Unnamed Shadow" : shadow));
        return model::ipc_error::resource_not_found("No shadow found", "shadow");
    }
    local_shadow::json accepted = local_shadow::json::object();
    accepted["version"] = deleted->version;
    accepted["timestamp"] = shadows.now();
    shadows.publish(thing, shadow, "delete", "accepted", accepted);
    return std::string{};
}

namespace {

struct delete_thing_shadow_op {
    using row = model::operation<"DeleteThingShadow">;
    using state = shadow_manager;

    static std::optional<model::ipc_error> precheck(shadow_manager& shadows, const call_context&,
                                                    const row::request& r) {
        if (auto throttled = shadows.admit(r.thingName)) return throttled;
        return check_names(shadows, r.thingName, r.shadowName, "delete");
    }

    static void denied(shadow_manager& shadows, const call_context&, const row::request& r) {
        publish_unauthorized(shadows, r.thingName, r.shadowName, "delete");
    }

    static answer<row::response> handle(shadow_manager& shadows, const call_context&, row::request& r) {
        auto outcome = delete_shadow(shadows, *r.thingName, r.shadowName.value_or(""));
        if (auto* error = std::get_if<model::ipc_error>(&outcome)) return std::move(*error);
        return row::response{.payload = model::blob{}};
    }
};

}  // namespace

operation_entry delete_thing_shadow(shadow_manager& shadows) {
    return make_operation<delete_thing_shadow_op>(shadows);
}

}  // namespace standin::server::shadow_service
