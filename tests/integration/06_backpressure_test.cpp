// SPDX-License-Identifier: Apache-2.0
// Clients that do not read: the daemon stops reading from a publisher that floods requests without
// reading the responses (and resumes once it reads) while it serves everyone else
// (architecture.md principle 5), and a slow subscriber past --max-outbound-bytes loses its stream
// (ServiceError after its backlog) while other subscribers keep receiving (architecture.md
// decision 2; semantics.md §3.3). Every "the daemon is not reading" is observed, never waited for:
// a full socket buffer that stays full across ping barriers on another connection.
#include <poll.h>

#include <chrono>
#include <iostream>
#include <string>
#include <string_view>

#include "integration_common.hpp"

namespace standin::test::integration {
namespace {

using Backpressure = IntegrationTest;

constexpr int flood_count = 40'000;  // ~6.8 MB of requests, ~6.6 MB of responses: past the 4 MiB
                                     // read pause plus both socket buffers

// The flood: PublishToTopic on streams 1..count, back to back.
std::string flood_requests(int count) {
    std::string bytes;
    for (int i = 1; i <= count; ++i)
        bytes += frames::encode(frames::request(i, op_publish, publish_json("flood/t", {{"i", i}})));
    return bytes;
}

// Sends `bytes` on `flood` without reading until the daemon stops reading it: the socket's send
// buffer is full and stays full across `rounds` ping barriers on `probe`, another connection.
// Each barrier proves the daemon's loop ran (it is alive and serving others) while it left this
// socket unread; a daemon that kept reading would have made room. Returns the bytes sent; all of
// them when the daemon never paused.
std::size_t send_until_reading_pauses(raw_client& flood, std::string_view bytes, raw_client& probe,
                                      int rounds = 3) {
    std::size_t sent = 0;
    int full_rounds = 0;
    while (sent < bytes.size()) {
        bool peer_gone = false;
        const auto n = flood.send_some(bytes.substr(sent), peer_gone);
        if (peer_gone) {
            ADD_FAILURE() << "the server dropped a client that only sends valid requests, after " << sent
                          << " bytes";
            return sent;
        }
        if (n > 0) {
            sent += n;
            full_rounds = 0;
            continue;
        }
        const auto rest = probe.ping_barrier();
        if (!rest || !rest->empty()) {
            ADD_FAILURE() << "the daemon did not answer another connection's ping while the flood "
                             "was pending";
            return sent;
        }
        if (++full_rounds == rounds) return sent;
    }
    return sent;
}

TEST_F(Backpressure, DaemonStopsReadingAClientThatDoesNotReadAndResumesWhenItReads) {
    raw_client flood = connected(comp_a);
    raw_client probe = connected(comp_b);
    const std::string bytes = flood_requests(flood_count);

    // 1. The flooder never reads: the daemon answers until its queue for this connection passes
    // the read pause, then stops reading, so the flooder's socket buffer stays full.
    const auto sent_at_pause = send_until_reading_pauses(flood, bytes, probe);
    ASSERT_LT(sent_at_pause, bytes.size())
        << "the daemon read all " << flood_count << " requests (" << bytes.size()
        << " bytes) without pausing, although none of the responses was read";
    std::cerr << "flood: reading paused after " << sent_at_pause << " of " << bytes.size() << " bytes\n";

    // While paused, other clients are served, and the flooder's socket stays full.
    expect_still_served();
    {
        bool peer_gone = false;
        EXPECT_EQ(flood.send_some(std::string_view{bytes}.substr(sent_at_pause), peer_gone), 0u)
            << "the daemon read from the flooder again although it still reads nothing";
        EXPECT_FALSE(peer_gone);
    }

    // 2. The flooder reads: the daemon resumes reading and answers every request, in order.
    std::size_t sent = sent_at_pause;
    int answered = 0;
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
    while (answered < flood_count) {
        ASSERT_LT(std::chrono::steady_clock::now(), deadline)
            << "stalled: " << sent << " of " << bytes.size() << " bytes sent, " << answered << " of "
            << flood_count << " requests answered";
        pollfd p{flood.fd(), static_cast<short>(POLLIN | (sent < bytes.size() ? POLLOUT : 0)), 0};
        ASSERT_GE(::poll(&p, 1, remaining_ms(deadline)), 0);
        if ((p.revents & POLLOUT) != 0) {
            bool peer_gone = false;
            sent += flood.send_some(std::string_view{bytes}.substr(sent), peer_gone);
            ASSERT_FALSE(peer_gone) << "after " << answered << " answers";
        }
        if ((p.revents & (POLLIN | POLLHUP | POLLERR)) == 0) continue;
        while (auto frame = flood.read_frame(milliseconds{0})) {
            const auto m = frames::meta(frame->message);
            ++answered;
            if (m.type != 0 || m.flags != 2 || m.stream_id != answered ||
                frames::string_header(frame->message, "service-model-type") !=
                    "aws.greengrass#PublishToTopicResponse") {
                FAIL() << "answer " << answered << ": " << frames::describe(frame->message);
            }
        }
        ASSERT_FALSE(flood.eof()) << "the server closed the flooder after " << answered << " answers";
    }
    EXPECT_EQ(sent, bytes.size());
    EXPECT_EQ(answered, flood_count);
    expect_nothing_more(flood);
    expect_still_served();
}

TEST_F(Backpressure, AFlooderLeavingWithItsAnswersUnreadHarmsNobody) {
    raw_client flood = connected(comp_a);
    raw_client probe = connected(comp_b);
    const std::string bytes = flood_requests(flood_count);
    ASSERT_LT(send_until_reading_pauses(flood, bytes, probe), bytes.size());
    flood.close();
    expect_still_served();
    expect_nothing_more(probe);
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
