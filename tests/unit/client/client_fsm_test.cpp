// SPDX-License-Identifier: Apache-2.0
// client_fsm driven with synthetic server messages, no sockets: the handshake, stream ids, every
// kind of reply (response, event, modeled error, InternalServerError, unknown operation, TERMINATE),
// connection-level errors and the end of the connection.
#include "client_fsm.hpp"

#include <gtest/gtest.h>

#include "client_test_support.hpp"

namespace standin::client::detail {
namespace {

using namespace standin::client::test;

constexpr std::string_view op_publish = "aws.greengrass#PublishToTopic";
constexpr std::string_view op_subscribe = "aws.greengrass#SubscribeToTopic";
constexpr std::string_view publish_response = "aws.greengrass#PublishToTopicResponse";
constexpr std::string_view subscribe_response = "aws.greengrass#SubscribeToTopicResponse";

template <class A>
const A& as(const action_t& a) {
    const auto* p = std::get_if<A>(&a);
    if (p == nullptr)
        throw std::runtime_error("unexpected action kind, index " + std::to_string(a.index()));
    return *p;
}

class client_fsm_test : public ::testing::Test {
protected:
    client_fsm fsm;

    std::vector<action_t> feed(const protocol::message& msg) {
        std::vector<action_t> out;
        fsm.on_message(msg, out);
        return out;
    }

    void connected() {
        ASSERT_TRUE(fsm.connect("TOKEN"));
        const auto out = feed(connect_ack(true));
        ASSERT_EQ(out.size(), 1u);
        ASSERT_TRUE(std::holds_alternative<action::connect_accepted>(out[0]));
        ASSERT_EQ(fsm.current_state(), client_fsm::state::connected);
    }

    std::int32_t open(std::string_view op = op_publish, stream_kind kind = stream_kind::unary,
                      std::string_view payload = "{}") {
        auto out = fsm.open_stream(op, payload, kind);
        if (!out) throw std::runtime_error(out.error().what());
        return out->stream_id;
    }

    static void expect_terminate(const action_t& a, std::int32_t stream_id) {
        const auto msg = decode(as<action::send>(a).frame);
        EXPECT_EQ(header_names(msg),
                  (std::vector<std::string>{":message-type", ":message-flags", ":stream-id"}));
        const auto meta = rpc::extract_metadata(msg);
        ASSERT_TRUE(meta);
        EXPECT_EQ(meta->type, 0);
        EXPECT_EQ(meta->flags, rpc::flag_terminate_stream);
        EXPECT_EQ(meta->stream_id, stream_id);
        EXPECT_TRUE(msg.payload.empty());
    }

