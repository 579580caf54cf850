// SPDX-License-Identifier: Apache-2.0
// aws.greengrass.ShadowManager: local shadows (semantics.md §6). Its operations see the shadow
// manager's state: the shadows, the request rate limits, and the pub/sub broker on which the shadow
// manager publishes its /accepted, /rejected, /delta and /documents topics and takes requests
// published on $aws/things/<thing>/shadow[/name/<shadow>]/(get|update|delete) (§6.7).
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <variant>

#include "pubsub/broker.hpp"
#include "rpc/operation.hpp"
#include "rpc/operation_registry.hpp"
#include "shadow/request_rate_limiter.hpp"
#include "shadow/shadow_document.hpp"
#include "shadow/shadow_store.hpp"

namespace standin::server {

// The shadow manager's component name: the principal of its own publishes and pub/sub requests,
// and the component whose configuration holds its settings.
inline constexpr std::string_view shadow_manager_component = "aws.greengrass.ShadowManager";

class shadow_manager {
public:
    // `pubsub` is another service's state: the one sanctioned cross-service dependency, since the
    // shadow manager publishes on local pub/sub as the real plugin does. It must outlive this.
    explicit shadow_manager(broker& pubsub) : pubsub_(pubsub) {}

    local_shadow::shadow_store store;
    std::size_t max_document_size = local_shadow::default_max_document_size;
    local_shadow::request_rate_limiter rate_limits;
    // Epoch seconds; replaceable for tests.
    std::function<std::int64_t()> clock;
    // Keys the nextToken of ListNamedShadowsForThing; random per daemon.
    std::uint64_t token_key = 0;

    std::int64_t now() const;

    // Publishes `payload` on <prefix of thing/shadow>/<op>/<suffix> as aws.greengrass.ShadowManager,
    // a binary message. A topic the broker would refuse (wildcards from a bad thing name) is dropped,
    // as the plugin's publish failure is only logged.
    void publish(std::string_view thing_name, std::string_view shadow_name, std::string_view op,
                 std::string_view suffix, const local_shadow::json& payload);
    // {timestamp, clientToken?, code, message} on <op>/rejected.
    void publish_rejected(std::string_view thing_name, std::string_view shadow_name, std::string_view op,
                          int code, std::string_view message,
                          const std::optional<std::string>& client_token = std::nullopt);

    // Seeds a shadow with `state` ({desired?, reported?}) as an update would, at version 1.
    void seed(std::string thing_name, std::string shadow_name, const nlohmann::json& state);

    // Applies the aws.greengrass.ShadowManager component's configuration: `rateLimits`
    // (maxTotalLocalRequestsRate, maxLocalRequestsPerSecondPerThing) and
    // shadowDocumentSizeLimitBytes. Throws std::invalid_argument naming the key and the rule.
    void configure(const nlohmann::json& configuration);

    // Counts an IPC request for `thing_name`: the "Too Many Requests" ServiceError past a rate.
    std::optional<model::ipc_error> admit(const std::optional<std::string>& thing_name);

    // Takes shadow requests published on local pub/sub from now on (PubSubIntegrator).
    void listen_on_pubsub();

private:
    void handle_pubsub_request(const std::string& topic, const model::publish_message& message);

    broker& pubsub_;
    std::unique_ptr<broker::subscription> pubsub_requests_;
};

namespace shadow_service {
// The name checks every shadow operation makes before authorization; publishes <op>/rejected.
std::optional<model::ipc_error> check_names(shadow_manager& shadows,
                                            const std::optional<std::string>& thing,
                                            const std::optional<std::string>& shadow,
                                            std::string_view op);

// What the get, update and delete handlers do after the names (and, over IPC, the authorization):
// shared by the operations and the requests over local pub/sub. Each publishes what the plugin
// publishes and gives the response payload or the error.
using shadow_outcome = std::variant<std::string, model::ipc_error>;
shadow_outcome get_shadow(shadow_manager& shadows, const std::string& thing, const std::string& shadow);
shadow_outcome delete_shadow(shadow_manager& shadows, const std::string& thing,
                             const std::string& shadow);
// The update's own check before authorization: a missing or empty payload.
std::optional<model::ipc_error> check_update_payload(shadow_manager& shadows, const std::string& thing,
                                                     const std::string& shadow,
                                                     std::string_view payload);
shadow_outcome update_shadow(shadow_manager& shadows, const std::string& thing,
                             const std::string& shadow, std::string_view payload);

// What every shadow handler publishes when it is denied: <op>/rejected, 401 "Unauthorized".
void publish_unauthorized(shadow_manager& shadows, const std::optional<std::string>& thing,
                          const std::optional<std::string>& shadow, std::string_view op);

operation_entry get_thing_shadow(shadow_manager& shadows);
operation_entry update_thing_shadow(shadow_manager& shadows);
operation_entry delete_thing_shadow(shadow_manager& shadows);
operation_entry list_named_shadows_for_thing(shadow_manager& shadows);
}  // namespace shadow_service

void register_shadow_service(operation_registry& registry, shadow_manager& shadows);

}  // namespace standin::server
