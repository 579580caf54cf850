// SPDX-License-Identifier: Apache-2.0
// Shared by the integration tests: the test components and their recipes, a fixture that runs one
// daemon per test, and assertions on the frames the spec fixes.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "standin/model/base64.hpp"
#include "standin/protocol/rpc.hpp"
#include "standin/test/daemon_process.hpp"
#include "standin/test/frames.hpp"
#include "standin/test/gtest_layer.hpp"
#include "standin/test/raw_client.hpp"

namespace standin::test::integration {

namespace rpc = protocol::rpc;
using nlohmann::json;

// Test components. A and B may publish and subscribe anywhere; Limited only under test/;
// Other only under other/; PubOnly may publish anywhere but not subscribe; None has no policy.
inline constexpr const char* comp_a = "com.test.A";
inline constexpr const char* comp_b = "com.test.B";
inline constexpr const char* comp_limited = "com.test.Limited";
inline constexpr const char* comp_other = "com.test.Other";
inline constexpr const char* comp_pub_only = "com.test.PubOnly";
inline constexpr const char* comp_none = "com.test.None";

inline constexpr std::string_view op_publish = "aws.greengrass#PublishToTopic";
inline constexpr std::string_view op_subscribe = "aws.greengrass#SubscribeToTopic";
inline constexpr std::string_view op_publish_iot = "aws.greengrass#PublishToIoTCore";
inline constexpr std::string_view op_subscribe_iot = "aws.greengrass#SubscribeToIoTCore";

// A JSON recipe with one pubsub policy (or none when `operations` is empty).
inline recipe_file pubsub_recipe(const std::string& component,
                                 const std::vector<std::string>& operations,
                                 const std::vector<std::string>& resources) {
    json configuration = json::object();
    if (!operations.empty()) {
        configuration["accessControl"] = {{"aws.greengrass.ipc.pubsub",
                                           {{component + ":pubsub:1",
                                             {{"policyDescription", "integration test policy"},
                                              {"operations", operations},
                                              {"resources", resources}}}}}};
    }
    json recipe = {{"RecipeFormatVersion", "2020-01-25"},
                   {"ComponentName", component},
                   {"ComponentVersion", "1.0.0"},
                   {"ComponentDescription", "integration test component"},
                   {"ComponentPublisher", "standin tests"},
                   {"ComponentConfiguration", {{"DefaultConfiguration", configuration}}},
                   {"Manifests",
                    json::array({{{"Platform", {{"os", "linux"}}}, {"Lifecycle", {{"Run", "true"}}}}})}};
    return recipe_file{component + ".json", recipe.dump(2)};
}

inline std::vector<recipe_file> standard_recipes() {
    const std::vector<std::string> both{std::string{op_publish}, std::string{op_subscribe}};
    return {
        pubsub_recipe(comp_a, both, {"*"}),
        pubsub_recipe(comp_b, both, {"*"}),
        pubsub_recipe(comp_limited, both, {"test/*"}),
        pubsub_recipe(comp_other, both, {"other/*"}),
        pubsub_recipe(comp_pub_only, {std::string{op_publish}}, {"*"}),
        pubsub_recipe(comp_none, {}, {}),
    };
}

// PublishToTopic request bodies.
inline json publish_json(std::string_view topic, const json& message) {
    return {{"topic", topic}, {"publishMessage", {{"jsonMessage", {{"message", message}}}}}};
}
inline json publish_binary(std::string_view topic, std::string_view base64) {
    return {{"topic", topic}, {"publishMessage", {{"binaryMessage", {{"message", base64}}}}}};
}
inline std::string b64(std::string_view bytes) {
    return model::base64_encode(bytes);
}

// A PublishToIoTCore request body.
inline json iot_publish_body(std::string_view topic, std::string_view payload,
                             std::string_view qos = "1") {
    return {{"topicName", topic}, {"payload", b64(payload)}, {"qos", qos}};
}

inline json subscribe_json(std::string_view topic) {
    return {{"topic", topic}};
}
inline json subscribe_json(std::string_view topic, std::string_view receive_mode) {
    return {{"topic", topic}, {"receiveMode", receive_mode}};
}

// The event a subscriber gets for a JSON publish on `topic`.
inline json json_event(std::string_view topic, const json& message) {
    return {{"jsonMessage", {{"message", message}, {"context", {{"topic", topic}}}}}};
}
inline json binary_event(std::string_view topic, std::string_view base64) {
    return {{"binaryMessage", {{"message", base64}, {"context", {{"topic", topic}}}}}};
}

// The modeled error body of protocol.md §4.4.
inline json error_body(std::string_view error_code, std::string_view message) {
    return {{"message", message},
            {"_service", "aws.greengrass#GreengrassCoreIPC"},
            {"_message", message},
            {"_errorCode", error_code}};
}

inline std::vector<std::string> response_header_order() {
    return {":content-type", "service-model-type", ":message-type", ":message-flags", ":stream-id"};
}

// An application message of `shape` on `stream_id`: type 0, the given flags, JSON content type.
inline void expect_application_message(const protocol::message& msg, std::int32_t stream_id,
                                       std::int32_t flags, std::string_view shape) {
    SCOPED_TRACE(frames::describe(msg));
    EXPECT_EQ(frames::int_header(msg, ":message-type"), 0);
    EXPECT_EQ(frames::int_header(msg, ":message-flags"), flags);
    EXPECT_EQ(frames::int_header(msg, ":stream-id"), stream_id);
    EXPECT_EQ(frames::string_header(msg, ":content-type"), "application/json");
    EXPECT_EQ(frames::string_header(msg, "service-model-type"), std::string{shape});
    EXPECT_EQ(frames::header_names(msg), response_header_order());
}

// The modeled error frame of protocol.md §4.4 with exactly the four keys.
inline void expect_modeled_error(const protocol::message& msg, std::int32_t stream_id,
                                 std::string_view error_code, std::string_view message) {
    SCOPED_TRACE(frames::describe(msg));
    EXPECT_EQ(frames::int_header(msg, ":message-type"), 1);
    EXPECT_EQ(frames::int_header(msg, ":message-flags"), 2);
    EXPECT_EQ(frames::int_header(msg, ":stream-id"), stream_id);
    EXPECT_EQ(frames::string_header(msg, ":content-type"), "application/json");
    EXPECT_EQ(frames::string_header(msg, "service-model-type"),
              "aws.greengrass#" + std::string{error_code});
    EXPECT_EQ(frames::header_names(msg), response_header_order());
    EXPECT_EQ(frames::json_of(msg), error_body(error_code, message));
}

// Sends `request` as `op` and expects the modeled error `code` with `message` as its reply.
inline void expect_call_error(raw_client& c, std::string_view op, const json& request,
                              std::string_view code, std::string_view message) {
    SCOPED_TRACE(std::string{op} + " " + request.dump());
    const auto id = c.request(op, request);
    const auto reply = c.read_message();
    ASSERT_TRUE(reply) << "no reply";
    expect_modeled_error(*reply, id, code, message);
}

// Sends `request` as `op`, expects its terminating response of `shape` and returns the body
// (null, with a failure, when no reply came).
inline json expect_call_response(raw_client& c, std::string_view op, const json& request,
                                 std::string_view shape) {
    SCOPED_TRACE(std::string{op} + " " + request.dump());
    const auto id = c.request(op, request);
    const auto reply = c.read_message();
    if (!reply) {
        ADD_FAILURE() << "no reply";
        return {};
    }
    expect_application_message(*reply, id, 2, shape);
    return frames::json_of(*reply);
}

// PROTOCOL_ERROR (type 6, flags 0, stream 0, :content-type application/json, exact payload)
// followed by the server closing the connection with nothing else sent (protocol.md §2.3).
inline void expect_protocol_error_then_close(raw_client& client, std::string_view payload) {
    const auto msg = client.read_message();
    ASSERT_TRUE(msg.has_value()) << "expected PROTOCOL_ERROR; eof=" << client.eof();
    SCOPED_TRACE(frames::describe(*msg));
    EXPECT_EQ(frames::int_header(*msg, ":message-type"), 6);
    EXPECT_EQ(frames::int_header(*msg, ":message-flags"), 0);
    EXPECT_EQ(frames::int_header(*msg, ":stream-id"), 0);
    EXPECT_EQ(frames::string_header(*msg, ":content-type"), "application/json");
    EXPECT_EQ(msg->payload, payload);
    std::vector<protocol::message> after;
    EXPECT_TRUE(client.expect_closed(default_timeout, &after))
        << "the server did not close the connection";
    EXPECT_TRUE(after.empty()) << frames::describe(after);
}

// The server closes the connection without sending anything (framing errors, protocol.md §1.3).
inline void expect_closed_silently(raw_client& client) {
    std::vector<protocol::message> before;
    EXPECT_TRUE(client.expect_closed(default_timeout, &before))
        << "the server did not close the connection";
    EXPECT_TRUE(before.empty()) << "expected no reply: " << frames::describe(before);
    EXPECT_FALSE(client.framing_error());
}

// The Java framework's non-modeled error: text/plain "InternalServerError", no model type.
inline void expect_internal_server_error(const protocol::message& msg, std::int32_t stream_id) {
    SCOPED_TRACE(frames::describe(msg));
    EXPECT_EQ(frames::int_header(msg, ":message-type"), 1);
    EXPECT_EQ(frames::int_header(msg, ":message-flags"), 2);
    EXPECT_EQ(frames::int_header(msg, ":stream-id"), stream_id);
    EXPECT_EQ(frames::string_header(msg, ":content-type"), "text/plain");
    EXPECT_EQ(msg.find("service-model-type"), nullptr);
    EXPECT_EQ(frames::header_names(msg), (std::vector<std::string>{":content-type", ":message-type",
                                                                   ":message-flags", ":stream-id"}));
    EXPECT_EQ(msg.payload, "InternalServerError");
}

// A ping barrier on `c` proves that nothing else was sent to it: the daemon answers a connection's
// frames in order, so anything it sent before the PING_RESPONSE arrives first.
inline void expect_nothing_more(raw_client& c) {
    EXPECT_TRUE(nothing_more_arrives(c));
}

// Payloads of protocol.md §2.3, byte for byte.
namespace pe {
inline constexpr std::string_view invalid_stream_id =
    R"({ "message": "non-zero stream-id field is only allowed for messages of type APPLICATION_MESSAGE. The stream id max value is INT32_MAX." })";
inline constexpr std::string_view invalid_client_stream_id =
    R"({ "message": "stream-id values must be monotonically incrementing. A stream-id arrived that was lower than the last seen stream-id." })";
inline constexpr std::string_view invalid_new_client_stream_id =
    R"({ "message": "stream-id values must be monotonically incrementing. A new stream-id arrived that was incremented by more than 1." })";
inline constexpr std::string_view invalid_message_type =
    R"({ "message": "an invalid value for message-type field was received." })";
inline constexpr std::string_view invalid_message =
    R"({ "message": "A message was received with missing required fields. Check that your client is sending at least, :message-type, :message-flags, and :stream-id" })";
inline constexpr std::string_view connect_not_completed =
    R"({ "message": "A CONNECT message must be received, and the CONNECT_ACK must be sent in response, before any other message-types can be sent on this connection. In addition, only one CONNECT message is allowed on a connection." })";
inline constexpr std::string_view missing_operation_name =
    R"({ "message": "The first message for on a non-zero :stream-id must contain an operation header value."; })";
}  // namespace pe

// One daemon per test, with the standard components unless a test overrides config().
class IntegrationTest : public ::testing::Test {
protected:
    virtual daemon_config config() {
        return daemon_config{standard_recipes(), {}, std::chrono::milliseconds{10000}};
    }

