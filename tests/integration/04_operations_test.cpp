// SPDX-License-Identifier: Apache-2.0
// Operation routing: unknown names, modeled operations without a handler, unparsable requests
// (protocol.md §4.1, §4.4; semantics.md §0).
#include "integration_common.hpp"

namespace standin::test::integration {
namespace {

using Operations = IntegrationTest;

TEST_F(Operations, UnknownOperationGetsTheUnsupportedOperationFrame) {
    raw_client c = connected(comp_a);
    const auto id = c.request("aws.greengrass#Nope", json::object());
    const auto error = c.read_frame();
    ASSERT_TRUE(error.has_value());
    const auto& msg = error->message;
    SCOPED_TRACE(frames::describe(msg));
    EXPECT_EQ(frames::int_header(msg, ":message-type"), 1);
    EXPECT_EQ(frames::int_header(msg, ":message-flags"), 2);
    EXPECT_EQ(frames::int_header(msg, ":stream-id"), id);
    EXPECT_EQ(frames::string_header(msg, ":content-type"), "application/json");
    EXPECT_EQ(msg.find("service-model-type"), nullptr);
    EXPECT_EQ(
        msg.payload,
        R"({ "error": "Unsupported Operation", "message": "aws.greengrass#Nope is an unsupported operation." })");
    // Byte-exact: :content-type first, then the RPC headers.
    const auto expected = frames::encode(frames::rpc_message(
        rpc::message_type::application_error, 2, id, {frames::str(":content-type", "application/json")},
        R"({ "error": "Unsupported Operation", "message": "aws.greengrass#Nope is an unsupported operation." })"));
    EXPECT_EQ(frames::to_hex(error->bytes), frames::to_hex(expected));
    // The stream is closed, the connection is not.
    expect_nothing_more(c);
    publish(c, publish_json("after/unknown", {{"x", 1}}));
}

TEST_F(Operations, OperationOutsideTheServiceNamespaceIsUnknown) {
    raw_client c = connected(comp_a);
    const auto id = c.request("PublishToTopic", publish_json("t", {{"x", 1}}));
    const auto error = c.read_message();
    ASSERT_TRUE(error.has_value());
    EXPECT_EQ(frames::int_header(*error, ":stream-id"), id);
    EXPECT_EQ(frames::int_header(*error, ":message-type"), 1);
    EXPECT_EQ(
        error->payload,
        R"({ "error": "Unsupported Operation", "message": "PublishToTopic is an unsupported operation." })");
}

// Every operation is served; `--profile lite` serves only lite's, so the others are a nucleus's
// operations without their plugin.
class OperationsOnLite : public IntegrationTest {
protected:
    daemon_config config() override {
        auto c = IntegrationTest::config();
        c.extra_args = {"--profile", "lite"};
        return c;
    }
};

TEST_F(OperationsOnLite, ModeledOperationWithoutHandlerIsServiceError) {
    // semantics.md §0: "Operation aws.greengrass#<Op> is not supported by Greengrass" (the nucleus
    // registers DefaultOperationHandler for every model operation). GetSecretValue: lite does not
    // serve it.
    raw_client c = connected(comp_a);
    const auto id = c.request("aws.greengrass#GetSecretValue", json{{"secretId", "s"}});
    const auto error = c.read_message();
    ASSERT_TRUE(error.has_value());
    SCOPED_TRACE(frames::describe(*error));
    EXPECT_EQ(frames::int_header(*error, ":message-type"), 1);
    EXPECT_EQ(frames::int_header(*error, ":message-flags"), 2);
    EXPECT_EQ(frames::int_header(*error, ":stream-id"), id);
    EXPECT_EQ(frames::string_header(*error, ":content-type"), "application/json");
    EXPECT_EQ(frames::string_header(*error, "service-model-type"), "aws.greengrass#ServiceError");
    EXPECT_EQ(frames::header_names(*error), response_header_order());
    // ServiceError may add `context`; the four envelope keys must be there.
    auto body = frames::json_of(*error);
    ASSERT_TRUE(body.is_object()) << error->payload;
    body.erase("context");
    EXPECT_EQ(body,
              error_body("ServiceError",
                         "Operation aws.greengrass#GetSecretValue is not supported by Greengrass"));
    expect_nothing_more(c);
}

TEST_F(Operations, MalformedJsonRequestIsInternalServerError) {
    raw_client c = connected(comp_a);
    c.send(frames::request_raw(1, op_publish, R"({"topic": "t", "publishMessage": )"));
    const auto error = c.read_message();
    ASSERT_TRUE(error.has_value());
    expect_internal_server_error(*error, 1);
    expect_nothing_more(c);
    // The connection keeps working.
    const auto id = c.request(op_publish, publish_json("after/bad/json", {{"x", 1}}));
    EXPECT_EQ(id, 2);
    const auto response = c.read_message();
    ASSERT_TRUE(response.has_value());
    expect_application_message(*response, 2, 2, "aws.greengrass#PublishToTopicResponse");
}

TEST_F(Operations, NonObjectJsonRequestIsInternalServerError) {
    raw_client c = connected(comp_a);
    c.send(frames::request_raw(1, op_subscribe, R"(["topic"])"));
    const auto error = c.read_message();
    ASSERT_TRUE(error.has_value());
    expect_internal_server_error(*error, 1);
    expect_nothing_more(c);
}

TEST_F(Operations, FirstMessageWithTerminateIsNotProcessed) {
    // protocol.md §4.1: a first message with TERMINATE is not processed and gets no reply.
    raw_client sub = connected(comp_b);
    subscribe(sub, subscribe_json("term/first"));
    raw_client c = connected(comp_a);
    auto msg = frames::request(1, op_publish, publish_json("term/first", {{"x", 1}}));
    for (auto& h : msg.headers) {
        if (h.name == ":message-flags") h.value = std::int32_t{2};
    }
    c.send(msg);
    expect_nothing_more(c);
    expect_nothing_more(sub);
}

}  // namespace
}  // namespace standin::test::integration
