// SPDX-License-Identifier: Apache-2.0
// aws.greengrass#PublishToTopic (semantics.md §3.1): authorize the topic, reject a missing or
// wildcard topic, deliver to every matching subscriber before the response is queued.
#include "daemon/server_state.hpp"
#include "pubsub/topic_tree.hpp"
#include "services/pubsub/pubsub_service.hpp"

namespace standin::server::pubsub_service {

namespace {

struct publish_to_topic_op {
    static constexpr std::string_view name = "aws.greengrass#PublishToTopic";
    static constexpr std::string_view service_id = pubsub_service::service_id;
    using request = model::publish_to_topic_request;

    static std::optional<std::string> resource(const request& r) { return r.topic; }

    static std::optional<model::ipc_error> validate(const request& r) {
        // The nucleus dereferences publishMessage before it looks at the topic; a missing one fails
        // there with a NullPointerException that translateExceptions turns into a ServiceError.
        if (!r.publishMessage) return model::ipc_error::service("publishMessage is required");
        if (!r.topic) return model::ipc_error::invalid_arguments("Publish topic must not be null");
        if (publish_topic_has_wildcard(*r.topic)) {
            return model::ipc_error::invalid_arguments("Publish topic must not contain a wildcard.");
        }
        return std::nullopt;
    }

    static operation_outcome handle(operation_call& call, request& r) {
        call.state.pubsub().publish(*r.topic, call.caller, *r.publishMessage);
        return {nlohmann::json::object(), nullptr};
    }
};

}  // namespace

operation_entry publish_to_topic() {
    return make_operation<publish_to_topic_op>();
}

}  // namespace standin::server::pubsub_service
