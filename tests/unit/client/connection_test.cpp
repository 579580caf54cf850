// SPDX-License-Identifier: Apache-2.0
// The Asio glue of standin::client::connection against a scripted peer (fake_server): what reaches
// the wire, how each server behaviour surfaces, completion tokens, cancellation, timeouts, the
// deadlock guard, graceful close, the outbound bound and destruction. The real daemon is exercised
// in tests/client_integration/.
#include "standin/client/connection.hpp"

#include <future>
#include <thread>

#include <gtest/gtest.h>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/experimental/awaitable_operators.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/use_future.hpp>

#include "fake_server.hpp"

namespace standin::client {
namespace {

namespace asio = boost::asio;
using namespace standin::client::test;
using namespace std::chrono_literals;

constexpr std::string_view op_publish = "aws.greengrass#PublishToTopic";
constexpr std::string_view op_subscribe = "aws.greengrass#SubscribeToTopic";
constexpr auto wait_limit = 5s;

connection_config config_for(const fake_server& server) {
    connection_config config;
    config.socket_path = server.path();
    config.auth_token = "TOKEN";
    return config;
}

template <class T>
T get(std::future<T>& f) {
    if (f.wait_for(wait_limit) != std::future_status::ready)
        throw std::runtime_error("no completion in time");
    return f.get();
}

// The client's TERMINATE of `stream_id` is the next message.
void expect_terminate(fake_server& server, std::int32_t stream_id) {
    const auto msg = server.read();
    ASSERT_TRUE(msg);
    const auto meta = rpc::extract_metadata(*msg);
    ASSERT_TRUE(meta);
    EXPECT_EQ(meta->type, 0);
    EXPECT_EQ(meta->flags, rpc::flag_terminate_stream);
    EXPECT_EQ(meta->stream_id, stream_id);
    EXPECT_EQ(msg->headers.size(), 3u);
}

struct recorded_stream {
    std::promise<std::optional<error>> ended;
    std::promise<stream_event> first_event;
    bool got_event = false;

    stream_handler handler() {
        return {[this](stream_event e) {
                    if (!got_event) first_event.set_value(std::move(e));
                    got_event = true;
                },
                [this](std::optional<error> e) { ended.set_value(std::move(e)); }};
    }
};

class connection_test : public ::testing::Test {
protected:
    fake_server server;

    // A blocking-mode connection, connected to `server`.
    std::unique_ptr<connection> connected(connection_config config) {
        auto conn = std::make_unique<connection>(std::move(config));
        auto done = conn->async_connect(asio::use_future);
        server.handshake();
        EXPECT_TRUE(get(done));
        return conn;
    }
    std::unique_ptr<connection> connected() { return connected(config_for(server)); }
};

// --- Connecting ----------------------------------------------------------------------------------

TEST_F(connection_test, ConnectSendsTheSdkConnectAndCompletesOnTheAck) {
    connection conn{config_for(server)};
    EXPECT_FALSE(conn.is_connected());
    auto done = conn.async_connect(asio::use_future);
    const auto connect = server.handshake();
    EXPECT_EQ(header_names(connect),
              (std::vector<std::string>{":version", ":message-type", ":message-flags", ":stream-id"}));
    EXPECT_EQ(connect.payload, R"({"authToken":"TOKEN"})");
    ASSERT_TRUE(get(done));
    EXPECT_TRUE(conn.is_connected());
    const auto again = conn.connect();
    EXPECT_EQ(again.error(), errc::already_connected);
}

TEST_F(connection_test, RejectedConnectIsAccessDenied) {
    connection conn{config_for(server)};
    auto done = conn.async_connect(asio::use_future);
    server.accept();
    ASSERT_TRUE(server.read());
    server.send(connect_ack(false));
    const auto r = get(done);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error(), errc::access_denied);
    EXPECT_NE(r.error().message.find("SVCUID"), std::string::npos) << r.error();
    EXPECT_TRUE(server.eof());
}

TEST_F(connection_test, ServerClosingBeforeTheAckIsADisconnect) {
    connection conn{config_for(server)};
    auto done = conn.async_connect(asio::use_future);
    server.accept();
    ASSERT_TRUE(server.read());
    server.close_client();
    const auto r = get(done);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error(), errc::disconnected);
    EXPECT_NE(r.error().message.find("before CONNECT_ACK"), std::string::npos) << r.error();
}

