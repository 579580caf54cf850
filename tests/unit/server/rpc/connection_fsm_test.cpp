// SPDX-License-Identifier: Apache-2.0
// connection_fsm driven with synthetic messages: every rule of protocol.md §2.3 and the handshake.
#include "rpc/connection_fsm.hpp"

#include <gtest/gtest.h>

#include "standin/protocol/rpc.hpp"

namespace standin::server {
namespace {

namespace rpc = protocol::rpc;
using rpc::message_type;

protocol::message make(message_type type, std::int32_t flags, std::int32_t stream,
                       std::string payload = {}, std::vector<protocol::header> extra = {}) {
    protocol::message msg{std::move(extra), std::move(payload)};
    rpc::append_rpc_headers(msg.headers, type, flags, stream);
    return msg;
}

protocol::message connect(std::string token = "GOOD", std::string version = "0.1.0") {
    return make(message_type::connect, 0, 0, R"({"authToken":")" + token + R"("})",
                {{":version", std::move(version)}});
}

protocol::message request(std::int32_t stream, std::string operation = "aws.greengrass#PublishToTopic",
                          std::int32_t flags = 0) {
    return make(message_type::application_message, flags, stream, "{}",
                {{"operation", std::move(operation)}});
}

class fsm_test : public ::testing::Test {
protected:
    connection_fsm fsm{[](std::string_view payload) -> authentication {
        if (payload == R"({"authToken":"GOOD"})") return {"com.example.A", {}};
        return {std::nullopt, "Unrecognized client connecting to GGC over IPC"};
    }};

    std::vector<fsm_action_t> feed(protocol::message msg) {
        std::vector<fsm_action_t> out;
        fsm.on_message(std::move(msg), out);
        return out;
    }

    void connected() {
        auto actions = feed(connect());
        ASSERT_EQ(fsm.current_state(), connection_fsm::state::connected);
    }

