// SPDX-License-Identifier: Apache-2.0
// aws.greengrass#DeleteThingShadow (semantics.md §6.5): names checked before authorization, then the
// shadow removed; delete/accepted gets {version, timestamp} and the response payload is empty. A
// missing shadow is ResourceNotFoundError and a 404 on delete/rejected.
#include "services/shadow/shadow_service.hpp"

namespace standin::server::shadow_service {

namespace {

struct delete_thing_shadow_op {
    using row = model::operation<"DeleteThingShadow">;
    using state = shadow_manager;

    static std::optional<model::ipc_error> precheck(shadow_manager& shadows, const call_context&,
                                                    const row::request& r) {
        return check_names(shadows, r.thingName, r.shadowName, "delete");
    }

    static answer<row::response> handle(shadow_manager& shadows, const call_context&, row::request& r) {
        const std::string& thing = *r.thingName;
        const std::string shadow_name = r.shadowName.value_or("");
        const auto deleted = shadows.store.erase(thing, shadow_name);
        if (!deleted) {
            shadows.publish_rejected(
                thing, shadow_name, "delete", 404,
                "No shadow exists with name: " + (shadow_name.empty() ? "Unnamed Shadow" : shadow_name));
            return model::ipc_error::resource_not_found("No shadow found", "shadow");
        }
        local_shadow::json accepted = local_shadow::json::object();
        accepted["version"] = deleted->version;
        accepted["timestamp"] = shadows.now();
        shadows.publish(thing, shadow_name, "delete", "accepted", accepted);
        return row::response{.payload = model::blob{}};
    }
};

}  // namespace

operation_entry delete_thing_shadow(shadow_manager& shadows) {
    return make_operation<delete_thing_shadow_op>(shadows);
}

}  // namespace standin::server::shadow_service
