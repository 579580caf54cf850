// SPDX-License-Identifier: Apache-2.0
// The dispatcher's uniform steps on a real server_state, with frames decoded back for checking.
#include "rpc/dispatcher.hpp"

#include <gtest/gtest.h>

#include "daemon/server_state.hpp"
#include "fake_writer.hpp"
#include "recipes/recipe.hpp"
#include "standin/protocol/frame_decoder.hpp"
#include "standin/protocol/rpc.hpp"

namespace standin::server {
namespace {

namespace rpc = protocol::rpc;

constexpr const char* publisher_recipe = R"(
RecipeFormatVersion: '2020-01-25'
ComponentName: com.example.Pub
ComponentVersion: 1.0.0
ComponentConfiguration:
  DefaultConfiguration:
    accessControl:
      aws.greengrass.ipc.pubsub:
        com.example.Pub:pubsub:1:
          operations: [aws.greengrass#PublishToTopic, aws.greengrass#SubscribeToTopic]
          resources: ['sensors/*']
Manifests:
  - Platform: {os: linux}
    Lifecycle: {Run: 'true'}
)";

constexpr const char* stranger_recipe = R"(
RecipeFormatVersion: '2020-01-25'
ComponentName: com.example.Stranger
ComponentVersion: 1.0.0
Manifests:
  - Platform: {os: linux}
    Lifecycle: {Run: 'true'}
)";

struct decoded {
    protocol::message message;
    rpc::metadata meta;
    std::string header(std::string_view name) const {
        const auto* h = message.find(name);
        return h ? std::get<std::string>(h->value) : std::string{"<absent>"};
    }
    nlohmann::json body() const { return nlohmann::json::parse(message.payload); }
};

decoded decode(const protocol::encoded_frame& frame) {
    const auto bytes = frame.to_string();
    decoded out;
    const auto ec = protocol::decode_frame(
        {reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size()}, {}, out.message);
    EXPECT_FALSE(ec) << ec.message();
    out.meta = rpc::extract_metadata(out.message).value();
    return out;
}

class dispatcher_test : public ::testing::Test {
protected:
    dispatcher_test() : state{{}, {}} {
        state.add_component(parse_recipe(publisher_recipe, "pub.yaml"));
        state.add_component(parse_recipe(stranger_recipe, "stranger.yaml"));
    }

    dispatch_result call(const std::string& caller, std::string_view operation, std::string_view payload,
                         std::int32_t stream_id = 1) {
        operation_call c{state, caller, stream_id, writer};
        return dispatch(c, operation, payload);
    }

    server_state state;
    testing::fake_writer writer;
};

TEST_F(dispatcher_test, publish_answers_an_empty_response_with_terminate) {
    const auto result =
        call("com.example.Pub", "aws.greengrass#PublishToTopic",
             R"({"topic":"sensors/t","publishMessage":{"jsonMessage":{"message":{"a":1}}}})");
    EXPECT_TRUE(result.terminates);
    const auto frame = decode(result.frame);
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
    const auto frame = decode(result.frame);
    EXPECT_EQ(frame.meta.flags, 0);
    EXPECT_EQ(frame.header("service-model-type"), "aws.greengrass#SubscribeToTopicResponse");
    EXPECT_EQ(state.pubsub().subscription_count(), 1u);
    result.stream.reset();
    EXPECT_EQ(state.pubsub().subscription_count(), 0u);
}

TEST_F(dispatcher_test, unauthorized_publish_gets_the_nucleus_message) {
    const auto result = call("com.example.Stranger", "aws.greengrass#PublishToTopic",
                             R"({"topic":"sensors/t","publishMessage":{"jsonMessage":{"message":{}}}})");
    const auto frame = decode(result.frame);
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
    auto frame = decode(call("com.example.Pub", "aws.greengrass#PublishToTopic",
                             R"({"topic":"other/#","publishMessage":{"jsonMessage":{"message":{}}}})")
                            .frame);
    EXPECT_EQ(frame.header("service-model-type"), "aws.greengrass#UnauthorizedError");
    // Inside the policy's glob, the wildcard is an argument error.
    frame = decode(call("com.example.Pub", "aws.greengrass#PublishToTopic",
                        R"({"topic":"sensors/#","publishMessage":{"jsonMessage":{"message":{}}}})")
                       .frame);
    EXPECT_EQ(frame.header("service-model-type"), "aws.greengrass#InvalidArgumentsError");
    EXPECT_EQ(frame.body()["message"], "Publish topic must not contain a wildcard.");
}

TEST_F(dispatcher_test, a_missing_topic_passes_authorization_and_fails_validation) {
    const auto frame = decode(call("com.example.Pub", "aws.greengrass#PublishToTopic",
                                   R"({"publishMessage":{"jsonMessage":{}}})")
                                  .frame);
    EXPECT_EQ(frame.header("service-model-type"), "aws.greengrass#InvalidArgumentsError");
    EXPECT_EQ(frame.body()["message"], "Publish topic must not be null");
}

TEST_F(dispatcher_test, an_empty_topic_is_refused_by_authorization) {
    const auto frame = decode(call("com.example.Pub", "aws.greengrass#PublishToTopic",
                                   R"({"topic":"","publishMessage":{"jsonMessage":{}}})")
                                  .frame);
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
            decode(call("com.example.Pub", "aws.greengrass#PublishToTopic", payload).frame);
        EXPECT_EQ(frame.meta.type, 1) << payload;
        EXPECT_EQ(frame.meta.flags, rpc::flag_terminate_stream);
        EXPECT_EQ(frame.header(":content-type"), "text/plain");
        EXPECT_EQ(frame.header("service-model-type"), "<absent>");
        EXPECT_EQ(frame.message.payload, "InternalServerError");
    }
}

TEST_F(dispatcher_test, modeled_but_unserved_operations_answer_not_supported) {
    const auto frame = decode(call("com.example.Pub", "aws.greengrass#GetThingShadow", "{}").frame);
    EXPECT_EQ(frame.header("service-model-type"), "aws.greengrass#ServiceError");
    EXPECT_EQ(frame.body()["message"],
              "Operation aws.greengrass#GetThingShadow is not supported by Greengrass");
}

TEST_F(dispatcher_test, unknown_operations_get_the_framework_answer) {
    const auto frame = decode(call("com.example.Pub", "aws.greengrass#Nope", "{}").frame);
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
    ASSERT_EQ(writer.events.size(), 1u);
    EXPECT_EQ(writer.events[0].stream_id, 1);
}

}  // namespace
}  // namespace standin::server
