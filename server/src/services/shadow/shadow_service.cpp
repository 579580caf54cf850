// SPDX-License-Identifier: Apache-2.0
#include "services/shadow/shadow_service.hpp"

#include <chrono>
#include <limits>
#include <stdexcept>

#include <spdlog/spdlog.h>

#include "pubsub/topic_tree.hpp"
#include "util/log.hpp"

namespace standin::server {

namespace {

const std::shared_ptr<spdlog::logger>& shadow_log() {
    static const auto log = logger("shadow");
    return log;
}

// A positive integer at `key` of `object`, or `fallback` when absent; the plugin's configuration
// validation refuses zero and negative rates and sizes past its limit.
std::int64_t positive_setting(const nlohmann::json& object, std::string_view key, std::int64_t fallback,
                              std::int64_t max, std::string_view path) {
    const auto it = object.find(key);
    if (it == object.end() || it->is_null()) return fallback;
    if (!it->is_number_integer() || it->get<std::int64_t>() <= 0 || it->get<std::int64_t>() > max) {
        throw std::invalid_argument(std::string{path} + " must be an integer from 1 to " +
                                    std::to_string(max) + ", not " + it->dump());
    }
    return it->get<std::int64_t>();
}

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
    pubsub_.publish(topic, std::string{shadow_manager_component}, message);
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

void shadow_manager::configure(const nlohmann::json& configuration) {
    if (!configuration.is_object()) return;
    constexpr std::int64_t max_rate = std::numeric_limits<std::int32_t>::max();
    std::int64_t total = rate_limits.total_rate();
    std::int64_t per_thing = rate_limits.per_thing_rate();
    if (const auto limits = configuration.find("rateLimits"); limits != configuration.end()) {
        if (!limits->is_object()) throw std::invalid_argument("rateLimits must be an object");
        total = positive_setting(*limits, "maxTotalLocalRequestsRate", total, max_rate,
                                 "rateLimits.maxTotalLocalRequestsRate");
        per_thing = positive_setting(*limits, "maxLocalRequestsPerSecondPerThing", per_thing, max_rate,
                                     "rateLimits.maxLocalRequestsPerSecondPerThing");
    }
    max_document_size = static_cast<std::size_t>(positive_setting(
        configuration, "shadowDocumentSizeLimitBytes", static_cast<std::int64_t>(max_document_size),
        static_cast<std::int64_t>(local_shadow::max_document_size_limit),
        "shadowDocumentSizeLimitBytes"));
    rate_limits.set_rates(static_cast<std::int32_t>(total), static_cast<std::int32_t>(per_thing));
}

std::optional<model::ipc_error> shadow_manager::admit(const std::optional<std::string>& thing_name) {
    using verdict = local_shadow::request_rate_limiter::verdict;
    const auto outcome =
        rate_limits.acquire(thing_name.value_or(""), local_shadow::request_rate_limiter::clock::now());
    if (outcome == verdict::allowed) return std::nullopt;
    shadow_log()->warn("shadow request for {} throttled: {}", thing_name.value_or(""),
                       outcome == verdict::total_rate_exceeded
                           ? "max total local shadow request rate exceeded"
                           : "local shadow request rate for the thing exceeded");
    return model::ipc_error::service("Too Many Requests");
}

namespace shadow_service {

void publish_unauthorized(shadow_manager& shadows, const std::optional<std::string>& thing,
                          const std::optional<std::string>& shadow, std::string_view op) {
    shadows.publish_rejected(thing.value_or("null"), shadow.value_or(""), op, 401, "Unauthorized");
}

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
