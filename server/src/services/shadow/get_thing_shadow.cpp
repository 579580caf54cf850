// SPDX-License-Identifier: Apache-2.0
// aws.greengrass#GetThingShadow (semantics.md §6.3): names checked before authorization, then the
// document with its delta, also published on get/accepted; a missing shadow is ResourceNotFoundError
// and a 404 on get/rejected.
#include "services/shadow/shadow_service.hpp"

namespace standin::server::shadow_service {

namespace {

struct get_thing_shadow_op {
    using row = model::operation<"GetThingShadow">;
    using state = shadow_manager;

    static std::optional<model::ipc_error> precheck(shadow_manager& shadows, const call_context&,
                                                    const row::request& r) {
        return check_names(shadows, r.thingName, r.shadowName, "get");
    }

    static answer<row::response> handle(shadow_manager& shadows, const call_context&, row::request& r) {
        const std::string& thing = *r.thingName;
        const std::string shadow_name = r.shadowName.value_or("");
        const local_shadow::document* doc = shadows.store.find(thing, shadow_name);
        if (doc == nullptr) {
            shadows.publish_rejected(
                thing, shadow_name, "get", 404,
                "No shadow exists with name: " + (shadow_name.empty() ? "Unnamed Shadow" : shadow_name));
            return model::ipc_error::resource_not_found("No shadow found", "shadow");
        }
        local_shadow::json body = local_shadow::json::object();
        body["state"] = doc->state_with_delta();
        body["metadata"] = doc->metadata_json();
        body["version"] = doc->version;
        body["timestamp"] = shadows.now();
        shadows.publish(thing, shadow_name, "get", "accepted", body);
        return row::response{.payload = model::blob{local_shadow::dump(body)}};
    }
};

}  // namespace

operation_entry get_thing_shadow(shadow_manager& shadows) {
    return make_operation<get_thing_shadow_op>(shadows);
}

}  // namespace standin::server::shadow_service