TEST_F(connection_test, NoAckWithinTheTimeout) {
    auto config = config_for(server);
    config.connect_timeout = 100ms;
    connection conn{config};
    auto done = conn.async_connect(asio::use_future);
    server.accept();
    ASSERT_TRUE(server.read());
    const auto r = get(done);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error(), errc::connect_timeout);
    EXPECT_NE(r.error().message.find("no CONNECT_ACK"), std::string::npos) << r.error();
}

TEST_F(connection_test, MissingSocket) {
    auto config = config_for(server);
    config.socket_path = (server.dir() / "absent.socket").string();
    connection conn{config};
    const auto r = conn.connect();
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error(), errc::socket_not_found);
    EXPECT_NE(r.error().message.find(config.socket_path), std::string::npos) << r.error();
}

TEST_F(connection_test, SocketFileWithoutAListener) {
    auto config = config_for(server);
    const auto stale = server.dir() / "stale.socket";
    {
        const int fd = ::socket(AF_UNIX, SOCK_STREAM, 0);
        sockaddr_un addr{};
        addr.sun_family = AF_UNIX;
        std::strncpy(addr.sun_path, stale.c_str(), sizeof(addr.sun_path) - 1);
        ASSERT_EQ(::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)), 0);
        ::close(fd);  // bound, never listened: what a crashed server leaves behind
    }
    config.socket_path = stale.string();
    connection conn{config};
    const auto r = conn.connect();
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error(), errc::socket_refused) << r.error();
}

TEST_F(connection_test, MissingConfiguration) {
    auto no_token = config_for(server);
    no_token.auth_token.clear();
    const auto t = connection{no_token}.connect();
    EXPECT_EQ(t.error(), errc::missing_token);
    EXPECT_NE(t.error().message.find("SVCUID"), std::string::npos);

    auto no_path = config_for(server);
    no_path.socket_path.clear();
    const auto p = connection{no_path}.connect();
    EXPECT_EQ(p.error(), errc::missing_socket_path);
    EXPECT_NE(p.error().message.find("AWS_GG_NUCLEUS_DOMAIN_SOCKET_FILEPATH_FOR_COMPONENT"),
              std::string::npos);

    auto long_path = config_for(server);
    long_path.socket_path = "/tmp/" + std::string(200, 'x');
    EXPECT_EQ(connection{long_path}.connect().error(), errc::invalid_socket_path);
}

TEST_F(connection_test, CallsBeforeConnectFail) {
    connection conn{config_for(server)};
    EXPECT_EQ(conn.call(op_publish, {{"topic", "t"}}).error(), errc::not_connected);
    EXPECT_EQ(conn.ping().error(), errc::not_connected);
}

// --- Calls ---------------------------------------------------------------------------------------

TEST_F(connection_test, CallRoundTripIsTheJsSdkFrame) {
    auto conn = connected();
    auto reply = conn->async_call(
        "PublishToTopic",
        nlohmann::ordered_json{{"topic", "t"},
                               {"publishMessage", {{"jsonMessage", {{"message", {{"a", 1}}}}}}}},
        asio::use_future);
    const auto id = server.read_request(op_publish);
    EXPECT_EQ(id, 1);
    EXPECT_EQ(server.last_request().payload,
              R"({"topic":"t","publishMessage":{"jsonMessage":{"message":{"a":1}}}})");
    EXPECT_EQ(header_names(server.last_request()),
              (std::vector<std::string>{":message-type", ":message-flags", ":stream-id", "operation"}));
    server.send(response(id, "aws.greengrass#PublishToTopicResponse", R"({"x":1})"));
    const auto r = get(reply);
    ASSERT_TRUE(r) << r.error();
    EXPECT_EQ(*r, (nlohmann::json{{"x", 1}}));
}

TEST_F(connection_test, ModeledErrorReachesTheCaller) {
    auto conn = connected();
    auto reply = conn->async_call(op_publish, {{"topic", "t"}}, asio::use_future);
    const auto id = server.read_request(op_publish);
    server.send(modeled_error(id, "UnauthorizedError", "not allowed"));
    const auto r = get(reply);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error(), errc::unauthorized_error);
    EXPECT_EQ(r.error().message, "not allowed");
    EXPECT_EQ(r.error().body["_errorCode"], "UnauthorizedError");
}

