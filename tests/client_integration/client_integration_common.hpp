// SPDX-License-Identifier: Apache-2.0
// Shared by the client library's integration tests: test components and their recipes, a fixture
// running one real daemon per test, and a thread-safe record of a stream's events to wait on with
// deadlines (nothing sleeps).
#pragma once

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "standin/client/connection.hpp"
#include "standin/test/daemon_process.hpp"

namespace standin::client::integration {

using nlohmann::json;
using namespace std::chrono_literals;

// Publisher/subscriber anywhere: A and B. None has no policy at all.
inline constexpr const char* comp_a = "com.client.A";
inline constexpr const char* comp_b = "com.client.B";
inline constexpr const char* comp_none = "com.client.None";

inline constexpr const char* op_publish = "aws.greengrass#PublishToTopic";
inline constexpr const char* op_subscribe = "aws.greengrass#SubscribeToTopic";
// A modeled operation a daemon with `--profile lite` does not serve (README: answered like a
// nucleus without the plugin); the full profile serves every operation.
inline constexpr const char* op_not_served = "aws.greengrass#GetSecretValue";

inline constexpr auto deadline = 10s;

inline test::recipe_file recipe(const std::string& component, bool pubsub) {
    json configuration = json::object();
    if (pubsub) {
        configuration["accessControl"] = {{"aws.greengrass.ipc.pubsub",
                                           {{component + ":pubsub:1",
                                             {{"policyDescription", "client integration test policy"},
                                              {"operations", {op_publish, op_subscribe}},
                                              {"resources", {"*"}}}}}}};
    }
    json r = {{"RecipeFormatVersion", "2020-01-25"},
              {"ComponentName", component},
              {"ComponentVersion", "1.0.0"},
              {"ComponentDescription", "client integration test component"},
              {"ComponentPublisher", "standin tests"},
              {"ComponentConfiguration", {{"DefaultConfiguration", configuration}}},
              {"Manifests",
               json::array({{{"Platform", {{"os", "linux"}}}, {"Lifecycle", {{"Run", "true"}}}}})}};
    return {component + ".json", r.dump(2)};
}

inline nlohmann::ordered_json publish_json(const std::string& topic, const json& message) {
    nlohmann::ordered_json request;
    request["topic"] = topic;
    request["publishMessage"]["jsonMessage"]["message"] = message;
    return request;
}

inline nlohmann::ordered_json subscribe_json(const std::string& topic) {
    return nlohmann::ordered_json{{"topic", topic}};
}

// Records a stream's events and end; the waits return what arrived by the deadline.
class stream_log {
public:
    stream_handler handler() {
        return {[this](stream_event e) {
                    std::lock_guard lock{mutex_};
                    events_.push_back(std::move(e));
                    cv_.notify_all();
                },
                [this](std::optional<error> e) {
                    std::lock_guard lock{mutex_};
                    ended_ = true;
                    ++end_calls_;
                    end_ = std::move(e);
                    cv_.notify_all();
                }};
    }

    // The first `count` events (fewer if they did not arrive in time).
    std::vector<stream_event> wait_events(std::size_t count,
                                          std::chrono::milliseconds limit = deadline) {
        std::unique_lock lock{mutex_};
        cv_.wait_for(lock, limit, [&] { return events_.size() >= count; });
        return events_;
    }
    // nullopt when on_end did not run in time; else what it got.
    std::optional<std::optional<error>> wait_end(std::chrono::milliseconds limit = deadline) {
        std::unique_lock lock{mutex_};
        if (!cv_.wait_for(lock, limit, [&] { return ended_; })) return std::nullopt;
        return end_;
    }
    std::size_t event_count() {
        std::lock_guard lock{mutex_};
        return events_.size();
    }
    int end_calls() {
        std::lock_guard lock{mutex_};
        return end_calls_;
    }

private:
    std::mutex mutex_;
    std::condition_variable cv_;
    std::vector<stream_event> events_;
    bool ended_ = false;
    int end_calls_ = 0;
    std::optional<error> end_;
};

class ClientIntegration : public ::testing::Test {
protected:
    // `serve_args` go after `standin serve --root ... --recipes ...`.
    explicit ClientIntegration(std::vector<std::string> serve_args = {})
        : daemon{
              test::daemon_config{{recipe(comp_a, true), recipe(comp_b, true), recipe(comp_none, false)},
                                  std::move(serve_args)}} {}

    test::daemon_process daemon;

    connection_config config_of(const std::string& component) const {
        connection_config config;
        config.socket_path = daemon.socket_path();
        config.auth_token = daemon.token(component);
        return config;
    }

    // A blocking-mode connection of `component`, connected (the test fails otherwise).
    std::unique_ptr<connection> connected(const std::string& component) {
        return connected(config_of(component));
    }
    std::unique_ptr<connection> connected(connection_config config) {
        auto conn = std::make_unique<connection>(std::move(config));
        const auto r = conn->connect();
        EXPECT_TRUE(r) << r.error();
        return conn;
    }
};

}  // namespace standin::client::integration
