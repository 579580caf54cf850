// SPDX-License-Identifier: Apache-2.0
// Clients that do not read: a flooding publisher must not stall other clients, and a slow
// subscriber past --max-outbound-bytes loses its stream (ServiceError after its backlog) while
// other subscribers keep receiving (architecture.md decision 2; semantics.md §3.3).
#include <poll.h>

#include <iostream>

#include "integration_common.hpp"

namespace standin::test::integration {
namespace {

using Backpressure = IntegrationTest;

TEST_F(Backpressure, FloodingPublisherThatNeverReadsDoesNotStopOthers) {
    raw_client flood = connected(comp_a);
    constexpr int count = 40'000;  // ~6 MB of requests, ~6.5 MB of responses nobody reads
    std::string bytes;
    for (int i = 1; i <= count; ++i) {
        bytes += frames::encode(frames::request(i, op_publish, publish_json("flood/t", {{"i", i}})));
    }
    std::string_view rest = bytes;
    bool peer_gone = false;
    while (!rest.empty() && !peer_gone) {
        const auto n = flood.send_some(rest, peer_gone);
        if (n > 0) {
            rest.remove_prefix(n);
            continue;
        }
        // The socket is full. Wait for room; two quiet seconds mean the server stopped reading
        // from this client (back-pressure), which is the situation under test.
        pollfd p{flood.fd(), POLLOUT, 0};
        if (::poll(&p, 1, 2000) == 0) break;
    }
    EXPECT_FALSE(peer_gone) << "the server dropped a client that only sends valid requests";
    std::cerr << "flood: sent " << (bytes.size() - rest.size()) << " of " << bytes.size() << " bytes\n";

    // While the flooder's responses pile up unread, other clients are served.
    expect_still_served();
    {
        raw_client other = connected(comp_b);
        publish(other, publish_json("flood/other", {{"x", 1}}));
    }
    // A flooder going away with everything still queued harms nobody.
    flood.close();
    expect_still_served();
}

class SlowSubscriber : public IntegrationTest {
protected:
    static constexpr std::size_t limit = 65'536;
    daemon_config config() override {
        auto c = IntegrationTest::config();
        c.extra_args = {"--max-outbound-bytes", std::to_string(limit)};
        return c;
    }
};

TEST_F(SlowSubscriber, StreamIsClosedWithServiceErrorWhileOthersKeepReceiving) {
    constexpr int count = 2'000;
    const std::string pad(1'000, 'p');  // ~2 MB for the slow subscriber, far past socket buffers + limit

    raw_client slow = connected(comp_b);
    const auto slow_sid = subscribe(slow, subscribe_json("slow/t"));
    raw_client fast = connected(comp_b);
    const auto fast_sid = subscribe(fast, subscribe_json("slow/t"));
    raw_client pub = connected(comp_a);

    for (int i = 0; i < count; ++i) {
        publish(pub, publish_json("slow/t", {{"i", i}, {"pad", pad}}));
        const auto event = fast.read_message();
        ASSERT_TRUE(event.has_value()) << "the fast subscriber stopped receiving at message " << i;
        ASSERT_EQ(frames::meta(*event).stream_id, fast_sid);
        ASSERT_EQ(frames::json_of(*event), json_event("slow/t", {{"i", i}, {"pad", pad}}))
            << "message " << i;
    }

    // Now read the slow subscriber: a prefix of the messages in order, then the ServiceError that
    // closed the stream, then nothing.
    const auto backlog = slow.ping_barrier(std::chrono::seconds(30));
    ASSERT_TRUE(backlog.has_value());
    ASSERT_FALSE(backlog->empty()) << "the slow subscriber got neither messages nor an error";
    const auto& last = backlog->back();
    {
        SCOPED_TRACE(frames::describe(last));
        EXPECT_EQ(frames::int_header(last, ":message-type"), 1);
        EXPECT_EQ(frames::int_header(last, ":message-flags"), 2);
        EXPECT_EQ(frames::int_header(last, ":stream-id"), slow_sid);
        EXPECT_EQ(frames::string_header(last, ":content-type"), "application/json");
        EXPECT_EQ(frames::string_header(last, "service-model-type"), "aws.greengrass#ServiceError");
        const auto body = frames::json_of(last);
        ASSERT_TRUE(body.is_object()) << last.payload;
        EXPECT_EQ(body.value("_errorCode", ""), "ServiceError");
        EXPECT_EQ(body.value("_service", ""), "aws.greengrass#GreengrassCoreIPC");
        EXPECT_FALSE(body.value("message", "").empty());
        EXPECT_EQ(body.value("message", ""), body.value("_message", "-"));
    }
    const auto delivered = backlog->size() - 1;
    EXPECT_LT(delivered, static_cast<std::size_t>(count)) << "the slow subscriber was never cut off";
    for (std::size_t i = 0; i < delivered; ++i) {
        const auto& e = (*backlog)[i];
        ASSERT_EQ(frames::meta(e).stream_id, slow_sid) << frames::describe(e);
        ASSERT_EQ(frames::meta(e).type, 0) << frames::describe(e);
        ASSERT_EQ(frames::json_of(e), json_event("slow/t", {{"i", static_cast<int>(i)}, {"pad", pad}}))
            << "backlog message " << i;
    }
    std::cerr << "slow subscriber: " << delivered << " of " << count << " messages before the error\n";

    // The slow connection itself survives; its closed stream gets nothing more.
    publish(pub, publish_json("slow/t", {{"i", count}, {"pad", pad}}));
    const auto event = fast.read_message();
    ASSERT_TRUE(event.has_value());
    EXPECT_EQ(frames::json_of(*event), json_event("slow/t", {{"i", count}, {"pad", pad}}));
    const auto after = slow.ping_barrier();
    ASSERT_TRUE(after.has_value());
    EXPECT_TRUE(after->empty()) << frames::describe(*after);
    // And it can subscribe again.
    const auto again = subscribe(slow, subscribe_json("slow/t"));
    publish(pub, publish_json("slow/t", {{"again", true}}));
    const auto resumed = slow.read_message();
    ASSERT_TRUE(resumed.has_value());
    EXPECT_EQ(frames::meta(*resumed).stream_id, again);
    expect_still_served();
}

}  // namespace
}  // namespace standin::test::integration