TEST_F(connection_test, DisconnectFailsPendingCallsEndsStreamsAndIsReported) {
    std::promise<error> disconnected;
    auto config = config_for(server);
    config.on_disconnect = [&](const error& e) { disconnected.set_value(e); };
    recorded_stream events;
    auto conn = connected(config);
    auto sub = conn->async_subscribe(op_subscribe, {{"topic", "t"}}, events.handler(), asio::use_future);
    const auto sid = server.read_request(op_subscribe);
    server.send(response(sid, "aws.greengrass#SubscribeToTopicResponse", "{}", 0));
    auto s = get(sub);
    ASSERT_TRUE(s);
    auto pending = conn->async_call(op_publish, {{"topic", "t"}}, asio::use_future);
    server.read_request(op_publish);
    server.close_client();

    const auto r = get(pending);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error(), errc::disconnected);
    auto end_future = events.ended.get_future();
    const auto ended = get(end_future);
    ASSERT_TRUE(ended);
    EXPECT_EQ(*ended, errc::disconnected);
    auto reported = disconnected.get_future();
    EXPECT_EQ(get(reported), errc::disconnected);
    EXPECT_FALSE(conn->is_connected());
    EXPECT_EQ(conn->call(op_publish, {{"topic", "t"}}).error(), errc::disconnected);
}

TEST_F(connection_test, ServerProtocolErrorEndsTheConnection) {
    auto conn = connected();
    auto pending = conn->async_call(op_publish, {{"topic", "t"}}, asio::use_future);
    server.read_request(op_publish);
    server.send(server_message(message_type::protocol_error, 0, 0,
                               {{":content-type", std::string{"application/json"}}},
                               R"({ "message": "bad ids" })"));
    const auto r = get(pending);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error(), errc::protocol_error);
    EXPECT_NE(r.error().message.find("bad ids"), std::string::npos);
    EXPECT_TRUE(server.eof());
}

TEST_F(connection_test, UndecodableFrameEndsTheConnection) {
    auto conn = connected();
    auto pending = conn->async_call(op_publish, {{"topic", "t"}}, asio::use_future);
    server.read_request(op_publish);
    server.send_bytes(std::string(16, '\0'));  // a prelude whose CRC is wrong
    const auto r = get(pending);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error(), errc::protocol_error);
}

TEST_F(connection_test, PingWaitsForThePingResponse) {
    auto conn = connected();
    auto pong = conn->async_ping(asio::use_future);
    const auto ping = server.read();
    ASSERT_TRUE(ping);
    EXPECT_EQ(rpc::extract_metadata(*ping)->type, 2);
    EXPECT_EQ(pong.wait_for(0s), std::future_status::timeout);
    server.send(server_message(message_type::ping_response, 0, 0));
    EXPECT_TRUE(get(pong));
}

TEST_F(connection_test, BlockingCallTimesOutAndClosesItsStream) {
    auto conn = connected();
    const auto r = conn->call(op_publish, {{"topic", "t"}}, 50ms);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error(), errc::timeout);
    const auto id = server.read_request(op_publish);
    expect_terminate(server, id);
    // The late reply is dropped and the connection stays usable.
    server.send(response(id, "aws.greengrass#PublishToTopicResponse", "{}"));
    auto pong = conn->async_ping(asio::use_future);
    ASSERT_TRUE(server.read());
    server.send(server_message(message_type::ping_response, 0, 0));
    EXPECT_TRUE(get(pong));
}

TEST_F(connection_test, OutboundQueueIsBounded) {
    auto config = config_for(server);
    config.max_outbound_bytes = 1024 * 1024;
    auto conn = connected(config);
    // The server does not read: a 4 MiB request cannot leave the queue, so the next call is refused.
    auto big =
        conn->async_call(op_publish, {{"topic", std::string(4 * 1024 * 1024, 'x')}}, asio::use_future);
    auto refused = conn->async_call(op_publish, {{"topic", "t"}}, asio::use_future);
    const auto r = get(refused);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error(), errc::outbound_queue_full);
    conn.reset();  // destroying fails the big one
    EXPECT_EQ(get(big).error(), errc::closed);
}

TEST_F(connection_test, DestroyingTheConnectionFailsPendingCalls) {
    auto conn = connected();
    auto pending = conn->async_call(op_publish, {{"topic", "t"}}, asio::use_future);
    server.read_request(op_publish);
    conn.reset();
    EXPECT_EQ(get(pending).error(), errc::closed);
    EXPECT_TRUE(server.eof());
}

