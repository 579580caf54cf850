// SPDX-License-Identifier: Apache-2.0
// The frames the real JS SDK sent (fixtures/frames/captured/, recorded by
// tests/conformance/record_frames.js) decoded with our codec and read as eventstream-RPC messages:
// what a client's CONNECT, PING, stream close and first request of every operation carry on the
// wire (protocol.md §3.2, §4.1, §4.3, §6), so that the codec is tested against real client bytes and
// not only against our own encoder's.
#include <algorithm>
#include <cctype>
#include <filesystem>
#include <map>
#include <set>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "standin/protocol/frame_encoder.hpp"
#include "standin/protocol/rpc.hpp"
#include "test_support.hpp"

namespace standin::protocol {
namespace {

namespace fs = std::filesystem;

const fs::path captured_dir = fs::path{STANDIN_FIXTURES_DIR} / "frames" / "captured";

// The operations of greengrasscoreipc.Client in aws-iot-device-sdk-v2 1.28.0, one captured request
// each (record_frames.js checks the same list against the SDK when it records).
const std::set<std::string> sdk_operations{
    "AuthorizeClientDeviceAction",
    "CancelLocalDeployment",
    "CreateDebugPassword",
    "CreateLocalDeployment",
    "DeferComponentUpdate",
    "DeleteThingShadow",
    "GetClientDeviceAuthToken",
    "GetComponentDetails",
    "GetConfiguration",
    "GetLocalDeploymentStatus",
    "GetSecretValue",
    "GetThingShadow",
    "ListComponents",
    "ListLocalDeployments",
    "ListNamedShadowsForThing",
    "PauseComponent",
    "PublishToIoTCore",
    "PublishToTopic",
    "PutComponentMetric",
    "RestartComponent",
    "ResumeComponent",
    "SendConfigurationValidityReport",
    "StopComponent",
    "SubscribeToCertificateUpdates",
    "SubscribeToComponentUpdates",
    "SubscribeToConfigurationUpdate",
    "SubscribeToIoTCore",
    "SubscribeToTopic",
    "SubscribeToValidateConfigurationUpdates",
    "UpdateConfiguration",
    "UpdateState",
    "UpdateThingShadow",
    "ValidateAuthorizationToken",
    "VerifyClientDeviceIdentity",
};

// PublishToIoTCore -> publish_to_iot_core, as record_frames.js names the files.
std::string snake(std::string name) {
    for (auto at = name.find("IoT"); at != std::string::npos; at = name.find("IoT"))
        name.replace(at, 3, "Iot");
    std::string out;
    for (std::size_t i = 0; i < name.size(); ++i) {
        const auto c = static_cast<unsigned char>(name[i]);
        if (std::isupper(c) && i > 0) out.push_back('_');
        out.push_back(static_cast<char>(std::tolower(c)));
    }
    return out;
}

struct captured_frame {
    std::string name;
    std::string bytes;
    nlohmann::json description;
    message msg;
    rpc::metadata meta{};
};

const std::vector<captured_frame>& captured() {
    static const std::vector<captured_frame> frames = [] {
        std::vector<captured_frame> out;
        if (!fs::is_directory(captured_dir)) return out;
        for (const auto& entry : fs::directory_iterator{captured_dir}) {
            if (entry.path().extension() != ".bin") continue;
            captured_frame f;
            f.name = entry.path().stem().string();
            f.bytes = test::read_binary(entry.path());
            f.description = nlohmann::json::parse(
                test::read_binary(fs::path{entry.path()}.replace_extension(".json")));
            out.push_back(std::move(f));
        }
        std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) {
            return a.description.at("sequence") < b.description.at("sequence");
        });
        return out;
    }();
    return frames;
}

std::vector<std::string> header_names(const message& msg) {
    std::vector<std::string> out;
    for (const auto& h : msg.headers)
        out.push_back(h.name);
    return out;
}