    static void expect_connection_failed(const std::vector<action_t>& out, errc code,
                                         std::string_view message_part = {}) {
        ASSERT_EQ(out.size(), 1u);
        const auto& failed = as<action::connection_failed>(out[0]);
        EXPECT_EQ(failed.error.code, make_error_code(code)) << failed.error.what();
        EXPECT_NE(failed.error.message.find(message_part), std::string::npos) << failed.error.message;
    }
};

// --- Handshake -----------------------------------------------------------------------------------

TEST_F(client_fsm_test, ConnectIsTheFrameTheJsSdkSends) {
    // protocol.md §3.2 [PROBE]: headers [:version="0.1.0", :message-type=4, :message-flags=0,
    // :stream-id=0], payload {"authToken":"ABCDEFGHIJKLMNOP"}.
    auto frame = fsm.connect("ABCDEFGHIJKLMNOP");
    ASSERT_TRUE(frame);
    const protocol::message expected{{{":version", std::string{"0.1.0"}},
                                      {":message-type", std::int32_t{4}},
                                      {":message-flags", std::int32_t{0}},
                                      {":stream-id", std::int32_t{0}}},
                                     R"({"authToken":"ABCDEFGHIJKLMNOP"})"};
    EXPECT_EQ(decode(*frame), expected);
    EXPECT_EQ(frame->to_string(), encode(expected));
    EXPECT_EQ(fsm.current_state(), client_fsm::state::awaiting_ack);
}

TEST_F(client_fsm_test, ConnectPayloadEscapesTheToken) {
    auto frame = fsm.connect(R"(a"b\c)");
    ASSERT_TRUE(frame);
    EXPECT_EQ(decode(*frame).payload, R"({"authToken":"a\"b\\c"})");
}

TEST_F(client_fsm_test, ConnectOnlyOnce) {
    ASSERT_TRUE(fsm.connect("T"));
    const auto again = fsm.connect("T");
    ASSERT_FALSE(again);
    EXPECT_EQ(again.error(), errc::already_connected);
}

TEST_F(client_fsm_test, AcceptedAck) {
    connected();
    EXPECT_EQ(fsm.next_stream_id(), 1);
}

TEST_F(client_fsm_test, RejectedAckClosesTheConnection) {
    ASSERT_TRUE(fsm.connect("BAD"));
    const auto out = feed(connect_ack(false));
    ASSERT_EQ(out.size(), 1u);
    EXPECT_TRUE(std::holds_alternative<action::connect_rejected>(out[0]));
    EXPECT_EQ(fsm.current_state(), client_fsm::state::closed);
    EXPECT_EQ(fsm.open_stream(op_publish, "{}", stream_kind::unary).error(), errc::closed);
}

TEST_F(client_fsm_test, AckExtraHeadersAndPayloadAreIgnored) {
    ASSERT_TRUE(fsm.connect("T"));
    const auto out = feed(server_message(message_type::connect_ack, rpc::flag_connection_accepted, 0,
                                         {{"svcuid", std::string{"X"}}}, "{}"));
    ASSERT_EQ(out.size(), 1u);
    EXPECT_TRUE(std::holds_alternative<action::connect_accepted>(out[0]));
}

TEST_F(client_fsm_test, AnythingButAnAckBeforeTheAckIsAProtocolError) {
    ASSERT_TRUE(fsm.connect("T"));
    expect_connection_failed(feed(server_message(message_type::ping_response, 0, 0)),
                             errc::protocol_error, "before CONNECT_ACK");
}

TEST_F(client_fsm_test, StreamMessageBeforeTheAckIsAProtocolError) {
    ASSERT_TRUE(fsm.connect("T"));
    expect_connection_failed(feed(response(1, publish_response, "{}")), errc::protocol_error,
                             "before CONNECT_ACK");
}

TEST_F(client_fsm_test, ProtocolErrorBeforeTheAckCarriesTheServersMessage) {
    ASSERT_TRUE(fsm.connect("T"));
    expect_connection_failed(
        feed(server_message(message_type::protocol_error, 0, 0,
                            {{":content-type", std::string{"application/json"}}},
                            R"({ "message": "A CONNECT message must be received" })")),
        errc::protocol_error, "A CONNECT message must be received");
}

TEST_F(client_fsm_test, MessagesBeforeConnectAreIgnored) {
    EXPECT_TRUE(feed(connect_ack(true)).empty());
    EXPECT_EQ(fsm.current_state(), client_fsm::state::idle);
}

// --- Requests ------------------------------------------------------------------------------------

TEST_F(client_fsm_test, NoStreamBeforeTheAck) {
    EXPECT_EQ(fsm.open_stream(op_publish, "{}", stream_kind::unary).error(), errc::not_connected);
    ASSERT_TRUE(fsm.connect("T"));
    EXPECT_EQ(fsm.open_stream(op_publish, "{}", stream_kind::unary).error(), errc::not_connected);
}

TEST_F(client_fsm_test, StreamIdsCountFromOne) {
    connected();
    EXPECT_EQ(open(), 1);
    EXPECT_EQ(open(op_subscribe, stream_kind::streaming), 2);
    EXPECT_EQ(open(), 3);
    EXPECT_EQ(fsm.stream_count(), 3u);
    EXPECT_EQ(fsm.next_stream_id(), 4);
}

TEST_F(client_fsm_test, RequestIsTheFrameTheJsSdkSends) {
    // protocol.md §4.1 [PROBE]: JS PublishToTopic on stream 1: headers [:message-type=0,
    // :message-flags=0, :stream-id=1, operation="aws.greengrass#PublishToTopic"], JSON.stringify body.
    connected();
    const std::string payload = R"({"topic":"t","publishMessage":{"jsonMessage":{"message":{"a":1}}}})";
    auto out = fsm.open_stream(op_publish, payload, stream_kind::unary);
    ASSERT_TRUE(out);
    const protocol::message expected{{{":message-type", std::int32_t{0}},
                                      {":message-flags", std::int32_t{0}},
                                      {":stream-id", std::int32_t{1}},
                                      {"operation", std::string{op_publish}}},
                                     payload};
    EXPECT_EQ(decode(out->frame), expected);
    EXPECT_EQ(out->frame.to_string(), encode(expected));
}

TEST_F(client_fsm_test, RequestInThePythonSdksStyle) {
    client_fsm python{client_fsm::options{request_headers::python_sdk}};
    ASSERT_TRUE(python.connect("T"));
    std::vector<action_t> ignored;
    python.on_message(connect_ack(true), ignored);
    auto out = python.open_stream(op_publish, "{}", stream_kind::unary);
    ASSERT_TRUE(out);
    const protocol::message expected{
        {{":content-type", std::string{"application/json"}},
         {"service-model-type", std::string{"aws.greengrass#PublishToTopicRequest"}},
         {":message-type", std::int32_t{0}},
         {":message-flags", std::int32_t{0}},
         {":stream-id", std::int32_t{1}},
         {"operation", std::string{op_publish}}},
        "{}"};
    EXPECT_EQ(decode(out->frame), expected);
}

TEST_F(client_fsm_test, TooLargeRequestDoesNotUseAnId) {
    fsm = client_fsm{client_fsm::options{request_headers::js_sdk, 200}};
    connected();
    const auto big = fsm.open_stream(op_publish, std::string(300, 'x'), stream_kind::unary);
    ASSERT_FALSE(big);
    EXPECT_EQ(big.error(), errc::request_too_large);
    EXPECT_EQ(fsm.next_stream_id(), 1);
    EXPECT_EQ(open(), 1);
}

// --- Unary replies -------------------------------------------------------------------------------

TEST_F(client_fsm_test, ResponseWithTerminateCompletesTheCall) {
    connected();
    const auto id = open();
    const auto out = feed(response(id, publish_response, R"({"k":1})"));
    ASSERT_EQ(out.size(), 1u);
    const auto& r = as<action::response>(out[0]);
    EXPECT_EQ(r.stream_id, id);
    EXPECT_EQ(r.body, (nlohmann::json{{"k", 1}}));
    EXPECT_FALSE(fsm.has_stream(id));
}

TEST_F(client_fsm_test, ResponseWithoutTerminateIsClosedByTheClient) {
    // Like the JS SDK, which closes request/response streams itself (protocol.md §4.2, nucleus lite).
    connected();
    const auto id = open();
    const auto out = feed(response(id, publish_response, "{}", 0));
    ASSERT_EQ(out.size(), 2u);
    expect_terminate(out[0], id);
    EXPECT_EQ(as<action::response>(out[1]).stream_id, id);
    EXPECT_FALSE(fsm.has_stream(id));
}

TEST_F(client_fsm_test, ResponsesAreMatchedByStreamId) {
    connected();
    const auto first = open();
    const auto second = open();
    auto out = feed(response(second, publish_response, R"({"n":2})"));
    ASSERT_EQ(out.size(), 1u);
    EXPECT_EQ(as<action::response>(out[0]).stream_id, second);
    EXPECT_EQ(as<action::response>(out[0]).body["n"], 2);
    out = feed(response(first, publish_response, R"({"n":1})"));
    ASSERT_EQ(out.size(), 1u);
    EXPECT_EQ(as<action::response>(out[0]).stream_id, first);
}

TEST_F(client_fsm_test, ResponseOfAnotherShapeFailsTheCall) {
    connected();
    const auto id = open();
    const auto out = feed(response(id, "aws.greengrass#GetConfigurationResponse", "{}", 0));
    ASSERT_EQ(out.size(), 2u);
    expect_terminate(out[0], id);
    const auto& failed = as<action::call_failed>(out[1]);
    EXPECT_EQ(failed.error, errc::unexpected_response);
    EXPECT_NE(failed.error.message.find("aws.greengrass#GetConfigurationResponse"), std::string::npos);
}

TEST_F(client_fsm_test, ResponseThatIsNotJsonFailsTheCall) {
    connected();
    const auto id = open();
    const auto out = feed(response(id, publish_response, "{not json"));
    ASSERT_EQ(out.size(), 1u);
    EXPECT_EQ(as<action::call_failed>(out[0]).error, errc::unexpected_response);
}

TEST_F(client_fsm_test, ModeledErrorCarriesKindMessageAndBody) {
    connected();
    const auto id = open();
    const std::string text =
        "Principal com.test.None is not authorized to perform aws.greengrass.ipc.pubsub:"
        "aws.greengrass#PublishToTopic on resource t";
    const auto out = feed(modeled_error(id, "UnauthorizedError", text));
    ASSERT_EQ(out.size(), 1u);
    const auto& e = as<action::call_failed>(out[0]).error;
    EXPECT_EQ(e, errc::unauthorized_error);
    EXPECT_TRUE(e.is_modeled());
    EXPECT_EQ(e.message, text);
    EXPECT_EQ(e.shape, "aws.greengrass#UnauthorizedError");
    EXPECT_EQ(e.error_code(), "UnauthorizedError");
    EXPECT_EQ(e.body["_service"], "aws.greengrass#GreengrassCoreIPC");
    EXPECT_EQ(e.body["_message"], text);
    EXPECT_EQ(e.what(), "UnauthorizedError: " + text);
    EXPECT_FALSE(fsm.has_stream(id));
}

TEST_F(client_fsm_test, ModeledErrorKeepsItsExtraMembers) {
    connected();
    const auto id = open();
    const auto out = feed(modeled_error(id, "ResourceNotFoundError", "no such thing",
                                        {{"resourceType", "secret"}, {"resourceName", "s1"}}));
    const auto& e = as<action::call_failed>(out.at(0)).error;
    EXPECT_EQ(e, errc::resource_not_found_error);
    EXPECT_EQ(e.body["resourceType"], "secret");
    EXPECT_EQ(e.body["resourceName"], "s1");
}

TEST_F(client_fsm_test, EveryModeledErrorNameHasItsCode) {
    const std::vector<std::pair<std::string, errc>> names{
        {"ServiceError", errc::service_error},
        {"UnauthorizedError", errc::unauthorized_error},
        {"InvalidArgumentsError", errc::invalid_arguments_error},
        {"ResourceNotFoundError", errc::resource_not_found_error},
        {"ComponentNotFoundError", errc::component_not_found_error},
        {"ConflictError", errc::conflict_error},
        {"FailedUpdateConditionCheckError", errc::failed_update_condition_check_error},
        {"InvalidTokenError", errc::invalid_token_error},
        {"InvalidRecipeDirectoryPathError", errc::invalid_recipe_directory_path_error},
        {"InvalidArtifactsDirectoryPathError", errc::invalid_artifacts_directory_path_error},
        {"InvalidCredentialError", errc::invalid_credential_error},
        {"InvalidClientDeviceAuthTokenError", errc::invalid_client_device_auth_token_error},
        {"SomeFutureError", errc::other_modeled_error},
    };
    connected();
    for (const auto& [name, code] : names) {
        const auto id = open();
        const auto out = feed(modeled_error(id, name, "m"));
        const auto& e = as<action::call_failed>(out.at(0)).error;
        EXPECT_EQ(e, code) << name;
        EXPECT_EQ(e.error_code(), name);
        EXPECT_TRUE(e.is_modeled()) << name;
    }
}

TEST_F(client_fsm_test, ErrorCodeMemberWinsOverTheShapeName) {
    connected();
    const auto id = open();
    const auto out =
        feed(server_message(message_type::application_error, rpc::flag_terminate_stream, id,
                            {{"service-model-type", std::string{"aws.greengrass#Odd"}}},
                            R"({"_message":"from _message","_errorCode":"ConflictError"})"));
    const auto& e = as<action::call_failed>(out.at(0)).error;
    EXPECT_EQ(e, errc::conflict_error);
    EXPECT_EQ(e.message, "from _message");  // no `message`: the component SDK's field
    EXPECT_EQ(e.error_code(), "ConflictError");
}

TEST_F(client_fsm_test, NotSupportedOperationIsAServiceError) {
    connected();
    const auto id = open("aws.greengrass#GetSecretValue");
    const auto out = feed(modeled_error(
        id, "ServiceError", "Operation aws.greengrass#GetSecretValue is not supported by Greengrass"));
    const auto& e = as<action::call_failed>(out.at(0)).error;
    EXPECT_EQ(e, errc::service_error);
    EXPECT_EQ(e.message, "Operation aws.greengrass#GetSecretValue is not supported by Greengrass");
}

TEST_F(client_fsm_test, FrameworkErrorShapes) {
    connected();
    const std::vector<std::pair<std::string, errc>> shapes{
        {"aws#AccessDenied", errc::framework_access_denied},
        {"aws#UnsupportedOperation", errc::unsupported_operation},
        {"aws#ValidationException", errc::validation_error},
    };
    for (const auto& [shape, code] : shapes) {
        const auto id = open();
        const auto out = feed(server_message(message_type::application_error, rpc::flag_terminate_stream,
                                             id, {{"service-model-type", shape}}, R"({"message":"m"})"));
        const auto& e = as<action::call_failed>(out.at(0)).error;
        EXPECT_EQ(e, code) << shape;
        EXPECT_EQ(e.message, "m");
        EXPECT_FALSE(e.is_modeled());
    }
}

TEST_F(client_fsm_test, PlainTextInternalServerError) {
    connected();
    const auto id = open();
    const auto out = feed(internal_server_error(id));
    ASSERT_EQ(out.size(), 1u);
    const auto& e = as<action::call_failed>(out[0]).error;
    EXPECT_EQ(e, errc::internal_server_error);
    EXPECT_EQ(e.message, "InternalServerError");
    EXPECT_TRUE(e.shape.empty());
    EXPECT_TRUE(e.body.is_null());
    EXPECT_FALSE(e.is_modeled());
}

TEST_F(client_fsm_test, UnknownOperation) {
    connected();
    const auto id = open("aws.greengrass#NoSuchOperation");
    const auto out = feed(unsupported_operation(id, "aws.greengrass#NoSuchOperation"));
    const auto& e = as<action::call_failed>(out.at(0)).error;
    EXPECT_EQ(e, errc::unsupported_operation);
    EXPECT_EQ(e.message, "aws.greengrass#NoSuchOperation is an unsupported operation.");
    EXPECT_EQ(e.body["error"], "Unsupported Operation");
}

TEST_F(client_fsm_test, ErrorWithoutModelTypeOrKnownBody) {
    connected();
    const auto id = open();
    const auto out = feed(server_message(message_type::application_error, rpc::flag_terminate_stream, id,
                                         {}, R"({"what":"ever"})"));
    const auto& e = as<action::call_failed>(out.at(0)).error;
    EXPECT_EQ(e, errc::unexpected_response);
    EXPECT_EQ(e.body["what"], "ever");
}

TEST_F(client_fsm_test, ErrorWithoutTerminateIsClosedByTheClient) {
    connected();
    const auto id = open();
    const auto out = feed(modeled_error(id, "ServiceError", "m", nlohmann::ordered_json::object(), 0));
    ASSERT_EQ(out.size(), 2u);
    expect_terminate(out[0], id);
    EXPECT_EQ(as<action::call_failed>(out[1]).error, errc::service_error);
}

TEST_F(client_fsm_test, EmptyTerminateBeforeTheResponse) {
    connected();
    const auto id = open();
    const auto out = feed(empty_terminate(id));
    ASSERT_EQ(out.size(), 1u);
    EXPECT_EQ(as<action::call_failed>(out[0]).error, errc::stream_closed_by_server);
}

TEST_F(client_fsm_test, HeaderNamesAreMatchedIgnoringCase) {
    connected();
    const auto id = open();
    const auto out =
        feed(server_message(message_type::application_message, rpc::flag_terminate_stream, id,
                            {{"Service-Model-Type", std::string{publish_response}}}, "{}"));
    ASSERT_EQ(out.size(), 1u);
    EXPECT_TRUE(std::holds_alternative<action::response>(out[0]));
}

// --- Streams -------------------------------------------------------------------------------------

TEST_F(client_fsm_test, SubscriptionResponseOpensTheStreamAndEventsFollow) {
    connected();
    const auto id = open(op_subscribe, stream_kind::streaming, R"({"topic":"t"})");
    auto out = feed(response(id, subscribe_response, "{}", 0));
    ASSERT_EQ(out.size(), 1u);
    EXPECT_EQ(as<action::response>(out[0]).stream_id, id);
    EXPECT_TRUE(fsm.has_stream(id));

    for (int i = 0; i < 3; ++i) {
        out = feed(event(id, R"({"jsonMessage":{"message":{"i":)" + std::to_string(i) + "}}}"));
        ASSERT_EQ(out.size(), 1u);
        const auto& e = as<action::event>(out[0]);
        EXPECT_EQ(e.stream_id, id);
        EXPECT_EQ(e.shape, "aws.greengrass#SubscriptionResponseMessage");
        EXPECT_EQ(e.body["jsonMessage"]["message"]["i"], i);
    }

    out = feed(empty_terminate(id));
    ASSERT_EQ(out.size(), 1u);
    EXPECT_EQ(as<action::stream_ended>(out[0]).error, errc::stream_closed_by_server);
    EXPECT_FALSE(fsm.has_stream(id));
    // Late messages on the closed stream are dropped, as aws-c-event-stream drops them.
    EXPECT_TRUE(feed(event(id, "{}")).empty());
}

TEST_F(client_fsm_test, SubscriptionResponseWithTerminateEndsTheStreamAtOnce) {
    connected();
    const auto id = open(op_subscribe, stream_kind::streaming);
    const auto out = feed(response(id, subscribe_response, "{}", rpc::flag_terminate_stream));
    ASSERT_EQ(out.size(), 2u);
    EXPECT_EQ(as<action::response>(out[0]).stream_id, id);
    EXPECT_EQ(as<action::stream_ended>(out[1]).error, errc::stream_closed_by_server);
}

TEST_F(client_fsm_test, SubscriptionRefused) {
    connected();
    const auto id = open(op_subscribe, stream_kind::streaming);
    const auto out = feed(modeled_error(id, "UnauthorizedError", "no"));
    ASSERT_EQ(out.size(), 1u);
    EXPECT_EQ(as<action::call_failed>(out[0]).error, errc::unauthorized_error);
}

TEST_F(client_fsm_test, ModeledErrorOnAnOpenStreamEndsIt) {
    // The server's slow-subscriber policy closes a stream this way (README, --max-outbound-bytes).
    connected();
    const auto id = open(op_subscribe, stream_kind::streaming);
    feed(response(id, subscribe_response, "{}", 0));
    const auto out = feed(modeled_error(id, "ServiceError", "subscriber too slow"));
    ASSERT_EQ(out.size(), 1u);
    const auto& ended = as<action::stream_ended>(out[0]);
    EXPECT_EQ(ended.stream_id, id);
    EXPECT_EQ(ended.error, errc::service_error);
    EXPECT_EQ(ended.error.message, "subscriber too slow");
}

TEST_F(client_fsm_test, EventWithTerminateIsDeliveredThenEnds) {
    connected();
    const auto id = open(op_subscribe, stream_kind::streaming);
    feed(response(id, subscribe_response, "{}", 0));
    const auto out = feed(event(id, R"({"last":true})", "aws.greengrass#SubscriptionResponseMessage",
                                rpc::flag_terminate_stream));
    ASSERT_EQ(out.size(), 2u);
    EXPECT_EQ(as<action::event>(out[0]).body["last"], true);
    EXPECT_EQ(as<action::stream_ended>(out[1]).error, errc::stream_closed_by_server);
}

TEST_F(client_fsm_test, MalformedEventEndsTheStream) {
    connected();
    const auto id = open(op_subscribe, stream_kind::streaming);
    feed(response(id, subscribe_response, "{}", 0));
    const auto out = feed(server_message(message_type::application_message, 0, id, {}, "{}"));
    ASSERT_EQ(out.size(), 2u);
    expect_terminate(out[0], id);
    EXPECT_EQ(as<action::stream_ended>(out[1]).error, errc::unexpected_response);
}

TEST_F(client_fsm_test, ClientCloseSendsTerminateAndDropsTheCrossingReply) {
    connected();
    const auto id = open(op_subscribe, stream_kind::streaming);
    feed(response(id, subscribe_response, "{}", 0));
    const auto frame = fsm.close_stream(id);
    ASSERT_TRUE(frame);
    expect_terminate(action::send{*frame}, id);
    EXPECT_FALSE(fsm.has_stream(id));
    EXPECT_FALSE(fsm.close_stream(id));  // once
    EXPECT_TRUE(feed(event(id, "{}")).empty());
    EXPECT_TRUE(feed(empty_terminate(id)).empty());
}

TEST_F(client_fsm_test, AbandonedCallDropsTheLateResponse) {
    connected();
    const auto id = open();
    ASSERT_TRUE(fsm.close_stream(id));
    EXPECT_TRUE(feed(response(id, publish_response, "{}")).empty());
}

TEST_F(client_fsm_test, CloseOfAnUnknownStreamSendsNothing) {
    connected();
    EXPECT_FALSE(fsm.close_stream(7));
}

// --- Protocol violations and connection-level errors -------------------------------------------

TEST_F(client_fsm_test, MessageOnAStreamNeverOpenedIsAProtocolError) {
    connected();
    open();
    expect_connection_failed(feed(response(2, publish_response, "{}")), errc::protocol_error,
                             "never opened");
}

TEST_F(client_fsm_test, NegativeStreamIdIsAProtocolError) {
    connected();
    expect_connection_failed(feed(response(-1, publish_response, "{}")), errc::protocol_error);
}

TEST_F(client_fsm_test, ConnectionMessageTypeOnAStreamIsAProtocolError) {
    connected();
    const auto id = open();
    expect_connection_failed(feed(server_message(message_type::ping, 0, id)), errc::protocol_error);
}

TEST_F(client_fsm_test, MissingRpcHeadersIsAProtocolError) {
    connected();
    protocol::message msg{{{":message-type", std::int32_t{0}}, {":stream-id", std::int32_t{0}}}, {}};
    expect_connection_failed(feed(msg), errc::protocol_error, ":message-flags");
}

TEST_F(client_fsm_test, RpcHeadersOfTheWrongTypeAreMissing) {
    connected();
    protocol::message msg{{{":message-type", std::string{"0"}},
                           {":message-flags", std::int32_t{0}},
                           {":stream-id", std::int32_t{0}}},
                          {}};
    expect_connection_failed(feed(msg), errc::protocol_error);
}

TEST_F(client_fsm_test, ServerProtocolError) {
    connected();
    expect_connection_failed(
        feed(server_message(message_type::protocol_error, 0, 0,
                            {{":content-type", std::string{"application/json"}}},
                            R"({ "message": "stream-id values must be monotonically incrementing." })")),
        errc::protocol_error, "stream-id values must be monotonically incrementing.");
}

TEST_F(client_fsm_test, ServerInternalError) {
    connected();
    expect_connection_failed(feed(server_message(message_type::internal_error, 0, 0, {}, "not json")),
                             errc::server_internal_error, "'not json'");
}

TEST_F(client_fsm_test, SecondAckIsAProtocolError) {
    connected();
    expect_connection_failed(feed(connect_ack(true)), errc::protocol_error);
}

TEST_F(client_fsm_test, ApplicationMessageOnStreamZeroIsAProtocolError) {
    connected();
    expect_connection_failed(feed(server_message(message_type::application_message, 0, 0)),
                             errc::protocol_error);
}

// --- Ping ----------------------------------------------------------------------------------------

TEST_F(client_fsm_test, PingAndItsResponse) {
    EXPECT_EQ(fsm.ping().error(), errc::not_connected);
    connected();
    auto frame = fsm.ping("hello");
    ASSERT_TRUE(frame);
    const protocol::message expected{{{":message-type", std::int32_t{2}},
                                      {":message-flags", std::int32_t{0}},
                                      {":stream-id", std::int32_t{0}}},
                                     "hello"};
    EXPECT_EQ(decode(*frame), expected);
    ASSERT_TRUE(fsm.ping());
    EXPECT_EQ(fsm.pending_pings(), 2u);
    auto out = feed(server_message(message_type::ping_response, 0, 0, {}, "hello"));
    ASSERT_EQ(out.size(), 1u);
    EXPECT_EQ(as<action::ping_response>(out[0]).payload, "hello");
    out = feed(server_message(message_type::ping_response, 0, 0));
    ASSERT_EQ(out.size(), 1u);
    // An unsolicited PING_RESPONSE and a server PING are ignored.
    EXPECT_TRUE(feed(server_message(message_type::ping_response, 0, 0)).empty());
    EXPECT_TRUE(feed(server_message(message_type::ping, 0, 0)).empty());
    EXPECT_EQ(fsm.pending_pings(), 0u);
}

// --- End of the connection -----------------------------------------------------------------------

TEST_F(client_fsm_test, DisconnectFailsPendingCallsAndEndsOpenStreams) {
    connected();
    const auto call = open();
    const auto sub = open(op_subscribe, stream_kind::streaming);
    const auto pending_sub = open(op_subscribe, stream_kind::streaming);
    feed(response(sub, subscribe_response, "{}", 0));
    ASSERT_TRUE(fsm.ping());
    std::vector<action_t> out;
    fsm.on_disconnect(error::make(errc::disconnected, "the server closed the connection"), out);
    ASSERT_EQ(out.size(), 3u);
    EXPECT_EQ(as<action::call_failed>(out[0]).stream_id, call);
    EXPECT_EQ(as<action::call_failed>(out[0]).error, errc::disconnected);
    EXPECT_EQ(as<action::stream_ended>(out[1]).stream_id, sub);
    EXPECT_EQ(as<action::stream_ended>(out[1]).error, errc::disconnected);
    EXPECT_EQ(as<action::call_failed>(out[2]).stream_id, pending_sub);
    EXPECT_EQ(fsm.stream_count(), 0u);
    EXPECT_EQ(fsm.pending_pings(), 0u);
    EXPECT_EQ(fsm.current_state(), client_fsm::state::closed);
    EXPECT_EQ(fsm.open_stream(op_publish, "{}", stream_kind::unary).error(), errc::closed);
    EXPECT_EQ(fsm.ping().error(), errc::closed);
    EXPECT_TRUE(feed(response(call, publish_response, "{}")).empty());
}

}  // namespace
}  // namespace standin::client::detail
