// SPDX-License-Identifier: Apache-2.0
// Every request payload the unmodified npm aws-iot-device-sdk-v2 sent in fixtures/frames/captured/
// decodes as its operation's request type (found through the operation table), and encoding it gives
// the SDK's bytes back: same members, same order, same spelling.
#include <filesystem>
#include <fstream>
#include <set>
#include <string>
#include <tuple>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "standin/model/codec.hpp"
#include "standin/model/operations.hpp"

namespace standin::model {
namespace {

namespace fs = std::filesystem;

// Captures whose bytes we do not reproduce, and why; their JSON must still be equal.
bool bytes_may_differ(const std::string& file) {
    // Documents come out with sorted keys (nlohmann::json keeps no order) ...
    return file == "js_publish_to_topic_request.json" ||
           file == "js_update_configuration_request.json" ||
           // ... and a double is written as 42.0 where JavaScript writes 42.
           file == "js_put_component_metric_request.json";
}

struct capture {
    std::string file;
    std::string operation;
    std::string payload;
};

std::vector<capture> captured_requests() {
    std::vector<capture> out;
    for (const auto& entry :
         fs::directory_iterator(fs::path{STANDIN_FIXTURES_DIR} / "frames" / "captured")) {
        const auto name = entry.path().filename().string();
        if (!name.starts_with("js_") || !name.ends_with("_request.json")) continue;
        std::ifstream in{entry.path()};
        const auto description = nlohmann::json::parse(in);
        capture c{name, {}, description.at("payload_text").get<std::string>()};
        for (const auto& header : description.at("headers")) {
            if (header.at("name") == "operation") c.operation = header.at("value").get<std::string>();
        }
        out.push_back(std::move(c));
    }
    return out;
}

// Decodes `c` with the request type of its row in the operation table; false if no row matches.
bool check_against_table(const capture& c) {
    bool found = false;
    std::apply(
        [&](const auto&... row) {
            (
                [&] {
                    using row_type = std::decay_t<decltype(row)>;
                    if (found || row_type::name != c.operation) return;
                    found = true;
                    const auto decoded = decode_payload<typename row_type::request>(c.payload);
                    ASSERT_TRUE(decoded) << decoded.error().message();
                    const auto encoded = encode(*decoded);
                    EXPECT_EQ(nlohmann::json::parse(encoded), nlohmann::json::parse(c.payload));
                    if (!bytes_may_differ(c.file)) {
                        EXPECT_EQ(encoded, c.payload);
                    }
                }(),
                ...);
        },
        operation_table);
    return found;
}

TEST(model_captured, every_captured_sdk_request_round_trips_through_its_request_type) {
    const auto captures = captured_requests();
    std::set<std::string> operations;
    for (const auto& c : captures) {
        SCOPED_TRACE(c.file);
        EXPECT_TRUE(check_against_table(c)) << c.operation << " is not in the operation table";
        operations.insert(c.operation);
    }
    // The recorder covers the whole model.
    EXPECT_EQ(operations.size(), operation_count);
}

}  // namespace
}  // namespace standin::model
