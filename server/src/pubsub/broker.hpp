// SPDX-License-Identifier: Apache-2.0
// Local publish/subscribe: routes PublishToTopic to SubscribeToTopic streams with Greengrass's
// topic rules and receive modes. The event payload is built once per publish and shared by every
// subscriber's frame; a subscriber whose connection is over its outbound limit has its stream
// closed by the connection, and the others are not held up.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/stream_sink.hpp"
#include "pubsub/topic_tree.hpp"
#include "standin/model/pubsub.hpp"

namespace standin::server {

class broker {
public:
    struct subscriber {
        std::string component;  // "self" for RECEIVE_MESSAGES_FROM_OTHERS is decided by component name
        model::receive_mode mode = model::receive_mode::receive_all_messages;
        stream_sink* writer = nullptr;  // outlives the subscription (the stream holds the guard)
        std::int32_t stream_id = 0;
    };
    // A subscriber inside the daemon (the shadow manager listening for shadow requests), called
    // with each matching message during publish. It may publish in turn.
    using internal_handler = std::function<void(const std::string& topic, const std::string& publisher,
                                                const model::publish_message& message)>;

    // Unsubscribes when destroyed, i.e. when its stream closes or its connection ends.
    class subscription final : public stream_resource {
    public:
        subscription(broker& owner, subscription_id id) : owner_(owner), id_(id) {}
        ~subscription() override;
        subscription(const subscription&) = delete;
        subscription& operator=(const subscription&) = delete;

    private:
        broker& owner_;
        subscription_id id_;
    };

    std::unique_ptr<subscription> subscribe(std::string filter, subscriber who);
    std::unique_ptr<subscription> subscribe_internal(std::string filter, std::string component,
                                                     internal_handler handler);

    // Delivers `message` published on `topic` by `publisher` to every matching subscriber, in
    // subscription order within a topic node; returns the number of streams it was queued on.
    std::size_t publish(const std::string& topic, std::string_view publisher,
                        const model::publish_message& message);

    std::size_t subscription_count() const noexcept { return subscribers_.size(); }
    const topic_tree& tree() const noexcept { return tree_; }

private:
    struct entry {
        std::string filter;
        subscriber who;
        internal_handler internal;  // set for an internal subscriber (who.writer is then null)
    };
    void unsubscribe(subscription_id id);

    topic_tree tree_;
    std::unordered_map<subscription_id, entry> subscribers_;
    subscription_id next_id_ = 1;
    std::vector<subscription_id> matches_;  // reused across publishes
};

}  // namespace standin::server
