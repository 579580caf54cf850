// SPDX-License-Identifier: Apache-2.0
// aws.greengrass#SubscribeToTopic (semantics.md §3.2): authorize the filter as written (wildcards
// are literal characters to the policy), then subscribe until the stream closes. Without an
// explicit receiveMode, a wildcard filter does not receive its own component's messages.
#include "daemon/server_state.hpp"
#include "pubsub/topic_tree.hpp"
#include "services/pubsub/pubsub_service.hpp"

namespace standin::server::pubsub_service {

namespace {

struct subscribe_to_topic_op {
    static constexpr std::string_view name = "aws.greengrass#SubscribeToTopic";
    static constexpr std::string_view service_id = pubsub_service::service_id;
    using request = model::subscribe_to_topic_request;

    static std::optional<std::string> resource(const request& r) { return r.topic; }

    static std::optional<model::ipc_error> validate(const request& r) {
        if (!r.topic || r.topic->empty()) {
            return model::ipc_error::invalid_arguments("Subscribe topic must not be empty");
        }
        return std::nullopt;
    }

    static operation_outcome handle(operation_call& call, request& r) {
        const auto mode = r.receiveMode.value_or(is_wildcard_filter(*r.topic)
                                                     ? model::receive_mode::receive_messages_from_others
                                                     : model::receive_mode::receive_all_messages);
        auto subscription =
            call.state.pubsub().subscribe(*r.topic, {call.caller, mode, &call.writer, call.stream_id});
        return {nlohmann::json::object(), std::move(subscription)};
    }
};

}  // namespace

operation_entry subscribe_to_topic() {
    return make_operation<subscribe_to_topic_op>();
}

}  // namespace standin::server::pubsub_service
