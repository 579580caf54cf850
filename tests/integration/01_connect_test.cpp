// SPDX-License-Identifier: Apache-2.0
// The handshake (protocol.md §3, semantics.md §1.1) and ping (protocol.md §6), byte for byte.
#include <cctype>
#include <set>

#include "integration_common.hpp"

namespace standin::test::integration {
namespace {

// protocol.md §1.4.
const std::string accepted_ack = frames::from_hex(
    R"(00 00 00 47 00 00 00 37 37 4c fe 3f | 0d ":message-type" 04 00 00 00 05 | 0e ":message-flags" 04 00 00 00 01 |
       0a ":stream-id" 04 00 00 00 00 | e2 37 e2 7d)");
const std::string rejected_ack = frames::from_hex(
    R"(00 00 00 47 00 00 00 37 37 4c fe 3f | 0d ":message-type" 04 00 00 00 05 | 0e ":message-flags" 04 00 00 00 00 |
       0a ":stream-id" 04 00 00 00 00 | 65 91 29 3e)");
const std::string empty_ping_response = frames::from_hex(
    R"(00 00 00 47 00 00 00 37 37 4c fe 3f | 0d ":message-type" 04 00 00 00 03 | 0e ":message-flags" 04 00 00 00 00 |
       0a ":stream-id" 04 00 00 00 00 | d1 53 57 fe)");

class Connect : public IntegrationTest {
protected:
    // Sends `connect`, expects the rejected CONNECT_ACK bytes, then the close.
    void expect_rejected(const protocol::message& connect) {
        raw_client c = client();
        c.send(connect);
        const auto ack = c.read_frame();
        ASSERT_TRUE(ack.has_value()) << "no CONNECT_ACK before the close (Java V2 clients would hang)";
        EXPECT_EQ(frames::to_hex(ack->bytes), frames::to_hex(rejected_ack))
            << frames::describe(ack->message);
        std::vector<protocol::message> after;
        EXPECT_TRUE(c.expect_closed(default_timeout, &after))
            << "the server kept a rejected connection open";
        EXPECT_TRUE(after.empty()) << frames::describe(after);
    }
};

TEST_F(Connect, TheSpecVectorsAreConsistent) {
    // Guards the literals above: the encoder must reproduce them.
    EXPECT_EQ(frames::encode(frames::rpc_message(rpc::message_type::connect_ack, 1, 0)), accepted_ack);
    EXPECT_EQ(frames::encode(frames::rpc_message(rpc::message_type::connect_ack, 0, 0)), rejected_ack);
    EXPECT_EQ(frames::encode(frames::rpc_message(rpc::message_type::ping_response, 0, 0)),
              empty_ping_response);
}

TEST_F(Connect, AcceptedAckIsTheSeventyOneByteFrame) {
    raw_client c = client();
    const auto ack = c.connect_as(daemon().token(comp_a));
    ASSERT_TRUE(ack.has_value());
    EXPECT_EQ(frames::to_hex(ack->bytes), frames::to_hex(accepted_ack));
    const auto rest = c.ping_barrier();
    ASSERT_TRUE(rest.has_value());
    EXPECT_TRUE(rest->empty()) << frames::describe(*rest);
}

TEST_F(Connect, AcceptsTheSdkHeaderOrders) {
    // The component SDK puts :version after the RPC headers (protocol.md §3.2); Python adds a space.
    raw_client c = client();
    auto msg = frames::connect_raw({}, R"({"authToken": ")" + daemon().token(comp_a) + R"("})");
    msg.headers.push_back(frames::str(":version", "0.1.0"));
    c.send(msg);
    const auto ack = c.read_frame();
    ASSERT_TRUE(ack.has_value());
    EXPECT_EQ(frames::to_hex(ack->bytes), frames::to_hex(accepted_ack));
    expect_nothing_more(c);
}

TEST_F(Connect, WrongTokenGetsRejectedAckThenClose) {
    expect_rejected(frames::connect("NOT-A-REAL-TOKEN"));
}

TEST_F(Connect, EmptyTokenIsRejected) {
    expect_rejected(frames::connect(""));
}

TEST_F(Connect, MissingVersionIsRejected) {
    expect_rejected(frames::connect_raw({}, json{{"authToken", daemon().token(comp_a)}}.dump()));
}

TEST_F(Connect, OtherVersionIsRejected) {
    expect_rejected(frames::connect_raw({frames::str(":version", "0.2.0")},
                                        json{{"authToken", daemon().token(comp_a)}}.dump()));
}

TEST_F(Connect, VersionOfWrongTypeIsRejected) {
    // The Java server looks for a string-typed :version only (protocol.md §2.1).
    expect_rejected(frames::connect_raw({frames::i32(":version", 1)},
                                        json{{"authToken", daemon().token(comp_a)}}.dump()));
}

TEST_F(Connect, EmptyPayloadIsRejected) {
    expect_rejected(frames::connect_raw({frames::str(":version", "0.1.0")}, ""));
}

TEST_F(Connect, MalformedPayloadIsRejected) {
    expect_rejected(frames::connect_raw({frames::str(":version", "0.1.0")}, "{\"authToken\":"));
}

TEST_F(Connect, UnknownPayloadFieldsAreIgnored) {
    raw_client c = client();
    c.send(frames::connect_raw({frames::str(":version", "0.1.0")},
                               json{{"authToken", daemon().token(comp_a)}, {"extra", 5}}.dump()));
    const auto ack = c.read_frame();
    ASSERT_TRUE(ack.has_value());
    EXPECT_EQ(frames::to_hex(ack->bytes), frames::to_hex(accepted_ack));
    expect_nothing_more(c);
}

TEST_F(Connect, TokenMatchesCaseInsensitively) {
    // semantics.md §1.1: the token lookup goes through the case-insensitive config tree.
    std::string token = daemon().token(comp_a);
    bool changed = false;
    for (char& ch : token) {
        const auto u = static_cast<unsigned char>(ch);
        if (std::isupper(u)) {
            ch = static_cast<char>(std::tolower(u));
            changed = true;
        } else if (std::islower(u)) {
            ch = static_cast<char>(std::toupper(u));
            changed = true;
        }
    }
    if (!changed) GTEST_SKIP() << "the token has no letters to change the case of";
    raw_client c = client();
    const auto ack = c.connect_as(token);
    ASSERT_TRUE(ack.has_value());
    EXPECT_EQ(frames::to_hex(ack->bytes), frames::to_hex(accepted_ack));
}

TEST_F(Connect, TokensIdentifyTheirOwnComponent) {
    // The identity of a connection is the component the token belongs to: B's token publishes as B,
    // so B's wildcard subscription (RECEIVE_MESSAGES_FROM_OTHERS by default) does not see it.
    raw_client sub = connected(comp_b);
    const auto sid = subscribe(sub, subscribe_json("ident/#"));
    raw_client as_b = connected(comp_b);
    publish(as_b, publish_json("ident/x", {{"from", "b"}}));
    raw_client as_a = connected(comp_a);
    publish(as_a, publish_json("ident/x", {{"from", "a"}}));
    const auto event = sub.read_message();
    ASSERT_TRUE(event.has_value());
    expect_application_message(*event, sid, 0, "aws.greengrass#SubscriptionResponseMessage");
    EXPECT_EQ(frames::json_of(*event), json_event("ident/x", {{"from", "a"}}));
    const auto rest = sub.ping_barrier();
    ASSERT_TRUE(rest.has_value());
    EXPECT_TRUE(rest->empty()) << frames::describe(*rest);
}

TEST_F(Connect, EachTokenIsDistinct) {
    std::set<std::string> seen;
    for (const auto& [component, token] : daemon().tokens()) {
        EXPECT_FALSE(token.empty()) << component;
        EXPECT_TRUE(seen.insert(token).second) << "duplicate token for " << component;
    }
    EXPECT_EQ(daemon().tokens().size(), standard_recipes().size());
}

TEST_F(Connect, PingWithoutDataGetsTheEmptyPingResponse) {
    raw_client c = connected(comp_a);
    c.send(frames::ping());
    const auto response = c.read_frame();
    ASSERT_TRUE(response.has_value());
    EXPECT_EQ(frames::to_hex(response->bytes), frames::to_hex(empty_ping_response));
    expect_nothing_more(c);
}

TEST_F(Connect, PingEchoesNonColonHeadersAndPayload) {
    raw_client c = connected(comp_a);
    c.send(frames::ping({frames::str("x-echo", "hello"), frames::i32("x-number", 42),
                         frames::str(":private", "no"), frames::str(":content-type", "text/plain")},
                        "ping payload \x01\x02"));
    const auto response = c.read_message();
    ASSERT_TRUE(response.has_value());
    SCOPED_TRACE(frames::describe(*response));
    EXPECT_EQ(frames::int_header(*response, ":message-type"), 3);
    EXPECT_EQ(frames::int_header(*response, ":message-flags"), 0);
    EXPECT_EQ(frames::int_header(*response, ":stream-id"), 0);
    EXPECT_EQ(frames::string_header(*response, "x-echo"), "hello");
    EXPECT_EQ(frames::int_header(*response, "x-number"), 42);
    EXPECT_EQ(response->find(":private"), nullptr);
    EXPECT_EQ(response->find(":content-type"), nullptr);
    EXPECT_EQ(response->headers.size(), 5u);
    EXPECT_EQ(response->payload, "ping payload \x01\x02");
    expect_nothing_more(c);
}

TEST_F(Connect, PingResponseFromClientIsIgnored) {
    raw_client c = connected(comp_a);
    c.send(frames::rpc_message(rpc::message_type::ping_response, 0, 0));
    const auto rest = c.ping_barrier();
    ASSERT_TRUE(rest.has_value());
    EXPECT_TRUE(rest->empty()) << frames::describe(*rest);
}

TEST_F(Connect, PingBeforeConnectIsAProtocolError) {
    raw_client c = client();
    c.send(frames::ping());
    expect_protocol_error_then_close(c, pe::connect_not_completed);
}

TEST_F(Connect, ManyConnectionsOfOneComponent) {
    std::vector<raw_client> clients;
    for (int i = 0; i < 20; ++i)
        clients.push_back(connected(comp_a));
    for (auto& c : clients) {
        const auto rest = c.ping_barrier();
        ASSERT_TRUE(rest.has_value());
        EXPECT_TRUE(rest->empty());
    }
}

}  // namespace
}  // namespace standin::test::integration
