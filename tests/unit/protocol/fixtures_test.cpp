// SPDX-License-Identifier: Apache-2.0
// Every checked-in golden frame under fixtures/frames/ is decoded and compared with its .json: the
// spec's and our encoder's (positive/, negative/) and those captured from the real JS SDK
// (captured/, also checked as RPC messages in captured_frames_test.cpp).
#include <algorithm>
#include <filesystem>
#include <set>

#include <gtest/gtest.h>

#include "chunking.hpp"
#include "standin/protocol/frame_encoder.hpp"
#include "test_support.hpp"

namespace standin::protocol {
namespace {

namespace fs = std::filesystem;

const fs::path frames_dir = fs::path{STANDIN_FIXTURES_DIR} / "frames";

std::vector<std::string> fixture_names(const char* kind) {
    std::vector<std::string> names;
    if (fs::is_directory(frames_dir / kind)) {
        for (const auto& entry : fs::directory_iterator{frames_dir / kind}) {
            if (entry.path().extension() == ".bin") names.push_back(entry.path().stem().string());
        }
    }
    std::sort(names.begin(), names.end());
    return names;
}

nlohmann::json read_json(const fs::path& path) {
    return nlohmann::json::parse(test::read_binary(path));
}

// "kind/name" for each frame of a kind.
std::vector<std::string> fixture_paths(const char* kind) {
    std::vector<std::string> paths;
    for (const auto& name : fixture_names(kind))
        paths.push_back(std::string{kind} + "/" + name);
    return paths;
}

std::string test_name(const testing::TestParamInfo<std::string>& param_info) {
    std::string name = param_info.param.substr(param_info.param.find('/') + 1);
    std::replace_if(
        name.begin(), name.end(), [](char c) { return !std::isalnum(static_cast<unsigned char>(c)); },
        '_');
    return name;
}

// --- positive ---

class positive_fixture : public testing::TestWithParam<std::string> {
protected:
    void SetUp() override {
        bytes_ = test::read_binary(frames_dir / (GetParam() + ".bin"));
        json_ = read_json(frames_dir / (GetParam() + ".json"));
        expected_ = test::message_from_json(json_);
    }

    std::string bytes_;
    nlohmann::json json_;
    message expected_;
};

TEST_P(positive_fixture, decodes_to_its_description) {
    EXPECT_EQ(bytes_.size(), json_.at("total_len").get<std::size_t>());
    message out;
    ASSERT_FALSE(decode_frame(test::as_span(bytes_), {}, out));
    EXPECT_EQ(out, expected_);
}

TEST_P(positive_fixture, description_encodes_to_the_same_bytes) {
    const auto encoded = encode_message(expected_);
    ASSERT_TRUE(encoded);
    EXPECT_EQ(test::to_hex(*encoded), test::to_hex(bytes_));
}

TEST_P(positive_fixture, decodes_in_any_chunking) {
    test::expect_same_decode_in_any_chunking(bytes_, expected_);
}

TEST_P(positive_fixture, decodes_back_to_back_with_itself) {
    const auto out = test::feed_all(bytes_ + bytes_ + bytes_, {}, 7);
    ASSERT_FALSE(out.ec);
    ASSERT_EQ(out.messages.size(), 3u);
    for (const auto& m : out.messages)
        EXPECT_EQ(m, expected_);
}

INSTANTIATE_TEST_SUITE_P(fixtures, positive_fixture, testing::ValuesIn(fixture_paths("positive")),
                         test_name);
// The real client's bytes pass the same checks; in particular our encoder reproduces them exactly
// from their description, header order included.
INSTANTIATE_TEST_SUITE_P(captured, positive_fixture, testing::ValuesIn(fixture_paths("captured")),
                         test_name);

// --- negative ---

bool fails_in_prelude(errc e) {
    return e == errc::prelude_crc_mismatch || e == errc::frame_too_short ||
           e == errc::headers_too_long || e == errc::frame_too_long;
}

class negative_fixture : public testing::TestWithParam<std::string> {
protected:
    void SetUp() override {
        bytes_ = test::read_binary(frames_dir / "negative" / (GetParam() + ".bin"));
        const auto j = read_json(frames_dir / "negative" / (GetParam() + ".json"));
        const auto e = test::errc_from_name(j.at("errc").get<std::string>());
        ASSERT_TRUE(e) << "unknown errc name " << j.at("errc");
        expected_ = *e;
        limits_ = test::limits_from_json(j);
    }

