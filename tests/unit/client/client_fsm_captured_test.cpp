// SPDX-License-Identifier: Apache-2.0
// Golden frames: for every frame the unmodified JS SDK was recorded sending
// (fixtures/frames/captured/js_*.bin, see its README), the client emits the same bytes for the same
// request: CONNECT with the recorded token, each operation's first message on the recorded stream
// id with the recorded JSON, the stream close, and PING. Header set and order, flags, payload and
// both CRCs are compared byte for byte.
#include <filesystem>

#include <gtest/gtest.h>

#include "client_fsm.hpp"
#include "client_test_support.hpp"
#include "standin/test/files.hpp"

namespace standin::client::detail {
namespace {

using namespace standin::client::test;
namespace fs = std::filesystem;

const fs::path captured_dir = fs::path{STANDIN_FIXTURES_DIR} / "frames" / "captured";

struct capture {
    std::string name;
    std::string bytes;     // the .bin
    nlohmann::json about;  // the .json

    const nlohmann::json* header(std::string_view header_name) const {
        for (const auto& h : about["headers"]) {
            if (h["name"] == header_name) return &h["value"];
        }
        return nullptr;
    }
    std::string payload() const { return about.value("payload_text", std::string{}); }
};

std::vector<capture> load_captures() {
    std::vector<capture> out;
    if (!fs::is_directory(captured_dir)) return out;
    for (const auto& entry : fs::directory_iterator{captured_dir}) {
        const auto& path = entry.path();
        if (path.extension() != ".bin" || path.filename().string().rfind("js_", 0) != 0) continue;
        auto about = path;
        about.replace_extension(".json");
        out.push_back({path.stem().string(), standin::test::read_file(path),
                       nlohmann::json::parse(standin::test::read_file(about))});
    }
    std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.name < b.name; });
    return out;
}

// A connected FSM whose next stream id is `id` (the ids before it opened and closed again).
client_fsm connected_at(std::int32_t id) {
    client_fsm fsm;
    EXPECT_TRUE(fsm.connect("T"));
    std::vector<action_t> ignored;
    fsm.on_message(connect_ack(true), ignored);
    while (fsm.next_stream_id() < id) {
        const auto filler = fsm.open_stream("aws.greengrass#Filler", "{}", stream_kind::unary);
        EXPECT_TRUE(filler);
        fsm.close_stream(filler->stream_id);
    }
    return fsm;
}

std::string hex_diff(const std::string& expected, const std::string& actual) {
    std::size_t i = 0;
    while (i < expected.size() && i < actual.size() && expected[i] == actual[i])
        ++i;
    return "sizes " + std::to_string(expected.size()) + " / " + std::to_string(actual.size()) +
           ", first difference at byte " + std::to_string(i);
}

TEST(client_fsm_captured, EveryRecordedJsSdkFrameIsWhatTheClientSends) {
    const auto captures = load_captures();
    if (captures.empty()) GTEST_SKIP() << "no captured frames in " << captured_dir;
    int requests = 0;
    for (const auto& c : captures) {
        SCOPED_TRACE(c.name);
        const auto* type = c.header(":message-type");
        const auto* flags = c.header(":message-flags");
        const auto* stream = c.header(":stream-id");
        ASSERT_TRUE(type && flags && stream);
        std::string ours;
        if (*type == 4) {  // CONNECT
            client_fsm fsm;
            const auto token = nlohmann::json::parse(c.payload())["authToken"].get<std::string>();
            auto frame = fsm.connect(token);
            ASSERT_TRUE(frame);
            ours = frame->to_string();
        } else if (*type == 2) {  // PING
            client_fsm fsm = connected_at(1);
            auto frame = fsm.ping(c.payload());
            ASSERT_TRUE(frame);
            ours = frame->to_string();
        } else if (const auto* op = c.header("operation")) {  // first message of a stream
            ASSERT_EQ(*type, 0);
            ASSERT_EQ(*flags, 0);
            // The public API sends request.dump() of the JSON it is given: the same value gives the
            // same text (key order, compact separators, number format).
            const auto payload = nlohmann::ordered_json::parse(c.payload()).dump();
            EXPECT_EQ(payload, c.payload());
            client_fsm fsm = connected_at(stream->get<std::int32_t>());
            auto out = fsm.open_stream(op->get<std::string>(), payload, stream_kind::unary);
            ASSERT_TRUE(out);
            EXPECT_EQ(out->stream_id, stream->get<std::int32_t>());
            ours = out->frame.to_string();
            ++requests;
        } else if (*type == 0 && *flags == 2 && c.payload().empty()) {  // the client's stream close
            client_fsm fsm = connected_at(stream->get<std::int32_t>());
            const auto id =
                fsm.open_stream("aws.greengrass#SubscribeToTopic", "{}", stream_kind::streaming);
            ASSERT_TRUE(id);
            auto frame = fsm.close_stream(id->stream_id);
            ASSERT_TRUE(frame);
            ours = frame->to_string();
        } else {
            ADD_FAILURE() << "a captured frame of a kind this test does not know: " << c.about.dump();
            continue;
        }
        EXPECT_TRUE(ours == c.bytes) << hex_diff(c.bytes, ours);
    }
    // One request per operation of the model was recorded; fewer means the capture shrank.
    EXPECT_GE(requests, 30);
}

}  // namespace
}  // namespace standin::client::detail
