// SPDX-License-Identifier: Apache-2.0
// aws.greengrass#SubscribeToTopic (semantics.md §3.2): the filter is authorized as written
// (wildcards are literal characters to the policy), then subscribed until the stream closes.
// Without an explicit receiveMode, a wildcard filter does not receive its own component's messages.
#include "pubsub/topic_tree.hpp"
#include "services/pubsub/pubsub_service.hpp"

namespace standin::server::pubsub_service {

namespace {

struct subscribe_to_topic_op {
    using row = model::operation<"SubscribeToTopic">;
    using state = broker;

    static std::optional<model::ipc_error> validate(const row::request& r) {
        if (!r.topic || r.topic->empty()) {
            return model::ipc_error::invalid_arguments("Subscribe topic must not be empty");
        }
        return std::nullopt;
    }

    static answer<row::response> handle(broker& pubsub, const call_context& call, row::request& r) {
        const auto mode = r.receiveMode.value_or(is_wildcard_filter(*r.topic)
                                                     ? model::receive_mode::receive_messages_from_others
                                                     : model::receive_mode::receive_all_messages);
        auto subscription =
            pubsub.subscribe(*r.topic, {std::string{call.caller}, mode, call.sink, call.stream_id});
        return {row::response{}, std::move(subscription)};
    }
};

}  // namespace

operation_entry subscribe_to_topic(broker& pubsub) {
    return make_operation<subscribe_to_topic_op>(pubsub);
}

}  // namespace standin::server::pubsub_service
