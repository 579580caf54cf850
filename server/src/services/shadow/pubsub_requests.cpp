// SPDX-License-Identifier: Apache-2.0
// Shadow requests over local pub/sub (semantics.md §6.7; the plugin's PubSubIntegrator): the shadow
// manager subscribes to $aws/things/+/shadow/# and runs what components publish on
// $aws/things/<thing>/shadow[/name/<shadow>]/(update|get|delete) as itself, so that only the
// publisher's PublishToTopic permission counts, without the IPC rate limit. The payload is the
// same JSON as over IPC (a JSON message is taken as its serialized text). Answers go to the same
// /accepted, /rejected, /delta and /documents topics as for IPC calls; messages on those response
// topics, and topics of any other shape, are ignored.
#include <optional>
#include <string_view>

#include <spdlog/spdlog.h>

#include "services/shadow/shadow_service.hpp"
#include "util/log.hpp"

namespace standin::server {

namespace {

constexpr std::string_view requests_filter = "$aws/things/+/shadow/#";

struct pubsub_shadow_request {
    std::string thing;
    std::optional<std::string> shadow;  // absent for the classic shadow
    std::string_view op;                // "get", "update" or "delete"
};

// `topic` as a request, or nullopt for a response topic or one of no request's shape.
std::optional<pubsub_shadow_request> parse_request_topic(std::string_view topic) {
    constexpr std::string_view things = "$aws/things/";
    constexpr std::string_view shadow_level = "/shadow/";
    if (!topic.starts_with(things)) return std::nullopt;
    topic.remove_prefix(things.size());
    const auto thing_end = topic.find('/');
    if (thing_end == std::string_view::npos) return std::nullopt;
    pubsub_shadow_request request{std::string{topic.substr(0, thing_end)}, std::nullopt, {}};
    topic.remove_prefix(thing_end);
    if (!topic.starts_with(shadow_level)) return std::nullopt;
    topic.remove_prefix(shadow_level.size());

    const auto last = topic.rfind('/');
    const std::string_view op = last == std::string_view::npos ? topic : topic.substr(last + 1);
    if (op != "update" && op != "get" && op != "delete") return std::nullopt;  // responses too
    request.op = op;
    if (last == std::string_view::npos) return request;
    constexpr std::string_view named = "name/";
    const std::string_view head = topic.substr(0, last);
    if (!head.starts_with(named)) return std::nullopt;
    request.shadow = std::string{head.substr(named.size())};
    return request;
}

std::string payload_text(const model::publish_message& message) {
    if (message.binaryMessage && message.binaryMessage->message)
        return message.binaryMessage->message->bytes;
    if (message.jsonMessage && message.jsonMessage->message) return message.jsonMessage->message->dump();
    return {};
}

}  // namespace

void shadow_manager::listen_on_pubsub() {
    if (pubsub_requests_) return;
    pubsub_requests_ =
        pubsub_.subscribe_internal(std::string{requests_filter}, std::string{shadow_manager_component},
                                   [this](const std::string& topic, const std::string& publisher,
                                          const model::publish_message& message) {
                                       if (publisher == shadow_manager_component)
                                           return;  // its own answers
                                       handle_pubsub_request(topic, message);
                                   });
}

void shadow_manager::handle_pubsub_request(const std::string& topic,
                                           const model::publish_message& message) {
    static const auto log = logger("shadow");
    const auto request = parse_request_topic(topic);
    if (!request) {
        log->debug("not a shadow request, ignored: {}", topic);
        return;
    }
    using namespace shadow_service;
    if (check_names(*this, request->thing, request->shadow, request->op)) {
        log->warn("shadow request on {} refused: bad thing or shadow name", topic);
        return;
    }
    const std::string shadow = request->shadow.value_or("");
    shadow_outcome outcome;
    if (request->op == "get") {
        outcome = get_shadow(*this, request->thing, shadow);
    } else if (request->op == "delete") {
        outcome = delete_shadow(*this, request->thing, shadow);
    } else {
        const std::string payload = payload_text(message);
        if (auto missing = check_update_payload(*this, request->thing, shadow, payload)) {
            outcome = std::move(*missing);
        } else {
            outcome = update_shadow(*this, request->thing, shadow, payload);
        }
    }
    if (const auto* error = std::get_if<model::ipc_error>(&outcome))
        log->info("shadow {} over pub/sub on {} refused: {}", request->op, topic, error->message);
}

}  // namespace standin::server