const std::string* string_header(const message& msg, std::string_view name) {
    const auto* h = msg.find(name);
    return h == nullptr ? nullptr : std::get_if<std::string>(&h->value);
}

class captured_frames : public testing::Test {
protected:
    void SetUp() override {
        ASSERT_FALSE(captured().empty()) << "no frames in " << captured_dir;
        frames_ = captured();
        for (auto& f : frames_) {
            SCOPED_TRACE(f.name);
            ASSERT_FALSE(decode_frame(test::as_span(f.bytes), {}, f.msg)) << "our decoder refuses it";
            const auto m = rpc::extract_metadata(f.msg);
            ASSERT_TRUE(m.has_value()) << "no RPC headers";
            f.meta = *m;
        }
    }

    const captured_frame& frame(const std::string& name) const {
        for (const auto& f : frames_) {
            if (f.name == name) return f;
        }
        throw std::out_of_range("no captured frame " + name);
    }

    std::vector<captured_frame> frames_;
};

TEST_F(captured_frames, are_one_connection_in_order) {
    // sequence 0..n-1, CONNECT first, then the client's streams numbered 1, 2, 3... in the order it
    // opened them (protocol.md §2.2: every new stream id is the last one + 1).
    std::int32_t last_stream = 0;
    for (std::size_t i = 0; i < frames_.size(); ++i) {
        const auto& f = frames_[i];
        SCOPED_TRACE(f.name);
        EXPECT_EQ(f.description.at("sequence").get<std::size_t>(), i);
        EXPECT_EQ(f.description.at("total_len").get<std::size_t>(), f.bytes.size());
        if (i == 0) {
            EXPECT_EQ(f.name, "js_connect");
            continue;
        }
        if (f.msg.find(rpc::header_operation) != nullptr) {
            EXPECT_EQ(f.meta.stream_id, last_stream + 1);
            last_stream = f.meta.stream_id;
        }
    }
    EXPECT_EQ(last_stream,
              static_cast<std::int32_t>(sdk_operations.size()) + 1);  // + the binary publish
}

TEST_F(captured_frames, connect_is_version_first_then_the_rpc_headers_and_a_compact_token) {
    const auto& f = frame("js_connect");
    EXPECT_EQ(f.meta.type, static_cast<std::int32_t>(rpc::message_type::connect));
    EXPECT_EQ(f.meta.flags, 0);
    EXPECT_EQ(f.meta.stream_id, 0);
    EXPECT_EQ(header_names(f.msg),
              (std::vector<std::string>{":version", ":message-type", ":message-flags", ":stream-id"}));
    ASSERT_NE(string_header(f.msg, rpc::header_version), nullptr) << ":version must be a string";
    EXPECT_EQ(*string_header(f.msg, rpc::header_version), rpc::protocol_version);
    // JSON.stringify: no spaces; the recorder's fixed token (fixtures/frames/captured/README.md).
    EXPECT_EQ(f.msg.payload, R"({"authToken":"0123456789ABCDEF0123456789ABCDEF"})");
}

TEST_F(captured_frames, ping_carries_only_the_rpc_headers) {
    const auto& f = frame("js_ping");
    EXPECT_EQ(f.meta.type, static_cast<std::int32_t>(rpc::message_type::ping));
    EXPECT_EQ(f.meta.flags, 0);
    EXPECT_EQ(f.meta.stream_id, 0);
    EXPECT_EQ(header_names(f.msg),
              (std::vector<std::string>{":message-type", ":message-flags", ":stream-id"}));
    EXPECT_EQ(f.msg.payload, "standin-recorder");
}

TEST_F(captured_frames, stream_close_is_an_empty_terminate) {
    const auto& f = frame("js_subscribe_to_topic_close");
    EXPECT_EQ(f.meta.type, static_cast<std::int32_t>(rpc::message_type::application_message));
    EXPECT_EQ(f.meta.flags, rpc::flag_terminate_stream);
    EXPECT_EQ(f.meta.stream_id, frame("js_subscribe_to_topic_request").meta.stream_id);
    EXPECT_EQ(header_names(f.msg),
              (std::vector<std::string>{":message-type", ":message-flags", ":stream-id"}));
    EXPECT_TRUE(f.msg.payload.empty());
}

