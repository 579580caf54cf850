// SPDX-License-Identifier: Apache-2.0
// The session's side of the operation contract, on the wire: a reply that comes after the
// dispatcher returned goes out on its stream; one for a stream the client closed meanwhile is
// dropped; a stream the server ends on its own gets the nucleus's empty TERMINATE_STREAM message, or
// a modeled error. A real session on one end of a socketpair, raw frames on the other.
#include "net/session.hpp"

#include <gtest/gtest.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/local/connect_pair.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/write.hpp>

#include "authz/authorizer.hpp"
#include "standin/protocol/frame_decoder.hpp"
#include "standin/protocol/frame_encoder.hpp"
#include "standin/protocol/rpc.hpp"

namespace standin::server {
namespace {

namespace asio = boost::asio;
namespace rpc = protocol::rpc;

struct later_state {
    std::optional<responder<model::restart_component_response>> waiting;
    std::optional<event_stream<model::component_update_policy_events>> stream;
};

struct later_op {
    using row = model::operation<"RestartComponent">;
    using state = later_state;
    static void handle(state& s, const call_context&, row::request&, responder<row::response> reply) {
        s.waiting.emplace(std::move(reply));
    }
};

struct stream_op {
    using row = model::operation<"SubscribeToComponentUpdates">;
    using state = later_state;
    static answer<row::response> handle(state& s, const call_context& call, row::request&) {
        s.stream = events_of<stream_op>(call);
        return {row::response{}, nullptr};
    }
};

class session_test : public ::testing::Test {
protected:
    session_test() {
        operations.add(make_operation<later_op>(state));
        operations.add(make_operation<stream_op>(state));
        asio::local::connect_pair(server_end, client);
        live = std::make_shared<session>(std::move(server_end), context, 1);
        sessions.add(live);
        live->start();
        send(frame({{":version", std::string{"0.1.0"}}}, rpc::message_type::connect, 0, 0,
                   R"({"authToken":"any"})"));
        const auto ack = next();
        EXPECT_EQ(int_header(ack, ":message-type"), static_cast<int>(rpc::message_type::connect_ack));
    }
    ~session_test() override {
        sessions.stop_all();
        io.run_for(std::chrono::milliseconds(100));
    }

    static protocol::message frame(std::vector<protocol::header> headers, rpc::message_type type,
                                   std::int32_t flags, std::int32_t stream_id, std::string payload) {
        protocol::message m;
        m.headers = std::move(headers);
        rpc::append_rpc_headers(m.headers, type, flags, stream_id);
        m.payload = std::move(payload);
        return m;
    }
    static protocol::message request(std::int32_t stream_id, std::string_view operation,
                                     std::string payload) {
        return frame({{"operation", std::string{operation}}}, rpc::message_type::application_message, 0,
                     stream_id, std::move(payload));
    }
    static std::int32_t int_header(const protocol::message& m, std::string_view name) {
        const auto* h = m.find(name);
        return h ? std::get<std::int32_t>(h->value) : -1;
    }

    void send(const protocol::message& m) {
        const auto bytes = protocol::encode_frame(m.headers, protocol::make_payload(m.payload),
                                                  protocol::default_max_frame_size)
                               .value()
                               .to_string();
        asio::write(client, asio::buffer(bytes));
    }

    // The next frame the session writes, running the io_context until it arrives (bounded).
    protocol::message next() {
        const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
        while (!decoder.has_message() && std::chrono::steady_clock::now() < deadline) {
            io.run_for(std::chrono::milliseconds(10));
            std::uint8_t byte[4096];
            boost::system::error_code ec;
            while (client.available(ec) > 0 && !decoder.has_message()) {
                const auto n = client.read_some(
                    asio::buffer(byte, std::min<std::size_t>(sizeof byte, client.available(ec))), ec);
                std::span<const std::uint8_t> rest{byte, n};
                while (!rest.empty()) {
                    if (decoder.has_message()) pending.push_back(decoder.take_message());
                    const auto r = decoder.put(rest);
                    EXPECT_FALSE(r.ec) << r.ec.message();
                    if (r.ec) return {};
                    rest = rest.subspan(r.consumed);
                }
            }
        }
        if (!pending.empty()) {
            auto m = std::move(pending.front());
            pending.erase(pending.begin());
            return m;
        }
        EXPECT_TRUE(decoder.has_message()) << "the session sent nothing";
        return decoder.has_message() ? decoder.take_message() : protocol::message{};
    }