TEST_F(connection_test, ConcurrentCallsFromSeveralThreads) {
    constexpr int threads = 4;
    constexpr int per_thread = 25;
    auto conn = connected();
    std::vector<std::thread> callers;
    std::vector<std::vector<std::future<result<nlohmann::json>>>> replies(threads);
    for (int t = 0; t < threads; ++t) {
        callers.emplace_back([&, t] {
            for (int i = 0; i < per_thread; ++i) {
                replies[static_cast<std::size_t>(t)].push_back(conn->async_call(
                    op_publish,
                    nlohmann::ordered_json{{"topic", std::to_string(t) + "/" + std::to_string(i)}},
                    asio::use_future));
            }
        });
    }
    // The server answers each request with its own topic, in arrival order.
    for (int n = 0; n < threads * per_thread; ++n) {
        const auto id = server.read_request(op_publish);
        const auto topic = nlohmann::json::parse(server.last_request().payload)["topic"];
        server.send(response(id, "aws.greengrass#PublishToTopicResponse",
                             nlohmann::json{{"echo", topic}}.dump()));
    }
    for (auto& c : callers)
        c.join();
    for (int t = 0; t < threads; ++t) {
        for (int i = 0; i < per_thread; ++i) {
            const auto r = get(replies[static_cast<std::size_t>(t)][static_cast<std::size_t>(i)]);
            ASSERT_TRUE(r) << r.error();
            EXPECT_EQ((*r)["echo"], std::to_string(t) + "/" + std::to_string(i));
        }
    }
}

// --- Streams -------------------------------------------------------------------------------------

TEST_F(connection_test, StreamEndedByTheServerWithAModeledError) {
    recorded_stream events;
    auto conn = connected();
    auto sub = conn->async_subscribe(op_subscribe, {{"topic", "t"}}, events.handler(), asio::use_future);
    const auto id = server.read_request(op_subscribe);
    server.send(response(id, "aws.greengrass#SubscribeToTopicResponse", R"({"r":1})", 0));
    auto s = get(sub);
    ASSERT_TRUE(s);
    EXPECT_EQ(s->id(), id);
    EXPECT_EQ(s->response(), (nlohmann::json{{"r", 1}}));
    server.send(event(id, R"({"jsonMessage":{"message":{"n":1}}})"));
    auto first = events.first_event.get_future();
    EXPECT_EQ(get(first).body["jsonMessage"]["message"]["n"], 1);
    server.send(modeled_error(id, "ServiceError", "too slow"));
    auto end_future = events.ended.get_future();
    const auto ended = get(end_future);
    ASSERT_TRUE(ended);
    EXPECT_EQ(*ended, errc::service_error);
    EXPECT_EQ(ended->message, "too slow");
    EXPECT_TRUE(conn->is_connected());
}

TEST_F(connection_test, StreamClosedByTheClient) {
    recorded_stream events;
    auto conn = connected();
    auto sub = conn->async_subscribe(op_subscribe, {{"topic", "t"}}, events.handler(), asio::use_future);
    const auto id = server.read_request(op_subscribe);
    server.send(response(id, "aws.greengrass#SubscribeToTopicResponse", "{}", 0));
    auto s = get(sub);
    ASSERT_TRUE(s);
    s->close();
    expect_terminate(server, id);
    auto end_future = events.ended.get_future();
    EXPECT_FALSE(get(end_future).has_value());
    s->close();  // idempotent
}

TEST_F(connection_test, HandlerCallsBackIntoTheClient) {
    std::promise<error> blocking_result;
    std::promise<result<nlohmann::json>> async_result;
    bool first = true;
    auto conn = connected();
    stream_handler handler{
        [&](stream_event) {
            if (!first) return;
            first = false;
            // Blocking from the connection's own thread: refused, not a hang.
            auto r = conn->call(op_publish, {{"topic", "x"}});
            blocking_result.set_value(r ? error{} : r.error());
            // Asynchronous from the handler: fine.
            conn->async_call(op_publish, {{"topic", "from-handler"}},
                             [&](result<nlohmann::json> r2) { async_result.set_value(std::move(r2)); });
        },
        {}};
    auto sub = conn->async_subscribe(op_subscribe, {{"topic", "t"}}, handler, asio::use_future);
    const auto sid = server.read_request(op_subscribe);
    server.send(response(sid, "aws.greengrass#SubscribeToTopicResponse", "{}", 0));
    auto s = get(sub);
    ASSERT_TRUE(s);
    server.send(event(sid, "{}"));
    auto blocked = blocking_result.get_future();
    EXPECT_EQ(get(blocked), errc::would_deadlock);
    const auto id = server.read_request(op_publish);
    EXPECT_EQ(nlohmann::json::parse(server.last_request().payload)["topic"], "from-handler");
    server.send(response(id, "aws.greengrass#PublishToTopicResponse", "{}"));
    auto answered = async_result.get_future();
    EXPECT_TRUE(get(answered));
}