TEST_F(captured_frames, every_sdk_operation_has_a_request) {
    std::set<std::string> seen;
    for (const auto& f : frames_) {
        if (const auto* op = string_header(f.msg, rpc::header_operation)) seen.insert(*op);
    }
    std::set<std::string> expected;
    for (const auto& op : sdk_operations)
        expected.insert("aws.greengrass#" + op);
    EXPECT_EQ(seen, expected);
}

TEST_F(captured_frames, requests_carry_operation_and_a_json_object_but_no_content_type) {
    // protocol.md §4.1: the JS client sends type 0, flags 0, the RPC headers then `operation`, and
    // neither :content-type nor service-model-type (the server must not need them).
    for (const auto& f : frames_) {
        const auto* op = string_header(f.msg, rpc::header_operation);
        if (op == nullptr) continue;
        SCOPED_TRACE(f.name + ": " + *op);
        EXPECT_EQ(f.meta.type, static_cast<std::int32_t>(rpc::message_type::application_message));
        EXPECT_EQ(f.meta.flags, 0);
        EXPECT_GT(f.meta.stream_id, 0);
        EXPECT_EQ(header_names(f.msg), (std::vector<std::string>{":message-type", ":message-flags",
                                                                 ":stream-id", "operation"}));
        EXPECT_EQ(f.msg.find(":content-type"), nullptr);
        EXPECT_EQ(f.msg.find("service-model-type"), nullptr);
        ASSERT_EQ(op->rfind("aws.greengrass#", 0), 0u);
        const auto short_name = op->substr(std::string_view{"aws.greengrass#"}.size());
        const auto expected_file = "js_" + snake(short_name) + "_request";
        EXPECT_TRUE(f.name == expected_file || f.name == "js_publish_to_topic_binary_request")
            << "file name " << f.name << ", expected " << expected_file;
        const auto body = nlohmann::json::parse(f.msg.payload, nullptr, /*allow_exceptions=*/false);
        ASSERT_FALSE(body.is_discarded()) << "payload is not JSON: " << f.msg.payload;
        EXPECT_TRUE(body.is_object()) << f.msg.payload;
        // JSON.stringify output: re-serializing changes nothing (compact, members in the order sent).
        EXPECT_EQ(nlohmann::ordered_json::parse(f.msg.payload).dump(), f.msg.payload);
    }
}

TEST_F(captured_frames, publish_payloads_are_the_union_the_model_expects) {
    const auto json_body = nlohmann::json::parse(frame("js_publish_to_topic_request").msg.payload);
    EXPECT_EQ(json_body.at("topic"), "standin/recorder/events");
    EXPECT_TRUE(json_body.at("publishMessage").contains("jsonMessage"));
    EXPECT_FALSE(json_body.at("publishMessage").contains("binaryMessage"));
    const auto bin_body = nlohmann::json::parse(frame("js_publish_to_topic_binary_request").msg.payload);
    // A blob travels as base64 text.
    EXPECT_EQ(test::base64_decode(
                  bin_body.at("publishMessage").at("binaryMessage").at("message").get<std::string>()),
              std::string("\x00\x01\x02\x7f\x80\xfe\xff", 7));
    EXPECT_FALSE(bin_body.at("publishMessage").contains("jsonMessage"));
}

TEST_F(captured_frames, our_encoder_reproduces_every_frame_from_its_decode) {
    for (const auto& f : frames_) {
        SCOPED_TRACE(f.name);
        const auto encoded = encode_message(f.msg);
        ASSERT_TRUE(encoded);
        EXPECT_EQ(test::to_hex(*encoded), test::to_hex(f.bytes));
    }
}

}  // namespace
}  // namespace standin::protocol