    // Asserts `actions` is exactly "send PROTOCOL_ERROR with `payload`, then close".
    static void expect_protocol_error(const std::vector<fsm_action_t>& actions,
                                      std::string_view payload) {
        ASSERT_EQ(actions.size(), 2u);
        const auto* send = std::get_if<fsm_action::send>(&actions[0]);
        ASSERT_NE(send, nullptr);
        const auto meta = rpc::extract_metadata(send->message);
        ASSERT_TRUE(meta);
        EXPECT_EQ(meta->type, static_cast<std::int32_t>(message_type::protocol_error));
        EXPECT_EQ(meta->flags, 0);
        EXPECT_EQ(meta->stream_id, 0);
        EXPECT_EQ(send->message.payload, payload);
        const auto* content_type = send->message.find(":content-type");
        ASSERT_NE(content_type, nullptr);
        EXPECT_EQ(std::get<std::string>(content_type->value), "application/json");
        EXPECT_TRUE(std::holds_alternative<fsm_action::close_after_flush>(actions[1]));
    }
};

TEST_F(fsm_test, accepted_connect_sends_ack_with_flag_and_no_payload) {
    const auto actions = feed(connect());
    ASSERT_EQ(actions.size(), 2u);
    const auto& ack = std::get<fsm_action::send>(actions[0]).message;
    const auto meta = rpc::extract_metadata(ack);
    ASSERT_TRUE(meta);
    EXPECT_EQ(meta->type, static_cast<std::int32_t>(message_type::connect_ack));
    EXPECT_EQ(meta->flags, rpc::flag_connection_accepted);
    EXPECT_EQ(ack.headers.size(), 3u);  // the three RPC headers only, as the nucleus sends it
    EXPECT_TRUE(ack.payload.empty());
    EXPECT_EQ(std::get<fsm_action::authenticated>(actions[1]).component, "com.example.A");
    EXPECT_EQ(fsm.current_state(), connection_fsm::state::connected);
}

TEST_F(fsm_test, unknown_token_gets_rejected_ack_then_close) {
    const auto actions = feed(connect("BAD"));
    ASSERT_EQ(actions.size(), 3u);
    const auto meta = rpc::extract_metadata(std::get<fsm_action::send>(actions[0]).message);
    EXPECT_EQ(meta->type, static_cast<std::int32_t>(message_type::connect_ack));
    EXPECT_EQ(meta->flags, 0);
    EXPECT_EQ(std::get<fsm_action::rejected>(actions[1]).reason,
              "Unrecognized client connecting to GGC over IPC");
    EXPECT_TRUE(std::holds_alternative<fsm_action::close_after_flush>(actions[2]));
    EXPECT_EQ(fsm.current_state(), connection_fsm::state::closing);
}

TEST_F(fsm_test, version_must_be_string_0_1_0) {
    for (const char* bad : {"0.2.0", "0.1", "0.1.0.0", "x.1.0", "", "0.1.0 "}) {
        connection_fsm fresh{[](std::string_view) -> authentication { return {"c", {}}; }};
        std::vector<fsm_action_t> out;
        fresh.on_message(connect("GOOD", bad), out);
        const auto meta = rpc::extract_metadata(std::get<fsm_action::send>(out[0]).message);
        EXPECT_EQ(meta->flags, 0) << bad;
    }
    // Numerically equal spellings are accepted, as Version.fromString compares numbers.
    connection_fsm fresh{[](std::string_view) -> authentication { return {"c", {}}; }};
    std::vector<fsm_action_t> out;
    fresh.on_message(connect("GOOD", "00.1.00"), out);
    EXPECT_EQ(rpc::extract_metadata(std::get<fsm_action::send>(out[0]).message)->flags, 1);
}

TEST_F(fsm_test, version_header_of_wrong_type_is_a_rejection) {
    auto msg =
        make(message_type::connect, 0, 0, R"({"authToken":"GOOD"})", {{":version", std::int32_t{1}}});
    const auto actions = feed(std::move(msg));
    EXPECT_EQ(rpc::extract_metadata(std::get<fsm_action::send>(actions[0]).message)->flags, 0);
}

TEST_F(fsm_test, anything_before_connect_is_a_protocol_error) {
    expect_protocol_error(feed(request(1)), protocol_errors::connect_not_completed);
    EXPECT_TRUE(feed(connect()).empty()) << "nothing is processed once closing";
}

TEST_F(fsm_test, ping_before_connect_is_a_protocol_error) {
    expect_protocol_error(feed(make(message_type::ping, 0, 0)), protocol_errors::connect_not_completed);
}

TEST_F(fsm_test, second_connect_is_a_protocol_error) {
    connected();
    expect_protocol_error(feed(connect()), protocol_errors::connect_not_completed);
}

TEST_F(fsm_test, missing_rpc_headers_are_a_protocol_error) {
    protocol::message msg{{{":message-type", std::int32_t{4}}, {":stream-id", std::int32_t{0}}}, {}};
    expect_protocol_error(feed(std::move(msg)), protocol_errors::invalid_message);
}

TEST_F(fsm_test, rpc_headers_of_wrong_type_are_a_protocol_error) {
    protocol::message msg{{{":message-type", std::int64_t{4}},
                           {":message-flags", std::int32_t{0}},
                           {":stream-id", std::int32_t{0}}},
                          {}};
    expect_protocol_error(feed(std::move(msg)), protocol_errors::invalid_message);
}

TEST_F(fsm_test, rpc_header_names_match_case_insensitively) {
    protocol::message msg{{{":version", std::string{"0.1.0"}},
                           {":Message-Type", std::int32_t{4}},
                           {":MESSAGE-FLAGS", std::int32_t{0}},
                           {":stream-ID", std::int32_t{0}}},
                          R"({"authToken":"GOOD"})"};
    feed(std::move(msg));
    EXPECT_EQ(fsm.current_state(), connection_fsm::state::connected);
}

TEST_F(fsm_test, new_stream_dispatches_its_operation) {
    connected();
    const auto actions = feed(request(1, "aws.greengrass#SubscribeToTopic"));
    ASSERT_EQ(actions.size(), 1u);
    const auto& open = std::get<fsm_action::open_stream>(actions[0]);
    EXPECT_EQ(open.stream_id, 1);
    EXPECT_EQ(open.operation, "aws.greengrass#SubscribeToTopic");
    EXPECT_EQ(open.request.payload, "{}");
    EXPECT_TRUE(fsm.is_open(1));
}

TEST_F(fsm_test, operation_header_name_is_case_insensitive) {
    connected();
    auto msg = make(message_type::application_message, 0, 1, "{}", {{"Operation", std::string{"x#Y"}}});
    const auto actions = feed(std::move(msg));
    ASSERT_EQ(actions.size(), 1u);
    EXPECT_EQ(std::get<fsm_action::open_stream>(actions[0]).operation, "x#Y");
}

TEST_F(fsm_test, stream_ids_must_increase_by_exactly_one) {
    connected();
    feed(request(1));
    expect_protocol_error(feed(request(3)), protocol_errors::invalid_new_client_stream_id);
}

TEST_F(fsm_test, first_stream_id_must_be_one) {
    connected();
    expect_protocol_error(feed(request(2)), protocol_errors::invalid_new_client_stream_id);
}

TEST_F(fsm_test, new_stream_without_operation_is_a_protocol_error) {
    connected();
    expect_protocol_error(feed(make(message_type::application_message, 0, 1, "{}")),
                          protocol_errors::missing_operation_name);
}

TEST_F(fsm_test, new_stream_with_empty_operation_is_a_protocol_error) {
    connected();
    expect_protocol_error(feed(request(1, "")), protocol_errors::missing_operation_name);
}

TEST_F(fsm_test, negative_stream_id_is_a_protocol_error) {
    connected();
    expect_protocol_error(feed(request(-5)), protocol_errors::invalid_stream_id);
}

TEST_F(fsm_test, connection_message_types_on_a_stream_are_a_protocol_error) {
    connected();
    expect_protocol_error(feed(make(message_type::ping, 0, 1)), protocol_errors::invalid_stream_id);
}

TEST_F(fsm_test, application_messages_on_stream_zero_are_a_protocol_error) {
    connected();
    expect_protocol_error(feed(make(message_type::application_message, 0, 0, "{}")),
                          protocol_errors::invalid_message_type);
}

TEST_F(fsm_test, unknown_message_types_on_stream_zero_are_a_protocol_error) {
    connected();
    expect_protocol_error(feed(make(static_cast<message_type>(8), 0, 0)),
                          protocol_errors::invalid_message_type);
}

TEST_F(fsm_test, client_terminate_closes_an_open_stream) {
    connected();
    feed(request(1, "aws.greengrass#SubscribeToTopic"));
    const auto actions = feed(make(message_type::application_message, rpc::flag_terminate_stream, 1));
    ASSERT_EQ(actions.size(), 1u);
    EXPECT_EQ(std::get<fsm_action::stream_closed>(actions[0]).stream_id, 1);
    EXPECT_FALSE(fsm.is_open(1));
}

TEST_F(fsm_test, terminate_on_a_closed_stream_is_dropped_silently) {
    connected();
    feed(request(1));
    fsm.on_server_terminated(1);  // the response carried TERMINATE
    EXPECT_TRUE(feed(make(message_type::application_message, rpc::flag_terminate_stream, 1)).empty());
    EXPECT_EQ(fsm.current_state(), connection_fsm::state::connected);
}

TEST_F(fsm_test, other_traffic_on_a_closed_stream_is_a_protocol_error) {
    connected();
    feed(request(1));
    fsm.on_server_terminated(1);
    expect_protocol_error(feed(request(1)), protocol_errors::invalid_client_stream_id);
}

TEST_F(fsm_test, further_messages_on_an_open_stream_are_delivered) {
    connected();
    feed(request(1, "aws.greengrass#SubscribeToTopic"));
    const auto actions = feed(make(message_type::application_message, 0, 1, "{}"));
    ASSERT_EQ(actions.size(), 1u);
    EXPECT_EQ(std::get<fsm_action::stream_message>(actions[0]).stream_id, 1);
}

TEST_F(fsm_test, first_message_with_terminate_runs_nothing_but_uses_the_id) {
    connected();
    EXPECT_TRUE(feed(request(1, "aws.greengrass#PublishToTopic", rpc::flag_terminate_stream)).empty());
    EXPECT_FALSE(fsm.is_open(1));
    EXPECT_EQ(fsm.last_stream_id(), 1);
    EXPECT_EQ(feed(request(2)).size(), 1u);
}

TEST_F(fsm_test, ping_is_echoed_without_colon_headers) {
    connected();
    auto ping =
        make(message_type::ping, 0, 0, "hello", {{"x-probe", std::string{"42"}}, {":custom", true}});
    const auto actions = feed(std::move(ping));
    ASSERT_EQ(actions.size(), 1u);
    const auto& reply = std::get<fsm_action::send>(actions[0]).message;
    const auto meta = rpc::extract_metadata(reply);
    EXPECT_EQ(meta->type, static_cast<std::int32_t>(message_type::ping_response));
    EXPECT_EQ(meta->flags, 0);
    EXPECT_EQ(meta->stream_id, 0);
    EXPECT_EQ(reply.payload, "hello");
    ASSERT_NE(reply.find("x-probe"), nullptr);
    EXPECT_EQ(reply.find(":custom"), nullptr);
    EXPECT_EQ(reply.headers.front().name, "x-probe");  // echoed headers first, RPC headers after
}

TEST_F(fsm_test, ping_response_from_client_is_ignored) {
    connected();
    EXPECT_TRUE(feed(make(message_type::ping_response, 0, 0)).empty());
}

TEST_F(fsm_test, client_sent_connect_ack_gets_internal_error_then_close) {
    connected();
    const auto actions = feed(make(message_type::connect_ack, 1, 0));
    ASSERT_EQ(actions.size(), 2u);
    const auto& reply = std::get<fsm_action::send>(actions[0]).message;
    EXPECT_EQ(rpc::extract_metadata(reply)->type,
              static_cast<std::int32_t>(message_type::internal_error));
    EXPECT_EQ(reply.payload, unrecognized_message_type_payload(5));
    EXPECT_TRUE(std::holds_alternative<fsm_action::close_after_flush>(actions[1]));
}

}  // namespace
}  // namespace standin::server
