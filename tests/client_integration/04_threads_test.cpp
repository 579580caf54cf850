// SPDX-License-Identifier: Apache-2.0
// Thread safety against the real daemon: calls from several threads on one connection, handlers
// that call back into the client, and the asynchronous API on the caller's io_context.
#include <atomic>
#include <future>
#include <thread>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/use_future.hpp>

#include "client_integration_common.hpp"

namespace standin::client::integration {
namespace {

namespace asio = boost::asio;
using Threads = ClientIntegration;

TEST_F(Threads, CallsFromSeveralThreadsOnOneConnection) {
    constexpr int threads = 4;
    constexpr int per_thread = 100;
    stream_log log;
    auto sub = connected(comp_b);
    auto s = sub->subscribe(op_subscribe, subscribe_json("mt/#"), log.handler());
    ASSERT_TRUE(s) << s.error();
    auto pub = connected(comp_a);
    std::atomic<int> failures{0};
    std::vector<std::thread> workers;
    for (int t = 0; t < threads; ++t) {
        workers.emplace_back([&, t] {
            for (int i = 0; i < per_thread; ++i) {
                const auto r =
                    pub->call(op_publish, publish_json("mt/" + std::to_string(t), {{"t", t}, {"i", i}}));
                if (!r) ++failures;
            }
        });
    }
    for (auto& w : workers)
        w.join();
    EXPECT_EQ(failures.load(), 0);
    const auto events = log.wait_events(threads * per_thread);
    ASSERT_EQ(events.size(), static_cast<std::size_t>(threads * per_thread));
    // Per publisher thread, the events keep the order of its calls.
    std::vector<int> next(threads, 0);
    for (const auto& e : events) {
        const auto& m = e.body["jsonMessage"]["message"];
        const int t = m["t"].get<int>();
        EXPECT_EQ(m["i"].get<int>(), next[static_cast<std::size_t>(t)]++);
    }
}

TEST_F(Threads, HandlerCallsBackIntoTheClient) {
    // Declared before the connections, whose handlers use them.
    std::promise<error> blocking;
    std::atomic<bool> first{true};
    std::atomic<int> echo_failures{0};
    stream_log out_log;
    auto conn = connected(comp_a);
    // Echo: every event on in/# is republished on out/ from the handler, with the async API.
    // A blocking call from the handler fails with would_deadlock instead of hanging.
    stream_handler echo{[&](stream_event e) {
                            if (first.exchange(false)) {
                                const auto r = conn->call(op_publish, publish_json("x", {}));
                                blocking.set_value(r ? error{} : r.error());
                            }
                            conn->async_call(op_publish,
                                             publish_json("out/t", e.body["jsonMessage"]["message"]),
                                             [&](result<json> r) {
                                                 if (!r) ++echo_failures;
                                             });
                        },
                        {}};
    auto in = conn->subscribe(op_subscribe, subscribe_json("in/#"), echo);
    ASSERT_TRUE(in) << in.error();
    auto listener = connected(comp_b);
    auto out = listener->subscribe(op_subscribe, subscribe_json("out/t"), out_log.handler());
    ASSERT_TRUE(out) << out.error();

    auto pub = connected(comp_b);
    for (int i = 0; i < 5; ++i)
        ASSERT_TRUE(pub->call(op_publish, publish_json("in/x", {{"i", i}})));
    const auto echoed = out_log.wait_events(5);
    ASSERT_EQ(echoed.size(), 5u);
    for (int i = 0; i < 5; ++i) {
        EXPECT_EQ(echoed[static_cast<std::size_t>(i)].body["jsonMessage"]["message"]["i"], i);
    }
    auto b = blocking.get_future();
    ASSERT_EQ(b.wait_for(deadline), std::future_status::ready);
    EXPECT_EQ(b.get(), errc::would_deadlock);
    EXPECT_EQ(echo_failures.load(), 0);
}

// A function, not a lambda: see connection_test.cpp on GCC 12 and braced initializers.
asio::awaitable<std::string> publish_twice(connection& conn) {
    const auto request = publish_json("aw/t", {{"a", 1}});
    auto c = co_await conn.async_connect(asio::use_awaitable);
    if (!c) co_return "connect: " + c.error().what();
    for (int i = 0; i < 2; ++i) {
        auto r = co_await conn.async_call(op_publish, request, asio::use_awaitable);
        if (!r) co_return "publish: " + r.error().what();
    }
    auto p = co_await conn.async_ping(asio::use_awaitable);
    if (!p) co_return "ping: " + p.error().what();
    co_await conn.async_close(asio::use_awaitable);
    co_return std::string{"ok"};
}

TEST_F(Threads, CoroutinesOnTheCallersIoContext) {
    asio::io_context io;
    connection conn{io.get_executor(), config_of(comp_a)};
    auto done = asio::co_spawn(io, publish_twice(conn), asio::use_future);
    io.run();
    ASSERT_EQ(done.wait_for(0s), std::future_status::ready);
    EXPECT_EQ(done.get(), "ok");
}

}  // namespace
}  // namespace standin::client::integration
