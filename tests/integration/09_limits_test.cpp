// SPDX-License-Identifier: Apache-2.0
// Session limits (connection_limits.hpp): a client that never sends CONNECT, a client that stops
// reading, one that opens streams without end, and more connections than allowed. Each meets its
// named limit with a log line, and the daemon keeps serving everyone else.
#include <poll.h>
#include <sys/socket.h>

#include "integration_common.hpp"

namespace standin::test::integration {
namespace {

// Waits (poll, no read) until the peer has closed its end of `fd`, even with unread data queued.
bool peer_closed_within(int fd, milliseconds timeout) {
    pollfd p{fd, POLLRDHUP, 0};
    const int ready = ::poll(&p, 1, static_cast<int>(timeout.count()));
    return ready == 1 && (p.revents & (POLLRDHUP | POLLHUP)) != 0;
}

class LimitsTest : public IntegrationTest {
protected:
    daemon_config config() override {
        auto c = IntegrationTest::config();
        c.extra_args = extra_args;
        return c;
    }
    std::vector<std::string> extra_args;
};

class ConnectDeadline : public LimitsTest {
protected:
    ConnectDeadline() { extra_args = {"--connect-timeout", "0.2"}; }
};

TEST_F(ConnectDeadline, ClosesAConnectionThatNeverSendsConnect) {
    raw_client idle = client();
    // Someone who connects on time is served while the idle one waits.
    raw_client prompt = connected(comp_a);
    EXPECT_TRUE(idle.expect_closed(milliseconds{5000}))
        << "the daemon kept a connection without CONNECT";
    EXPECT_NE(daemon().stderr_text().find("no CONNECT within 200 ms"), std::string::npos)
        << daemon().stderr_text();
    // The connection made on time outlives the deadline.
    publish(prompt, publish_json("after/deadline", {{"x", 1}}));
    expect_still_served();
}

class WriteStall : public LimitsTest {
protected:
    WriteStall() { extra_args = {"--write-stall-timeout", "0.3", "--max-outbound-bytes", "1073741824"}; }
};

TEST_F(WriteStall, ClosesAConnectionThatStopsReading) {
    raw_client stalled = connected(comp_b);
    subscribe(stalled, subscribe_json("flood"));
    raw_client pub = connected(comp_a);
    // Far more than the socket buffers hold, so that a write to the stalled reader stays pending.
    const std::string chunk(64 * 1024, 'x');
    for (int i = 0; i < 64; ++i)
        publish(pub, publish_json("flood", {{"chunk", chunk}}));
    EXPECT_TRUE(peer_closed_within(stalled.fd(), milliseconds{10000}))
        << "the daemon kept a connection whose writes stalled";
    EXPECT_NE(daemon().stderr_text().find("has not read for 300 ms"), std::string::npos)
        << daemon().stderr_text();
    // The publisher, who reads, is untouched.
    publish(pub, publish_json("flood", {{"after", true}}));
    expect_still_served();
}

class StreamLimit : public LimitsTest {
protected:
    StreamLimit() { extra_args = {"--max-streams-per-connection", "3"}; }
};

TEST_F(StreamLimit, RefusesAStreamBeyondTheLimitAndAcceptsOneAfterAClose) {
    raw_client c = connected(comp_a);
    const auto first = subscribe(c, subscribe_json("s/1"));
    subscribe(c, subscribe_json("s/2"));
    subscribe(c, subscribe_json("s/3"));
    const auto refused = c.request(op_subscribe, subscribe_json("s/4"));
    const auto error = c.read_message();
    ASSERT_TRUE(error.has_value());
    expect_modeled_error(*error, refused, "ServiceError",
                         "Too many open streams on this connection (limit 3); close some before "
                         "opening more");
    EXPECT_NE(daemon().stderr_text().find("--max-streams-per-connection"), std::string::npos);

    // Closing one stream (client TERMINATE) frees a place.
    ASSERT_TRUE(c.send(frames::rpc_message(rpc::message_type::application_message,
                                           rpc::flag_terminate_stream, first, {}, "")));
    const auto rest = c.ping_barrier();
    ASSERT_TRUE(rest.has_value());
    EXPECT_TRUE(rest->empty()) << frames::describe(*rest);
    subscribe(c, subscribe_json("s/5"));
    expect_still_served();
}

class ConnectionLimit : public LimitsTest {
protected:
    ConnectionLimit() { extra_args = {"--max-connections", "2"}; }
};

TEST_F(ConnectionLimit, ClosesConnectionsBeyondTheLimitAndServesAgainWhenOneLeaves) {
    raw_client a = connected(comp_a);
    raw_client b = connected(comp_b);
    raw_client refused = client();
    EXPECT_TRUE(refused.expect_closed(milliseconds{5000})) << "a third connection was served";
    EXPECT_NE(daemon().stderr_text().find("--max-connections"), std::string::npos);
    publish(a, publish_json("still/served", {{"x", 1}}));

    // Once one leaves, a new connection is served. The daemon notices the close on its own
    // schedule, so each attempt is retried until the deadline: every attempt waits on an event.
    b.close();
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    bool served = false;
    while (!served && std::chrono::steady_clock::now() < deadline) {
        raw_client again = client();
        const auto ack = again.connect_as(daemon().token(comp_b), milliseconds{2000});
        served = ack.has_value();
    }
    EXPECT_TRUE(served) << "no connection was served after one left";
}

}  // namespace
}  // namespace standin::test::integration