    // Sends a PING and returns every frame that came before its response.
    std::vector<protocol::message> barrier() {
        send(frame({}, rpc::message_type::ping, 0, 0, "barrier"));
        std::vector<protocol::message> before;
        for (int i = 0; i < 10; ++i) {
            auto m = next();
            if (int_header(m, ":message-type") == static_cast<int>(rpc::message_type::ping_response))
                break;
            before.push_back(std::move(m));
        }
        return before;
    }

    asio::io_context io{1};
    later_state state;
    operation_registry operations;
    authorizer authz;
    policy_access_checker access{authz};
    dispatcher dispatch{operations, access, protocol::default_max_frame_size};
    connection_limits limits;
    session_registry sessions{io.get_executor()};
    session_context context{dispatch,
                            [](std::string_view) {
                                return authentication{std::string{"aws.greengrass.Cli"}, {}};
                            },
                            limits, sessions};
    session::socket_type server_end{io};
    session::socket_type client{io};
    std::shared_ptr<session> live;
    protocol::frame_decoder decoder;
    std::vector<protocol::message> pending;
};

TEST_F(session_test, a_late_reply_goes_out_on_its_stream) {
    send(request(1, "aws.greengrass#RestartComponent", R"({"componentName":"x"})"));
    EXPECT_TRUE(barrier().empty()) << "a reply before the operation answered";
    ASSERT_TRUE(state.waiting.has_value());
    model::restart_component_response response;
    response.restartStatus = model::request_status::succeeded;
    (*state.waiting)(std::move(response));
    const auto reply = next();
    EXPECT_EQ(int_header(reply, ":stream-id"), 1);
    EXPECT_EQ(int_header(reply, ":message-flags"), rpc::flag_terminate_stream);
    EXPECT_EQ(std::get<std::string>(reply.find("service-model-type")->value),
              "aws.greengrass#RestartComponentResponse");
    EXPECT_EQ(reply.payload, R"({"restartStatus":"SUCCEEDED"})");
    EXPECT_TRUE(barrier().empty());
}

TEST_F(session_test, a_late_reply_to_a_stream_the_client_closed_is_dropped) {
    send(request(1, "aws.greengrass#RestartComponent", R"({"componentName":"x"})"));
    EXPECT_TRUE(barrier().empty());
    send(frame({}, rpc::message_type::application_message, rpc::flag_terminate_stream, 1, ""));
    EXPECT_TRUE(barrier().empty());
    (*state.waiting)(model::restart_component_response{});
    EXPECT_TRUE(barrier().empty()) << "the dropped reply went out";
}

TEST_F(session_test, the_server_ends_a_stream_with_an_empty_terminate_message) {
    send(request(1, "aws.greengrass#SubscribeToComponentUpdates", "{}"));
    const auto response = next();
    EXPECT_EQ(int_header(response, ":message-flags"), 0);
    ASSERT_TRUE(state.stream.has_value());
    state.stream->close();
    const auto closed = next();
    // Exactly the three RPC headers, no payload (OperationContinuationHandler.closeStream()).
    ASSERT_EQ(closed.headers.size(), 3u);
    EXPECT_EQ(int_header(closed, ":message-type"), 0);
    EXPECT_EQ(int_header(closed, ":message-flags"), rpc::flag_terminate_stream);
    EXPECT_EQ(int_header(closed, ":stream-id"), 1);
    EXPECT_TRUE(closed.payload.empty());
    // The stream is gone: an event on it goes nowhere, and so does a second close.
    EXPECT_FALSE(state.stream->send(model::component_update_policy_events{}));
    state.stream->close();
    EXPECT_TRUE(barrier().empty());
}

TEST_F(session_test, the_server_ends_a_stream_with_a_modeled_error) {
    send(request(1, "aws.greengrass#SubscribeToComponentUpdates", "{}"));
    next();
    model::component_update_policy_events event;
    event.postUpdateEvent = model::post_component_update_event{"d-1"};
    EXPECT_TRUE(state.stream->send(event));
    const auto delivered = next();
    EXPECT_EQ(std::get<std::string>(delivered.find("service-model-type")->value),
              "aws.greengrass#ComponentUpdatePolicyEvents");
    EXPECT_EQ(delivered.payload, R"({"postUpdateEvent":{"deploymentId":"d-1"}})");
    state.stream->close(model::ipc_error::service("component removed"));
    const auto error = next();
    EXPECT_EQ(int_header(error, ":message-type"),
              static_cast<int>(rpc::message_type::application_error));
    EXPECT_EQ(int_header(error, ":message-flags"), rpc::flag_terminate_stream);
    EXPECT_EQ(std::get<std::string>(error.find("service-model-type")->value),
              "aws.greengrass#ServiceError");
    EXPECT_TRUE(barrier().empty());
}

}  // namespace
}  // namespace standin::server
