// SPDX-License-Identifier: Apache-2.0
#include "pubsub/broker.hpp"

#include "standin/model/operations.hpp"

namespace standin::server {

namespace {

using subscribe_row = model::operation<"SubscribeToTopic">;

// What every subscriber of a publish receives: the message with the published topic as its
// context (the publisher's context is replaced). A JSON or binary message without its `message`
// member is delivered as {} or empty bytes rather than failed as the nucleus does (with an NPE).
std::string delivery_json(const model::publish_message& message, const std::string& topic) {
    subscribe_row::event event;
    if (message.jsonMessage) {
        event.jsonMessage =
            model::json_message{message.jsonMessage->message.value_or(nlohmann::json::object()),
                                model::message_context{topic}};
    } else if (message.binaryMessage) {
        event.binaryMessage = model::binary_message{
            message.binaryMessage->message.value_or(model::blob{}), model::message_context{topic}};
    }
    return model::encode(event);
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

std::size_t broker::publish(const std::string& topic, const std::string& publisher,
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
            handler(topic, publisher, message);
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
