// SPDX-License-Identifier: Apache-2.0
#include "pubsub/broker.hpp"

#include "standin/model/base64.hpp"
#include "standin/model/operations.hpp"

namespace standin::server {

namespace {

using subscribe_row = model::operation<"SubscribeToTopic">;

constexpr auto replace_invalid_utf8 = nlohmann::json::error_handler_t::replace;

// What every subscriber of a publish receives: the message with the published topic as its
// context (the publisher's context is replaced). A JSON or binary message without its `message`
// member is delivered as {} or empty bytes rather than failed as the nucleus does (with an NPE).
// Written as model::encode writes the event, but from the message in place: building the event
// first copied the whole message twice (into the event, then into encode's ordered JSON).
std::string delivery_json(const model::publish_message& message, std::string_view topic) {
    if (!message.jsonMessage && !message.binaryMessage) return "{}";
    const std::string quoted_topic = nlohmann::json(topic).dump(-1, ' ', false, replace_invalid_utf8);
    std::string_view opening;
    std::string body;  // the member's value, or empty when the member is not written
    if (message.jsonMessage) {
        opening = R"({"jsonMessage":{)";
        const auto& document = message.jsonMessage->message;
        // A null document is not set, so not written; a missing one is delivered as {}.
        if (!document || !document->is_null()) {
            body = R"("message":)";
            body += document ? document->dump(-1, ' ', false, replace_invalid_utf8) : "{}";
            body += ',';
        }
    } else {
        opening = R"({"binaryMessage":{)";
        const auto& bytes = message.binaryMessage->message;
        body = R"("message":")" + (bytes ? model::base64_encode(bytes->bytes) : std::string{}) + "\",";
    }
    constexpr std::string_view context = R"("context":{"topic":)";
    constexpr std::string_view closing = "}}}";
    // Sized exactly: the payload is kept, capacity and all, while any subscriber's queue holds it.
    std::string out;
    out.reserve(opening.size() + body.size() + context.size() + quoted_topic.size() + closing.size());
    out.append(opening).append(body).append(context).append(quoted_topic).append(closing);
    return out;
}

}  // namespace

broker::subscription::~subscription() {
    owner_.unsubscribe(id_);
}

std::unique_ptr<broker::subscription> broker::subscribe(std::string filter, subscriber who) {
    const subscription_id id = next_id_++;
    tree_.insert(filter, id);
    subscribers_.emplace(id, entry{std::move(filter), std::move(who), {}});
    return std::make_unique<subscription>(*this, id);
}

std::unique_ptr<broker::subscription> broker::subscribe_internal(std::string filter,
                                                                 std::string component,
                                                                 internal_handler handler) {
    const subscription_id id = next_id_++;
    tree_.insert(filter, id);
    subscribers_.emplace(id,
                         entry{std::move(filter), subscriber{std::move(component)}, std::move(handler)});
    return std::make_unique<subscription>(*this, id);
}

void broker::unsubscribe(subscription_id id) {
    const auto it = subscribers_.find(id);
    if (it == subscribers_.end()) return;
    tree_.erase(it->second.filter, id);
    subscribers_.erase(it);
}

std::size_t broker::publish(const std::string& topic, std::string_view publisher,
                            const model::publish_message& message) {
    matches_.clear();
    tree_.match(topic, matches_);
    if (matches_.empty()) return 0;

    // Swap the scratch vector out: a delivery can close a stream, which unsubscribes (never
    // publishes), but keeping the iteration on a local vector makes that obviously safe.
    std::vector<subscription_id> targets;
    targets.swap(matches_);

    protocol::shared_payload payload;
    std::size_t delivered = 0;
    for (const auto id : targets) {
        const auto it = subscribers_.find(id);
        if (it == subscribers_.end()) continue;  // closed by an earlier delivery's overflow
        const subscriber& who = it->second.who;
        if (who.mode == model::receive_mode::receive_messages_from_others && who.component == publisher)
            continue;
        if (it->second.internal) {
            // A copy: the handler may publish, and a nested publish may unsubscribe this entry.
            const internal_handler handler = it->second.internal;
            handler(topic, std::string{publisher}, message);
            ++delivered;
            continue;
        }
        if (!payload) {
            payload = protocol::make_payload(delivery_json(message, topic));
        }
        // Copy what we need: send_event may close this very subscription.
        stream_sink* writer = who.writer;
        if (writer->send_event(who.stream_id, subscribe_row::event_shape, payload)) ++delivered;
    }
    targets.clear();
    matches_.swap(targets);
    return delivered;
}

}  // namespace standin::server
