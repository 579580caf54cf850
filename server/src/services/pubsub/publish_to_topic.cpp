// SPDX-License-Identifier: Apache-2.0
// aws.greengrass#PublishToTopic (semantics.md §3.1): the topic is authorized (table row), then a
// missing or wildcard topic is rejected, and the message reaches every matching subscriber before
// the response is queued.
#include "pubsub/topic_tree.hpp"
#include "services/pubsub/pubsub_service.hpp"

namespace standin::server::pubsub_service {

namespace {

struct publish_to_topic_op {
    using row = model::operation<"PublishToTopic">;
    using state = broker;

    static std::optional<model::ipc_error> validate(const row::request& r) {
        // The nucleus dereferences publishMessage before it looks at the topic; a missing one fails
        // there with a NullPointerException that translateExceptions turns into a ServiceError.
        if (!r.publishMessage) return model::ipc_error::service("publishMessage is required");
        if (!r.topic) return model::ipc_error::invalid_arguments("Publish topic must not be null");
        if (publish_topic_has_wildcard(*r.topic)) {
            return model::ipc_error::invalid_arguments("Publish topic must not contain a wildcard.");
        }
        return std::nullopt;
    }

    static answer<row::response> handle(broker& pubsub, const call_context& call, row::request& r) {
        pubsub.publish(*r.topic, call.caller, *r.publishMessage);
        return row::response{};
    }
};

}  // namespace

operation_entry publish_to_topic(broker& pubsub) {
    return make_operation<publish_to_topic_op>(pubsub);
}

}  // namespace standin::server::pubsub_service
