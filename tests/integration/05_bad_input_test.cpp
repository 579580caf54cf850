// SPDX-License-Identifier: Apache-2.0
// Bad input, one test per class: framing violations close the connection silently (protocol.md
// §1.3), RPC rule violations get their exact PROTOCOL_ERROR and a close (§2.3), request-level
// problems get an error frame (§4.4). Every test then proves a fresh client is still served.
#include <random>

#include "integration_common.hpp"

namespace standin::test::integration {
namespace {

class BadInput : public IntegrationTest {
protected:
    // A connection accepted for component A.
    raw_client connected_a() { return connected(comp_a); }

    // A valid PING frame to corrupt.
    static std::string ping_frame() {
        return frames::encode(frames::ping({frames::str("x-test", "ping")}, "hello"));
    }
};

// ---- framing violations: nothing is sent back, the connection is closed ----

TEST_F(BadInput, BadPreludeCrc) {
    raw_client c = client();
    auto frame = frames::encode(frames::connect(daemon().token(comp_a)));
    frame[9] = static_cast<char>(frame[9] ^ 0x5a);
    c.send_bytes(frame);
    expect_closed_silently(c);
    expect_still_served();
}

TEST_F(BadInput, BadMessageCrc) {
    raw_client c = connected_a();
    auto frame = ping_frame();
    frame.back() = static_cast<char>(frame.back() ^ 0x01);
    c.send_bytes(frame);
    expect_closed_silently(c);
    expect_still_served();
}

TEST_F(BadInput, BadMessageCrcBeforeConnect) {
    raw_client c = client();
    auto frame = frames::encode(frames::connect(daemon().token(comp_a)));
    frame[frame.size() - 2] = static_cast<char>(frame[frame.size() - 2] ^ 0x10);
    c.send_bytes(frame);
    expect_closed_silently(c);
    expect_still_served();
}

TEST_F(BadInput, TotalLengthUnderSixteen) {
    raw_client c = connected_a();
    auto bytes = frames::prelude(15, 0);
    bytes += std::string(3, '\0');
    c.send_bytes(bytes);
    expect_closed_silently(c);
    expect_still_served();
}

TEST_F(BadInput, TotalLengthOverTheDefaultMaximumClosesWithoutWaitingForTheBody) {
    // 25 MiB claimed against the 24 MiB cap; only the prelude is sent, so the server must decide
    // from the prelude alone.
    raw_client c = connected_a();
    c.send_bytes(frames::prelude(25u * 1024u * 1024u, 0));
    expect_closed_silently(c);
    expect_still_served();
}

TEST_F(BadInput, HeadersLengthTooBig) {
    // headers_len > total_len - 16.
    raw_client c = connected_a();
    auto bytes = frames::prelude(100, 90);
    bytes += std::string(88, '\0');
    c.send_bytes(bytes);
    expect_closed_silently(c);
    expect_still_served();
}

TEST_F(BadInput, HeaderOverrunningItsBlock) {
    // CRCs are valid, but a string header's length runs past headers_len.
    raw_client c = connected_a();
    auto frame = ping_frame();
    // First header is "x-test" (name_len 6): bytes 12 (len), 13..18 (name), 19 (type 7), 20..21 (value
    // len).
    ASSERT_EQ(frame[12], 6);
    frame[20] = 0x7f;
    frame[21] = 0x00;
    frames::fix_crcs(frame);
    c.send_bytes(frame);
    expect_closed_silently(c);
    expect_still_served();
}

TEST_F(BadInput, RandomGarbage) {
    raw_client c = connected_a();
    std::mt19937 rng{20240611};
    std::string garbage(512, '\0');
    for (auto& ch : garbage)
        ch = static_cast<char>(rng() & 0xff);
    c.send_bytes(garbage);
    expect_closed_silently(c);
    expect_still_served();
}

TEST_F(BadInput, RandomGarbageBeforeConnect) {
    raw_client c = client();
    std::mt19937 rng{7};
    std::string garbage(64, '\0');
    for (auto& ch : garbage)
        ch = static_cast<char>(rng() & 0xff);
    c.send_bytes(garbage);
    expect_closed_silently(c);
    expect_still_served();
}

// ---- RPC rule violations (protocol.md §2.3): PROTOCOL_ERROR with the exact payload, then close ----

TEST_F(BadInput, RequestBeforeConnect) {
    raw_client c = client();
    c.send(frames::request(1, op_publish, publish_json("t", {{"x", 1}})));
    expect_protocol_error_then_close(c, pe::connect_not_completed);
    expect_still_served();
}

TEST_F(BadInput, SecondConnect) {
    raw_client c = connected_a();
    c.send(frames::connect(daemon().token(comp_a)));
    expect_protocol_error_then_close(c, pe::connect_not_completed);
    expect_still_served();
}

TEST_F(BadInput, StreamIdJumpingByTwo) {
    raw_client c = connected_a();
    c.send(frames::request(2, op_publish, publish_json("t", {{"x", 1}})));
    expect_protocol_error_then_close(c, pe::invalid_new_client_stream_id);
    expect_still_served();
}

TEST_F(BadInput, StreamIdGoingBackwardsOnAClosedStream) {
    raw_client c = connected_a();
    publish(c, publish_json("t", {{"x", 1}}));  // stream 1, closed by the server's TERMINATE
    publish(c, publish_json("t", {{"x", 2}}));  // stream 2
    c.send(frames::request(1, op_publish, publish_json("t", {{"x", 3}})));
    expect_protocol_error_then_close(c, pe::invalid_client_stream_id);
    expect_still_served();
}

TEST_F(BadInput, TerminateOnAClosedStreamIsDroppedSilently) {
    // The counterpart of the previous test: with TERMINATE the message is a "simultaneous close".
    raw_client c = connected_a();
    publish(c, publish_json("t", {{"x", 1}}));
    c.send(frames::terminate(1));
    const auto rest = c.ping_barrier();
    ASSERT_TRUE(rest.has_value());
    EXPECT_TRUE(rest->empty()) << frames::describe(*rest);
    publish(c, publish_json("t", {{"x", 2}}));
    expect_still_served();
}

TEST_F(BadInput, NegativeStreamId) {
    raw_client c = connected_a();
    c.send(frames::request(-1, op_publish, publish_json("t", {{"x", 1}})));
    expect_protocol_error_then_close(c, pe::invalid_stream_id);
    expect_still_served();
}

TEST_F(BadInput, ConnectionMessageTypeOnAStream) {
    // A PING on stream 1: types > 1 only travel on stream 0.
    raw_client c = connected_a();
    c.send(frames::rpc_message(rpc::message_type::ping, 0, 1));
    expect_protocol_error_then_close(c, pe::invalid_stream_id);
    expect_still_served();
}

TEST_F(BadInput, MissingOperationOnANewStream) {
    raw_client c = connected_a();
    c.send(frames::rpc_message(rpc::message_type::application_message, 0, 1, {},
                               publish_json("t", {{"x", 1}}).dump()));
    // The payload is the reference's invalid JSON, sic.
    expect_protocol_error_then_close(c, pe::missing_operation_name);
    expect_still_served();
}

TEST_F(BadInput, EmptyOperationOnANewStream) {
    raw_client c = connected_a();
    c.send(frames::request(1, "", json::object()));
    expect_protocol_error_then_close(c, pe::missing_operation_name);
    expect_still_served();
}

TEST_F(BadInput, MissingMessageTypeHeader) {
    raw_client c = connected_a();
    protocol::message msg;
    msg.headers = {frames::i32(":message-flags", 0), frames::i32(":stream-id", 0)};
    c.send(msg);
    expect_protocol_error_then_close(c, pe::invalid_message);
    expect_still_served();
}

TEST_F(BadInput, MessageTypeOfWrongHeaderType) {
    // The RPC headers count only as int32 (protocol.md §2.1).
    raw_client c = connected_a();
    protocol::message msg;
    msg.headers = {frames::str(":message-type", "2"), frames::i32(":message-flags", 0),
                   frames::i32(":stream-id", 0)};
    c.send(msg);
    expect_protocol_error_then_close(c, pe::invalid_message);
    expect_still_served();
}

TEST_F(BadInput, MissingHeadersBeforeConnect) {
    raw_client c = client();
    protocol::message msg;
    msg.headers = {frames::str(":version", "0.1.0")};
    msg.payload = json{{"authToken", daemon().token(comp_a)}}.dump();
    c.send(msg);
    expect_protocol_error_then_close(c, pe::invalid_message);
    expect_still_served();
}

TEST_F(BadInput, ApplicationMessageOnStreamZero) {
    raw_client c = connected_a();
    c.send(frames::rpc_message(rpc::message_type::application_message, 0, 0,
                               {frames::str("operation", std::string{op_publish})},
                               publish_json("t", {{"x", 1}}).dump()));
    expect_protocol_error_then_close(c, pe::invalid_message_type);
    expect_still_served();
}

TEST_F(BadInput, MessageTypeOutOfRangeOnStreamZero) {
    raw_client c = connected_a();
    c.send(frames::rpc_message(static_cast<rpc::message_type>(8), 0, 0));
    expect_protocol_error_then_close(c, pe::invalid_message_type);
    expect_still_served();
}

TEST_F(BadInput, ClientSentConnectAckGetsInternalError) {
    // protocol.md §2.3: the Java layer answers a client CONNECT_ACK/PROTOCOL_ERROR/INTERNAL_ERROR
    // with type 7 and its malformed payload, then closes.
    raw_client c = connected_a();
    c.send(frames::rpc_message(rpc::message_type::connect_ack, 1, 0));
    const auto msg = c.read_message();
    ASSERT_TRUE(msg.has_value());
    SCOPED_TRACE(frames::describe(*msg));
    EXPECT_EQ(frames::int_header(*msg, ":message-type"), 7);
    EXPECT_EQ(frames::int_header(*msg, ":stream-id"), 0);
    EXPECT_EQ(frames::string_header(*msg, ":content-type"), "application/json");
    EXPECT_EQ(
        msg->payload,
        R"({ "error": "Unrecognized Message Type" }"message": " message type value: 5 is not recognized as a valid request path." })");
    std::vector<protocol::message> after;
    EXPECT_TRUE(c.expect_closed(default_timeout, &after));
    EXPECT_TRUE(after.empty()) << frames::describe(after);
    expect_still_served();
}

// ---- request-level problems: an error frame, the connection stays ----

TEST_F(BadInput, MalformedJsonInARequest) {
    raw_client c = connected_a();
    c.send(frames::request_raw(1, op_subscribe, "{not json"));
    const auto error = c.read_message();
    ASSERT_TRUE(error.has_value());
    expect_internal_server_error(*error, 1);
    const auto rest = c.ping_barrier();
    ASSERT_TRUE(rest.has_value());
    EXPECT_TRUE(rest->empty()) << frames::describe(*rest);
    expect_still_served();
}

TEST_F(BadInput, WrongToken) {
    raw_client c = client();
    const auto ack = c.connect_as("WRONGWRONGWRONG1");
    ASSERT_TRUE(ack.has_value());
    EXPECT_EQ(frames::int_header(ack->message, ":message-type"), 5);
    EXPECT_EQ(frames::int_header(ack->message, ":message-flags"), 0);
    EXPECT_TRUE(c.expect_closed());
    expect_still_served();
}

TEST_F(BadInput, MessagesAfterARejectedConnectAreNotServed) {
    // A client that ignores the rejected ack and sends a request anyway gets nothing served.
    raw_client c = client();
    std::string bytes = frames::encode(frames::connect("WRONG"));
    bytes += frames::encode(frames::request(1, op_publish, publish_json("t", {{"x", 1}})));
    c.send_bytes(bytes);
    std::vector<protocol::message> got;
    EXPECT_TRUE(c.expect_closed(default_timeout, &got));
    ASSERT_FALSE(got.empty());
    EXPECT_EQ(frames::int_header(got[0], ":message-type"), 5);
    EXPECT_EQ(frames::int_header(got[0], ":message-flags"), 0);
    for (std::size_t i = 1; i < got.size(); ++i) {
        const auto type = frames::int_header(got[i], ":message-type");
        EXPECT_TRUE(type != 0 && type != 1) << "a request was answered: " << frames::describe(got[i]);
    }
    expect_still_served();
}

// ---- the lite profile's 10,000-byte frames ----

class BadInputLite : public BadInput {
protected:
    daemon_config config() override {
        auto c = IntegrationTest::config();
        c.extra_args = {"--profile", "lite"};
        return c;
    }
};

TEST_F(BadInputLite, TotalLengthOverTheLiteMaximum) {
    raw_client c = connected_a();
    c.send_bytes(frames::prelude(10'100, 0));
    expect_closed_silently(c);
    expect_still_served();
}

TEST_F(BadInputLite, FramesUnderTheLiteMaximumAreServed) {
    raw_client c = connected_a();
    const std::string pad(8'000, 'x');
    publish(c, publish_json("lite/t", {{"pad", pad}}));
    expect_still_served();
}

// ---- the lite profile's operations ----

TEST_F(BadInputLite, OperationsLiteDoesNotServeAreAnsweredAsUnserved) {
    // Lite's ggipcd serves 11 operations; for the others a component gets a ServiceError, as from
    // a nucleus whose plugin is absent. GetSecretValue is served by the full profile.
    raw_client c = connected_a();
    const auto id = c.request("aws.greengrass#GetSecretValue", json{{"secretId", "db-password"}});
    const auto error = c.read_message();
    ASSERT_TRUE(error.has_value());
    SCOPED_TRACE(frames::describe(*error));
    EXPECT_EQ(frames::int_header(*error, ":stream-id"), id);
    EXPECT_EQ(frames::string_header(*error, "service-model-type"), "aws.greengrass#ServiceError");
    EXPECT_EQ(frames::json_of(*error).value("message", ""),
              "Operation aws.greengrass#GetSecretValue is not supported by Greengrass");
    expect_still_served();
}

TEST_F(BadInputLite, OperationsLiteServesAreServed) {
    raw_client c = connected_a();
    const auto id = c.request("aws.greengrass#UpdateState", json{{"state", "RUNNING"}});
    const auto reply = c.read_message();
    ASSERT_TRUE(reply.has_value());
    expect_application_message(*reply, id, 2, "aws.greengrass#UpdateStateResponse");
}

}  // namespace
}  // namespace standin::test::integration