    void SetUp() override { daemon_ = std::make_unique<daemon_process>(config()); }
    void TearDown() override { daemon_.reset(); }

    daemon_process& daemon() { return *daemon_; }
    raw_client client() { return raw_client{daemon_->socket_path()}; }
    // A client whose CONNECT was accepted for `component`.
    raw_client connected(const std::string& component) {
        raw_client c = client();
        c.connect_or_throw(daemon_->token(component));
        return c;
    }

    // Subscribes on a new stream and checks the response (flags 0, no TERMINATE); returns the stream id.
    std::int32_t subscribe(raw_client& c, const json& request) {
        const auto id = c.request(op_subscribe, request);
        const auto response = c.read_message();
        if (!response) {
            ADD_FAILURE() << "no SubscribeToTopic response";
            return id;
        }
        expect_application_message(*response, id, 0, "aws.greengrass#SubscribeToTopicResponse");
        EXPECT_TRUE(frames::json_of(*response).is_object()) << response->payload;
        return id;
    }

    // Publishes and checks the response (flags TERMINATE, PublishToTopicResponse, {}).
    void publish(raw_client& c, const json& request) {
        const auto id = c.request(op_publish, request);
        const auto response = c.read_message();
        if (!response) {
            ADD_FAILURE() << "no PublishToTopic response";
            return;
        }
        expect_application_message(*response, id, 2, "aws.greengrass#PublishToTopicResponse");
        EXPECT_EQ(response->payload, "{}");
    }

    // A fresh pair of clients still gets served: connect, subscribe, publish, receive, barrier.
    void expect_still_served() {
        SCOPED_TRACE("a fresh client is still served");
        raw_client sub = connected(comp_b);
        raw_client pub = connected(comp_a);
        const auto sid = subscribe(sub, subscribe_json("health/check"));
        publish(pub, publish_json("health/check", {{"ok", true}}));
        const auto event = sub.read_message();
        ASSERT_TRUE(event.has_value()) << "the subscriber got no event";
        expect_application_message(*event, sid, 0, "aws.greengrass#SubscriptionResponseMessage");
        EXPECT_EQ(frames::json_of(*event), json_event("health/check", {{"ok", true}}));
        const auto rest = sub.ping_barrier();
        ASSERT_TRUE(rest.has_value());
        EXPECT_TRUE(rest->empty()) << frames::describe(*rest);
    }

    std::unique_ptr<daemon_process> daemon_;
};

}  // namespace standin::test::integration