    std::string bytes_;
    errc expected_{};
    decoder_limits limits_;
};

TEST_P(negative_fixture, fails_with_its_errc_then_stays_dead) {
    frame_decoder dec{limits_};
    const auto out = test::feed(dec, bytes_, [](std::size_t) { return 0; });
    EXPECT_EQ(out.ec, expected_) << out.ec.message();
    EXPECT_TRUE(out.messages.empty());
    EXPECT_TRUE(dec.failed());
    if (fails_in_prelude(expected_)) {
        EXPECT_EQ(out.consumed, prelude_size);  // refused before any body byte
    }
    const auto later = dec.put(test::as_span(bytes_));
    EXPECT_EQ(later.ec, errc::decoder_failed);
    EXPECT_EQ(later.consumed, 0u);
}

TEST_P(negative_fixture, fails_the_same_in_small_chunks) {
    for (std::size_t chunk : {1u, 7u}) {
        const auto out = test::feed_all(bytes_, limits_, chunk);
        EXPECT_EQ(out.ec, expected_) << "chunk " << chunk;
        EXPECT_TRUE(out.messages.empty());
    }
}

TEST_P(negative_fixture, decode_frame_agrees) {
    message out;
    EXPECT_EQ(decode_frame(test::as_span(bytes_), limits_, out), expected_);
}

INSTANTIATE_TEST_SUITE_P(fixtures, negative_fixture, testing::ValuesIn(fixture_names("negative")),
                         test_name);

// --- coverage of the directories themselves ---

TEST(fixture_dirs, hold_the_required_vectors) {
    const auto positives = fixture_names("positive");
    for (const char* required :
         {"empty_message", "content_type_foo_bar", "connect_ack_accepted", "connect_ack_rejected",
          "ping_response_empty", "publish_to_topic_response", "encoded_js_connect",
          "encoded_js_publish_to_topic_request", "client_terminate_stream_1", "ping_with_custom_header",
          "all_header_types"}) {
        EXPECT_TRUE(std::find(positives.begin(), positives.end(), required) != positives.end())
            << required;
    }
    const auto captured = fixture_names("captured");
    for (const char* required :
         {"js_connect", "js_ping", "js_publish_to_topic_request", "js_publish_to_topic_binary_request",
          "js_subscribe_to_topic_request", "js_subscribe_to_topic_close"}) {
        EXPECT_TRUE(std::find(captured.begin(), captured.end(), required) != captured.end())
            << "captured/" << required;
    }
}

TEST(fixture_dirs, frames_named_after_a_client_are_captured_from_it) {
    // A positive/ frame made by our encoder must say so in its name; js_*, python_* and the like
    // belong in captured/, recorded from the client itself (fixtures/frames/captured/README.md).
    for (const auto& name : fixture_names("positive")) {
        for (const char* client : {"js_", "python_", "java_", "cpp_"}) {
            EXPECT_FALSE(name.rfind(client, 0) == 0) << "positive/" << name;
        }
    }
}

TEST(fixture_dirs, every_decoder_error_class_has_a_negative) {
    std::set<errc> seen;
    for (const auto& name : fixture_names("negative")) {
        const auto j = read_json(frames_dir / "negative" / (name + ".json"));
        seen.insert(test::errc_from_name(j.at("errc").get<std::string>()).value());
    }
    for (errc e : {errc::prelude_crc_mismatch, errc::frame_too_short, errc::headers_too_long,
                   errc::frame_too_long, errc::message_crc_mismatch, errc::header_truncated,
                   errc::header_name_empty, errc::header_value_too_long, errc::unknown_header_type,
                   errc::too_many_headers}) {
        EXPECT_TRUE(seen.contains(e)) << test::errc_name(e);
    }
}

TEST(fixture_dirs, every_bin_has_a_json) {
    for (const char* kind : {"positive", "negative", "captured"}) {
        for (const auto& name : fixture_names(kind)) {
            EXPECT_TRUE(fs::exists(frames_dir / kind / (name + ".json"))) << kind << "/" << name;
        }
    }
}

}  // namespace
}  // namespace standin::protocol
