// SPDX-License-Identifier: Apache-2.0
// aws.greengrass#GetThingShadow (semantics.md §6.3): the rate limit, then the names, both before
// authorization; then the document with its delta, also published on get/accepted. A missing
// shadow is ResourceNotFoundError and a 404 on get/rejected; a denial is a 401 there.
#include "services/shadow/shadow_service.hpp"

namespace standin::server::shadow_service {

shadow_outcome get_shadow(shadow_manager& shadows, const std::string& thing, const std::string& shadow) {
    const local_shadow::document* doc = shadows.store.find(thing, shadow);
    if (doc == nullptr) {
        shadows.publish_rejected(
            thing, shadow, "get", 404,
            "No shadow exists with name: " + (shadow.empty() ? "Unnamed Shadow" : shadow));
        return model::ipc_error::resource_not_found("No shadow found", "shadow");
    }
    local_shadow::json body = local_shadow::json::object();
    body["state"] = doc->state_with_delta();
    body["metadata"] = doc->metadata_json();
    body["version"] = doc->version;
    body["timestamp"] = shadows.now();
    shadows.publish(thing, shadow, "get", "accepted", body);
    return local_shadow::dump(body);
}

namespace {

struct get_thing_shadow_op {
    using row = model::operation<"GetThingShadow">;
    using state = shadow_manager;

    static std::optional<model::ipc_error> precheck(shadow_manager& shadows, const call_context&,
                                                    const row::request& r) {
        if (auto throttled = shadows.admit(r.thingName)) return throttled;
        return check_names(shadows, r.thingName, r.shadowName, "get");
    }

    static void denied(shadow_manager& shadows, const call_context&, const row::request& r) {
        publish_unauthorized(shadows, r.thingName, r.shadowName, "get");
    }

    static answer<row::response> handle(shadow_manager& shadows, const call_context&, row::request& r) {
        auto outcome = get_shadow(shadows, *r.thingName, r.shadowName.value_or(""));
        if (auto* error = std::get_if<model::ipc_error>(&outcome)) return std::move(*error);
        return row::response{.payload = model::blob{std::move(std::get<std::string>(outcome))}};
    }
};

}  // namespace

operation_entry get_thing_shadow(shadow_manager& shadows) {
    return make_operation<get_thing_shadow_op>(shadows);
}

}  // namespace standin::server::shadow_service
