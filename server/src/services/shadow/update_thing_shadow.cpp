// SPDX-License-Identifier: Apache-2.0
// aws.greengrass#UpdateThingShadow (semantics.md §6.4), in the plugin's order: the rate limit, the
// names, then an empty payload ("Missing update payload"), all before authorization (a denial is a
// 401 on update/rejected); then parse, schema, depth,
// version, merge, size. Every refusal after the names is also published on update/rejected (with
// the clientToken once it is known); an accepted update publishes update/delta (when there is a
// delta), update/documents and update/accepted, in that order, and answers what update/accepted got.
#include "services/shadow/shadow_service.hpp"

namespace standin::server::shadow_service {

namespace {

model::ipc_error to_ipc_error(const local_shadow::update_error& e) {
    switch (e.what) {
        case local_shadow::update_error::kind::conflict:
            return model::ipc_error::make(model::error_kind::conflict_error, e.ipc_message);
        case local_shadow::update_error::kind::service:
            return model::ipc_error::service(e.ipc_message);
        case local_shadow::update_error::kind::invalid_arguments:
            break;
    }
    return model::ipc_error::invalid_arguments(e.ipc_message);
}

}  // namespace

std::optional<model::ipc_error> check_update_payload(shadow_manager& shadows, const std::string& thing,
                                                     const std::string& shadow,
                                                     std::string_view payload) {
    if (!payload.empty()) return std::nullopt;
    constexpr std::string_view message = "Missing update payload";
    shadows.publish_rejected(thing, shadow, "update", 400, message);
    return model::ipc_error::invalid_arguments(std::string{message});
}

shadow_outcome update_shadow(shadow_manager& shadows, const std::string& thing,
                             const std::string& shadow, std::string_view payload) {
    const local_shadow::document* current = shadows.store.find(thing, shadow);

    const auto refuse = [&](const local_shadow::update_error& e) -> shadow_outcome {
        shadows.publish_rejected(thing, shadow, "update", e.code, e.rejected_message, e.client_token);
        return to_ipc_error(e);
    };

    auto parsed = local_shadow::parse_update(payload, current);
    if (auto* e = std::get_if<local_shadow::update_error>(&parsed)) return refuse(*e);
    auto& request = std::get<local_shadow::update_request>(parsed);

    const std::int64_t now = shadows.now();
    auto applied = local_shadow::apply_update(current, request, now, shadows.max_document_size);
    if (auto* e = std::get_if<local_shadow::update_error>(&applied)) return refuse(*e);
    auto& result = std::get<local_shadow::update_result>(applied);
    const local_shadow::document& updated = result.updated;

    if (auto delta = updated.delta()) {
        local_shadow::json message = local_shadow::json::object();
        message["version"] = updated.version;
        message["timestamp"] = now;
        message["state"] = *delta;
        message["metadata"] = updated.delta_metadata(*delta);
        if (request.client_token) message["clientToken"] = *request.client_token;
        shadows.publish(thing, shadow, "update", "delta", message);
    }

    local_shadow::json documents = local_shadow::json::object();
    documents["previous"] = current != nullptr ? current->to_json(true) : local_shadow::json{};
    documents["current"] = updated.to_json(true);
    if (request.client_token) documents["clientToken"] = *request.client_token;
    documents["timestamp"] = now;
    shadows.publish(thing, shadow, "update", "documents", documents);

    local_shadow::json accepted = local_shadow::json::object();
    accepted["version"] = updated.version;
    if (request.client_token) accepted["clientToken"] = *request.client_token;
    accepted["timestamp"] = now;
    accepted["state"] = request.body["state"];
    accepted["metadata"] = std::move(result.metadata);
    std::string bytes = local_shadow::dump(accepted);
    shadows.publish(thing, shadow, "update", "accepted", accepted);

    shadows.store.put(thing, shadow, std::move(result.updated));
    return bytes;
}

namespace {

struct update_thing_shadow_op {
    using row = model::operation<"UpdateThingShadow">;
    using state = shadow_manager;

    static std::optional<model::ipc_error> precheck(shadow_manager& shadows, const call_context&,
                                                    const row::request& r) {
        if (auto throttled = shadows.admit(r.thingName)) return throttled;
        if (auto error = check_names(shadows, r.thingName, r.shadowName, "update")) return error;
        return check_update_payload(shadows, *r.thingName, r.shadowName.value_or(""),
                                    r.payload ? std::string_view{r.payload->bytes} : std::string_view{});
    }

    static void denied(shadow_manager& shadows, const call_context&, const row::request& r) {
        publish_unauthorized(shadows, r.thingName, r.shadowName, "update");
    }

    static answer<row::response> handle(shadow_manager& shadows, const call_context&, row::request& r) {
        auto outcome = update_shadow(shadows, *r.thingName, r.shadowName.value_or(""), r.payload->bytes);
        if (auto* error = std::get_if<model::ipc_error>(&outcome)) return std::move(*error);
        return row::response{.payload = model::blob{std::move(std::get<std::string>(outcome))}};
    }
};

}  // namespace

operation_entry update_thing_shadow(shadow_manager& shadows) {
    return make_operation<update_thing_shadow_op>(shadows);
}

}  // namespace standin::server::shadow_service