TEST_F(connection_test, HandlerThatThrowsEndsItsStream) {
    std::promise<std::optional<error>> ended;
    auto conn = connected();
    stream_handler handler{[](stream_event) { throw std::runtime_error("handler bug"); },
                           [&](std::optional<error> e) { ended.set_value(std::move(e)); }};
    auto sub = conn->async_subscribe(op_subscribe, {{"topic", "t"}}, handler, asio::use_future);
    const auto sid = server.read_request(op_subscribe);
    server.send(response(sid, "aws.greengrass#SubscribeToTopicResponse", "{}", 0));
    auto s = get(sub);
    ASSERT_TRUE(s);
    server.send(event(sid, "{}"));
    expect_terminate(server, sid);
    auto f = ended.get_future();
    const auto e = get(f);
    ASSERT_TRUE(e);
    EXPECT_EQ(*e, errc::handler_failed);
    EXPECT_NE(e->message.find("handler bug"), std::string::npos);
}

// --- Graceful close ------------------------------------------------------------------------------

TEST_F(connection_test, GracefulCloseTerminatesStreamsAndFlushes) {
    recorded_stream events;
    auto conn = connected();
    auto sub = conn->async_subscribe(op_subscribe, {{"topic", "t"}}, events.handler(), asio::use_future);
    const auto sid = server.read_request(op_subscribe);
    server.send(response(sid, "aws.greengrass#SubscribeToTopicResponse", "{}", 0));
    auto s = get(sub);
    ASSERT_TRUE(s);
    auto pending = conn->async_call(op_publish, {{"topic", "t"}}, asio::use_future);
    auto closed = conn->async_close(asio::use_future);
    EXPECT_EQ(get(pending).error(), errc::closed);
    auto end_future = events.ended.get_future();
    EXPECT_FALSE(get(end_future).has_value());
    server.read_request(op_publish);
    expect_terminate(server, sid);
    expect_terminate(server, 2);
    EXPECT_TRUE(server.eof());  // the client shut down its side
    server.close_client();
    EXPECT_TRUE(get(closed));
    EXPECT_EQ(conn->call(op_publish, {{"topic", "t"}}).error(), errc::closed);
}

// --- Asynchronous mode: the caller's io_context, coroutines, cancellation ------------------------

// GCC 12 cannot keep a braced initializer of string literals alive across co_await ("array used as
// initializer"), so the requests are built before each co_await.
asio::awaitable<std::string> connect_call_and_race(connection& conn) {
    const nlohmann::ordered_json first{{"topic", "first"}};
    const nlohmann::ordered_json never{{"topic", "never answered"}};
    using namespace asio::experimental::awaitable_operators;
    auto c = co_await conn.async_connect(asio::use_awaitable);
    if (!c) co_return "connect: " + c.error().what();
    auto r = co_await conn.async_call(op_publish, first, asio::use_awaitable);
    if (!r) co_return "call: " + r.error().what();
    // A call raced with a timer: the timer wins, the call completes as cancelled.
    asio::steady_timer timer{co_await asio::this_coro::executor, 20ms};
    auto raced = co_await (conn.async_call(op_publish, never, asio::use_awaitable) ||
                           timer.async_wait(asio::use_awaitable));
    if (raced.index() != 1) co_return std::string{"the call won the race"};
    co_return std::string{"ok"};
}

TEST_F(connection_test, CoroutinesOnTheCallersExecutorAndCancellation) {
    asio::io_context io;
    connection conn{io.get_executor(), config_for(server)};
    auto done = asio::co_spawn(io, connect_call_and_race(conn), asio::use_future);
    std::thread runner{[&] { io.run(); }};
    server.handshake();
    const auto id = server.read_request(op_publish);
    server.send(response(id, "aws.greengrass#PublishToTopicResponse", "{}"));
    const auto cancelled = server.read_request(op_publish);
    expect_terminate(server, cancelled);
    EXPECT_EQ(get(done), "ok");
    auto closed = conn.async_close(asio::use_future);
    EXPECT_TRUE(server.eof());
    server.close_client();
    EXPECT_TRUE(get(closed));
    runner.join();
}

}  // namespace
}  // namespace standin::client
