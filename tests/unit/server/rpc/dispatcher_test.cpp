// SPDX-License-Identifier: Apache-2.0
// The dispatcher's uniform steps on the served operations, with frames decoded back for checking.
#include "rpc/dispatcher.hpp"

#include <gtest/gtest.h>

#include "rpc/dispatch_fixture.hpp"
#include "services/pubsub/pubsub_service.hpp"
#include "services/services.hpp"

namespace standin::server {
namespace {

namespace rpc = protocol::rpc;

using testing::decode_frame;

class dispatcher_test : public ::testing::Test, public testing::dispatch_fixture {
protected:
    dispatcher_test() {
        register_services(operations, services);
        allow("com.example.Pub", model::service_ids::pubsub,
              {"aws.greengrass#PublishToTopic", "aws.greengrass#SubscribeToTopic"}, {"sensors/*"});
    }

    service_states services;
};

TEST_F(dispatcher_test, publish_answers_an_empty_response_with_terminate) {
    const auto result =
        call("com.example.Pub", "aws.greengrass#PublishToTopic",
             R"({"topic":"sensors/t","publishMessage":{"jsonMessage":{"message":{"a":1}}}})");
    EXPECT_TRUE(result.terminates);
    const auto frame = decode_frame(result);
    EXPECT_EQ(frame.meta.type, 0);
    EXPECT_EQ(frame.meta.flags, rpc::flag_terminate_stream);
    EXPECT_EQ(frame.meta.stream_id, 1);
    EXPECT_EQ(frame.header(":content-type"), "application/json");
    EXPECT_EQ(frame.header("service-model-type"), "aws.greengrass#PublishToTopicResponse");
    EXPECT_EQ(frame.message.payload, "{}");
    // Response headers come first, RPC headers after, as the nucleus writes them.
    EXPECT_EQ(frame.message.headers[0].name, ":content-type");
    EXPECT_EQ(frame.message.headers[1].name, "service-model-type");
    EXPECT_EQ(frame.message.headers[2].name, ":message-type");
}

TEST_F(dispatcher_test, subscribe_keeps_the_stream_open_and_holds_the_subscription) {
    auto result =
        call("com.example.Pub", "aws.greengrass#SubscribeToTopic", R"({"topic":"sensors/#"})", 3);
    EXPECT_FALSE(result.terminates);
    ASSERT_NE(result.stream, nullptr);
    const auto frame = decode_frame(result);
    EXPECT_EQ(frame.meta.flags, 0);
    EXPECT_EQ(frame.header("service-model-type"), "aws.greengrass#SubscribeToTopicResponse");
    EXPECT_EQ(services.pubsub.subscription_count(), 1u);
    result.stream.reset();
    EXPECT_EQ(services.pubsub.subscription_count(), 0u);
}

TEST_F(dispatcher_test, unauthorized_publish_gets_the_nucleus_message) {
    const auto result = call("com.example.Stranger", "aws.greengrass#PublishToTopic",
                             R"({"topic":"sensors/t","publishMessage":{"jsonMessage":{"message":{}}}})");
    const auto frame = decode_frame(result);
    EXPECT_EQ(frame.meta.type, 1);
    EXPECT_EQ(frame.meta.flags, rpc::flag_terminate_stream);
    EXPECT_EQ(frame.header("service-model-type"), "aws.greengrass#UnauthorizedError");
    const std::string expected =
        "Principal com.example.Stranger is not authorized to perform "
        "aws.greengrass.ipc.pubsub:aws.greengrass#PublishToTopic on resource sensors/t";
    EXPECT_EQ(frame.body(), (nlohmann::json{{"message", expected},
                                            {"_service", "aws.greengrass#GreengrassCoreIPC"},
                                            {"_message", expected},
                                            {"_errorCode", "UnauthorizedError"}}));
}

TEST_F(dispatcher_test, authorization_comes_before_argument_checks) {
    // A wildcard topic outside the policy is refused as unauthorized, not as invalid.
    auto frame =
        decode_frame(call("com.example.Pub", "aws.greengrass#PublishToTopic",
                          R"({"topic":"other/#","publishMessage":{"jsonMessage":{"message":{}}}})"));
    EXPECT_EQ(frame.header("service-model-type"), "aws.greengrass#UnauthorizedError");
    // Inside the policy's glob, the wildcard is an argument error.
    frame =
        decode_frame(call("com.example.Pub", "aws.greengrass#PublishToTopic",
                          R"({"topic":"sensors/#","publishMessage":{"jsonMessage":{"message":{}}}})"));
    EXPECT_EQ(frame.header("service-model-type"), "aws.greengrass#InvalidArgumentsError");
    EXPECT_EQ(frame.body()["message"], "Publish topic must not contain a wildcard.");
}

TEST_F(dispatcher_test, a_missing_topic_passes_authorization_and_fails_validation) {
    const auto frame = decode_frame(call("com.example.Pub", "aws.greengrass#PublishToTopic",
                                         R"({"publishMessage":{"jsonMessage":{}}})"));
    EXPECT_EQ(frame.header("service-model-type"), "aws.greengrass#InvalidArgumentsError");
    EXPECT_EQ(frame.body()["message"], "Publish topic must not be null");
}

TEST_F(dispatcher_test, an_empty_topic_is_refused_by_authorization) {
    const auto frame = decode_frame(call("com.example.Pub", "aws.greengrass#PublishToTopic",
                                         R"({"topic":"","publishMessage":{"jsonMessage":{}}})"));
    EXPECT_EQ(frame.header("service-model-type"), "aws.greengrass#UnauthorizedError");
    EXPECT_EQ(frame.body()["message"], "Resource cannot be empty");
}

TEST_F(dispatcher_test, malformed_json_gets_the_plain_text_internal_error) {
    for (
        const char* payload :
        {"{not json", "[1,2]", R"({"topic":{"a":1}})",
         R"({"topic":"sensors/t","publishMessage":{"jsonMessage":{"message":{}},"binaryMessage":{"message":""}}})",
         R"({"topic":"sensors/t","publishMessage":{"jsonMessage":{"message":[1]}}})",
         R"({"topic":"sensors/t","publishMessage":{"binaryMessage":{"message":"***"}}})"}) {
        const auto frame =
            decode_frame(call("com.example.Pub", "aws.greengrass#PublishToTopic", payload));
        EXPECT_EQ(frame.meta.type, 1) << payload;
        EXPECT_EQ(frame.meta.flags, rpc::flag_terminate_stream);
        EXPECT_EQ(frame.header(":content-type"), "text/plain");
        EXPECT_EQ(frame.header("service-model-type"), "<absent>");
        EXPECT_EQ(frame.message.payload, "InternalServerError");
    }
}

TEST_F(dispatcher_test, modeled_but_unserved_operations_answer_not_supported) {
    // Any row no service registered: the registry here holds only what the fixture registered.
    operation_registry pubsub_only;
    service_states states;
    register_pubsub_service(pubsub_only, states.pubsub);
    const dispatcher narrow{pubsub_only, access, protocol::default_max_frame_size};
    const auto frame =
        decode_frame(narrow.dispatch(context("com.example.Pub"), "aws.greengrass#GetThingShadow", "{}"));
    EXPECT_EQ(frame.header("service-model-type"), "aws.greengrass#ServiceError");
    EXPECT_EQ(frame.body()["message"],
              "Operation aws.greengrass#GetThingShadow is not supported by Greengrass");
}

TEST_F(dispatcher_test, every_operation_of_the_table_is_served_or_answers_not_supported) {
    std::size_t served = 0;
    for (const auto& op : model::greengrass_operations()) {
        const auto frame = decode_frame(call("com.example.Nobody", op.name, "{}"));
        if (frame.error_shape() == "aws.greengrass#ServiceError" &&
            frame.error_message() ==
                "Operation " + std::string{op.name} + " is not supported by Greengrass") {
            EXPECT_EQ(operations.find(op), nullptr) << op.name;
            continue;
        }
        // Served: whatever it answers, it is not the framework's unknown-operation frame.
        EXPECT_NE(operations.find(op), nullptr) << op.name;
        EXPECT_NE(frame.header("service-model-type"), "<absent>")
            << op.name << ": " << frame.message.payload;
        ++served;
    }
    EXPECT_EQ(served, operations.size());
    EXPECT_EQ(model::greengrass_operations().size(), 34u);
}

TEST_F(dispatcher_test, unknown_operations_get_the_framework_answer) {
    const auto frame = decode_frame(call("com.example.Pub", "aws.greengrass#Nope", "{}"));
    EXPECT_EQ(frame.meta.type, 1);
    EXPECT_EQ(frame.meta.flags, rpc::flag_terminate_stream);
    EXPECT_EQ(frame.header(":content-type"), "application/json");
    EXPECT_EQ(frame.header("service-model-type"), "<absent>");
    EXPECT_EQ(
        frame.message.payload,
        R"({ "error": "Unsupported Operation", "message": "aws.greengrass#Nope is an unsupported operation." })");
}

TEST_F(dispatcher_test, publish_reaches_subscribers_before_the_response_is_returned) {
    auto subscription = call("com.example.Pub", "aws.greengrass#SubscribeToTopic",
                             R"({"topic":"sensors/x","receiveMode":"RECEIVE_ALL_MESSAGES"})", 1);
    ASSERT_NE(subscription.stream, nullptr);
    call("com.example.Pub", "aws.greengrass#PublishToTopic",
         R"({"topic":"sensors/x","publishMessage":{"binaryMessage":{"message":"aGk="}}})", 2);
    ASSERT_EQ(sink->events.size(), 1u);
    EXPECT_EQ(sink->events[0].stream_id, 1);
}

}  // namespace
}  // namespace standin::server
