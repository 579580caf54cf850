// SPDX-License-Identifier: Apache-2.0
// Streaming operations through the real daemon: SubscribeToTopic events from PublishToTopic, a
// refused subscription, closing a stream, and the end of the connection ending streams and failing
// pending calls.
#include <signal.h>

#include <atomic>
#include <future>

#include <boost/asio/use_future.hpp>

#include "client_integration_common.hpp"

namespace standin::client::integration {
namespace {

using Streams = ClientIntegration;

TEST_F(Streams, PublishAndSubscribeRoundTrip) {
    stream_log log;  // outlives the connections, whose end may still call it
    auto sub = connected(comp_b);
    auto pub = connected(comp_a);
    auto s = sub->subscribe("SubscribeToTopic", subscribe_json("rt/#"), log.handler());
    ASSERT_TRUE(s) << s.error();
    EXPECT_EQ(s->id(), 1);
    EXPECT_EQ(s->response(), json::object());
    for (int i = 0; i < 3; ++i) {
        const auto r = pub->call(op_publish, publish_json("rt/x/" + std::to_string(i), {{"i", i}}));
        ASSERT_TRUE(r) << r.error();
    }
    const auto events = log.wait_events(3);
    ASSERT_EQ(events.size(), 3u);
    for (int i = 0; i < 3; ++i) {
        const auto& e = events[static_cast<std::size_t>(i)];
        EXPECT_EQ(e.shape, "aws.greengrass#SubscriptionResponseMessage");
        EXPECT_EQ(
            e.body,
            (json{{"jsonMessage",
                   {{"message", {{"i", i}}}, {"context", {{"topic", "rt/x/" + std::to_string(i)}}}}}}))
            << e.body;
    }
    EXPECT_EQ(log.end_calls(), 0);
}

TEST_F(Streams, RefusedSubscriptionNeverCallsTheHandler) {
    stream_log log;
    auto conn = connected(comp_none);
    const auto s = conn->subscribe(op_subscribe, subscribe_json("t"), log.handler());
    ASSERT_FALSE(s);
    EXPECT_EQ(s.error(), errc::unauthorized_error) << s.error();
    EXPECT_TRUE(conn->ping());
    EXPECT_EQ(log.end_calls(), 0);
}

TEST_F(Streams, ClosedStreamGetsNoMoreEvents) {
    stream_log log;  // outlives the connections, whose end may still call it
    auto sub = connected(comp_b);
    auto pub = connected(comp_a);
    auto s = sub->subscribe(op_subscribe, subscribe_json("close/t"), log.handler());
    ASSERT_TRUE(s) << s.error();
    ASSERT_TRUE(pub->call(op_publish, publish_json("close/t", {{"n", 1}})));
    ASSERT_EQ(log.wait_events(1).size(), 1u);
    s->close();
    const auto end = log.wait_end();
    ASSERT_TRUE(end);
    EXPECT_FALSE(end->has_value());  // closed by this client
    // PING after the TERMINATE on the same connection: once it is answered, the server has
    // released the subscription (principle 7), so the next publish reaches nobody.
    ASSERT_TRUE(sub->ping());
    ASSERT_TRUE(pub->call(op_publish, publish_json("close/t", {{"n", 2}})));
    ASSERT_TRUE(sub->ping());
    EXPECT_EQ(log.event_count(), 1u);
    EXPECT_EQ(log.end_calls(), 1);
}

TEST_F(Streams, DestroyingTheHandleClosesTheStream) {
    stream_log log;
    auto sub = connected(comp_b);
    {
        auto s = sub->subscribe(op_subscribe, subscribe_json("raii/t"), log.handler());
        ASSERT_TRUE(s) << s.error();
    }
    const auto end = log.wait_end();
    ASSERT_TRUE(end);
    EXPECT_FALSE(end->has_value());
}

TEST_F(Streams, DaemonShutdownEndsStreamsAndIsReported) {
    std::promise<error> reported;
    stream_log log;
    auto config = config_of(comp_b);
    config.on_disconnect = [&](const error& e) { reported.set_value(e); };
    auto sub = connected(config);
    auto s = sub->subscribe(op_subscribe, subscribe_json("down/t"), log.handler());
    ASSERT_TRUE(s) << s.error();
    ASSERT_EQ(daemon.stop(), 0);
    const auto end = log.wait_end();
    ASSERT_TRUE(end);
    ASSERT_TRUE(end->has_value());
    EXPECT_EQ(**end, errc::disconnected) << **end;
    auto f = reported.get_future();
    ASSERT_EQ(f.wait_for(deadline), std::future_status::ready);
    EXPECT_EQ(f.get(), errc::disconnected);
    EXPECT_FALSE(sub->is_connected());
    EXPECT_EQ(sub->call(op_publish, publish_json("down/t", {{"n", 1}})).error(), errc::disconnected);
}

TEST_F(Streams, KilledDaemonFailsPendingCallsAndEndsStreams) {
    stream_log log;
    auto sub = connected(comp_b);
    auto s = sub->subscribe(op_subscribe, subscribe_json("kill/t"), log.handler());
    ASSERT_TRUE(s) << s.error();
    // Stopped, the daemon cannot answer: the call is still pending when the socket drops.
    ASSERT_EQ(::kill(daemon.pid(), SIGSTOP), 0);
    auto pending =
        sub->async_call(op_publish, publish_json("kill/t", {{"n", 1}}), boost::asio::use_future);
    daemon.expect_killed_by(SIGKILL);
    daemon.stop(SIGKILL);
    ASSERT_EQ(pending.wait_for(deadline), std::future_status::ready);
    const auto r = pending.get();
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error(), errc::disconnected) << r.error();
    const auto end = log.wait_end();
    ASSERT_TRUE(end);
    ASSERT_TRUE(end->has_value());
    EXPECT_EQ(**end, errc::disconnected);
}

// The daemon closes the stream of a subscriber that does not keep up (README, --max-outbound-bytes).
class SlowHandler : public ClientIntegration {
protected:
    static constexpr std::size_t limit = 65'536;
    SlowHandler() : ClientIntegration({"--max-outbound-bytes", std::to_string(limit)}) {}
};

TEST_F(SlowHandler, BlocksReadingUntilTheServerEndsTheStreamWithItsServiceError) {
    // While a handler runs, the client reads nothing (no event is buffered in the client), so the
    // daemon's queue for this connection fills and the daemon ends the stream with a ServiceError,
    // which reaches on_end once the handler returns.
    constexpr int count = 2'000;
    const std::string pad(1'000, 'p');  // ~2 MB, far past the limit plus the socket buffers
    std::promise<void> release;
    struct releaser {
        std::promise<void>& p;
        ~releaser() {
            try {
                p.set_value();
            } catch (const std::future_error&) {
            }
        }
    };
    std::shared_future<void> released = release.get_future().share();
    std::atomic<int> events{0};
    std::promise<std::optional<error>> ended;
    releaser guard{release};  // even when an assertion returns early, the handler gets released
    stream_handler slow{[&](stream_event) {
                            if (events++ == 0) released.wait();
                        },
                        [&](std::optional<error> e) { ended.set_value(std::move(e)); }};
    auto sub = connected(comp_b);
    auto s = sub->subscribe(op_subscribe, subscribe_json("slow/t"), slow);
    ASSERT_TRUE(s) << s.error();
    auto pub = connected(comp_a);
    for (int i = 0; i < count; ++i) {
        const auto r = pub->call(op_publish, publish_json("slow/t", {{"i", i}, {"pad", pad}}));
        ASSERT_TRUE(r) << r.error();
    }
    release.set_value();
    auto end = ended.get_future();
    ASSERT_EQ(end.wait_for(30s), std::future_status::ready);
    const auto why = end.get();
    ASSERT_TRUE(why.has_value());
    EXPECT_EQ(*why, errc::service_error) << *why;
    EXPECT_NE(why->message.find("not reading fast enough"), std::string::npos) << why->message;
    EXPECT_LT(events.load(), count);
    EXPECT_GT(events.load(), 0);
    // The connection itself survives.
    EXPECT_TRUE(sub->ping());
}

}  // namespace
}  // namespace standin::client::integration
