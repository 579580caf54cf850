// SPDX-License-Identifier: Apache-2.0
// The real JS SDK's bytes (fixtures/frames/captured/, recorded by
// tests/conformance/record_frames.js) replayed into the daemon after our own CONNECT: every one of
// the client's frames is understood, each request gets exactly one first reply on its stream and
// none is a protocol or framework error, the PING is answered, the subscription delivers the
// session's two publishes and nothing after its close.
#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>

#include "integration_common.hpp"
#include "standin/protocol/frame_decoder.hpp"
#include "standin/test/files.hpp"

namespace standin::test::integration {
namespace {

namespace fs = std::filesystem;

struct captured_frame {
    std::string name;
    std::size_t sequence = 0;
    std::string bytes;
};

// The session in the order the client sent it.
std::vector<captured_frame> captured_session() {
    const fs::path dir = fs::path{STANDIN_FIXTURES_DIR} / "frames" / "captured";
    std::vector<captured_frame> out;
    for (const auto& entry : fs::directory_iterator{dir}) {
        if (entry.path().extension() != ".bin") continue;
        const auto description =
            json::parse(read_file(fs::path{entry.path()}.replace_extension(".json")));
        out.push_back({entry.path().stem().string(), description.at("sequence").get<std::size_t>(),
                       read_file(entry.path())});
    }
    std::sort(out.begin(), out.end(),
              [](const auto& a, const auto& b) { return a.sequence < b.sequence; });
    return out;
}

using CapturedReplay = IntegrationTest;

TEST_F(CapturedReplay, TheSdksFramesAreServed) {
    const auto session = captured_session();
    ASSERT_GT(session.size(), 30u);
    ASSERT_EQ(session.front().name, "js_connect");

    // Our CONNECT (the captured one carries the recorder's made-up token), then the client's frames
    // as it sent them, back to back.
    raw_client c = connected(comp_a);
    std::map<std::int32_t, std::string> requests;  // stream id -> captured frame
    for (std::size_t i = 1; i < session.size(); ++i) {
        const auto& f = session[i];
        protocol::message msg;
        ASSERT_FALSE(protocol::decode_frame(
            {reinterpret_cast<const std::uint8_t*>(f.bytes.data()), f.bytes.size()}, {}, msg))
            << f.name;
        if (msg.find(rpc::header_operation) != nullptr) requests[frames::meta(msg).stream_id] = f.name;
        ASSERT_TRUE(c.send_bytes(f.bytes)) << "the daemon closed the connection before " << f.name;
    }
    const auto replies = c.ping_barrier(std::chrono::seconds(20));
    ASSERT_TRUE(replies.has_value()) << "the connection did not survive the replay";

    std::map<std::int32_t, std::vector<protocol::message>> by_stream;
    int ping_responses = 0;
    for (const auto& m : *replies) {
        const auto meta = frames::meta(m);
        ASSERT_LE(meta.type, 3) << "a connection-level error: " << frames::describe(m);
        if (meta.type == static_cast<std::int32_t>(rpc::message_type::ping_response)) {
            EXPECT_EQ(m.payload, "standin-recorder");
            ++ping_responses;
            continue;
        }
        by_stream[meta.stream_id].push_back(m);
    }
    EXPECT_EQ(ping_responses, 1);

    for (const auto& [stream, name] : requests) {
        SCOPED_TRACE(name);
        const auto it = by_stream.find(stream);
        ASSERT_NE(it, by_stream.end()) << "no reply on stream " << stream;
        const auto& first = it->second.front();
        // A response, or a modeled error (every captured operation is in the model); never the
        // framework's "Unsupported Operation" or InternalServerError, which would mean the daemon
        // did not understand what the SDK sent.
        EXPECT_NE(frames::string_header(first, "service-model-type"), std::nullopt)
            << frames::describe(first);
        EXPECT_EQ(frames::string_header(first, ":content-type"), "application/json");
        EXPECT_TRUE(frames::json_of(first).is_object()) << first.payload;
        if (name != "js_subscribe_to_topic_request") {
            EXPECT_EQ(it->second.size(), 1u) << frames::describe(it->second);
        }
    }
    for (const auto& [stream, msgs] : by_stream) {
        EXPECT_TRUE(requests.contains(stream))
            << "a reply on stream " << stream << ", which no request opened";
    }

    // Stream 1 is the session's SubscribeToTopic: its response, the JSON and the binary publish
    // (same connection, exact topic: RECEIVE_ALL_MESSAGES), and nothing after the client closed it.
    const auto sub = std::find_if(requests.begin(), requests.end(), [](const auto& r) {
                         return r.second == "js_subscribe_to_topic_request";
                     })->first;
    const auto& on_sub = by_stream[sub];
    ASSERT_EQ(on_sub.size(), 3u) << frames::describe(on_sub);
    expect_application_message(on_sub[0], sub, 0, "aws.greengrass#SubscribeToTopicResponse");
    expect_application_message(on_sub[1], sub, 0, "aws.greengrass#SubscriptionResponseMessage");
    EXPECT_EQ(frames::json_of(on_sub[1]),
              json_event("standin/recorder/events",
                         {{"temperature", 21.5}, {"unit", "C"}, {"tags", {"kitchen", "sensor-1"}}}));
    EXPECT_EQ(frames::json_of(on_sub[2]), binary_event("standin/recorder/events", "AAECf4D+/w=="));
    expect_nothing_more(c);
}

}  // namespace
}  // namespace standin::test::integration
