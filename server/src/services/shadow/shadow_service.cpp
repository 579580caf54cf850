// SPDX-License-Identifier: Apache-2.0
#include "services/shadow/shadow_service.hpp"

#include <chrono>

#include "pubsub/topic_tree.hpp"

namespace standin::server {

namespace {
constexpr std::string_view shadow_manager_name = "aws.greengrass.ShadowManager";
}  // namespace

std::int64_t shadow_manager::now() const {
    if (clock) return clock();
    return std::chrono::duration_cast<std::chrono::seconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
}

void shadow_manager::publish(std::string_view thing_name, std::string_view shadow_name,
                             std::string_view op, std::string_view suffix,
                             const local_shadow::json& payload) {
    std::string topic = local_shadow::topic_prefix(thing_name, shadow_name);
    topic += '/';
    topic += op;
    topic += '/';
    topic += suffix;
    if (publish_topic_has_wildcard(topic)) return;
    model::publish_message message;
    message.binaryMessage = model::binary_message{.message = model::blob{local_shadow::dump(payload)}};
    pubsub_.publish(topic, std::string{shadow_manager_name}, message);
}

void shadow_manager::publish_rejected(std::string_view thing_name, std::string_view shadow_name,
                                      std::string_view op, int code, std::string_view message,
                                      const std::optional<std::string>& client_token) {
    local_shadow::json payload = local_shadow::json::object();
    payload["timestamp"] = now();
    if (client_token) payload["clientToken"] = *client_token;
    payload["code"] = code;
    payload["message"] = message;
    publish(thing_name, shadow_name, op, "rejected", payload);
}

void shadow_manager::seed(std::string thing_name, std::string shadow_name, const nlohmann::json& state) {
    local_shadow::update_request request{
        local_shadow::json{{"state", local_shadow::json::parse(state.dump())}}, {}};
    auto result =
        local_shadow::apply_update(nullptr, request, now(), local_shadow::max_document_size_limit);
    if (auto* ok = std::get_if<local_shadow::update_result>(&result)) {
        store.put(std::move(thing_name), std::move(shadow_name), std::move(ok->updated));
    }
}

namespace shadow_service {

std::optional<model::ipc_error> check_names(shadow_manager& shadows,
                                            const std::optional<std::string>& thing,
                                            const std::optional<std::string>& shadow,
                                            std::string_view op) {
    auto error = local_shadow::thing_name_error(thing);
    if (!error) error = local_shadow::shadow_name_error(shadow);
    if (!error) return std::nullopt;
    // The plugin formats the topic with the name as given ("null" when absent).
    shadows.publish_rejected(thing.value_or("null"), shadow.value_or(""), op, 400, *error);
    return model::ipc_error::invalid_arguments(*error);
}

}  // namespace shadow_service

void register_shadow_service(operation_registry& registry, shadow_manager& shadows) {
    registry.add(shadow_service::get_thing_shadow(shadows));
    registry.add(shadow_service::update_thing_shadow(shadows));
    registry.add(shadow_service::delete_thing_shadow(shadows));
    registry.add(shadow_service::list_named_shadows_for_thing(shadows));
}

}  // namespace standin::server
