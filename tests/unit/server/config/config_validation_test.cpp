// SPDX-License-Identifier: Apache-2.0
#include "config/config_validation.hpp"

#include <gtest/gtest.h>

#include <boost/asio/io_context.hpp>

#include "services/config/configuration_validation.hpp"

namespace standin::server {
namespace {

using nlohmann::json;

struct asked {
    std::vector<std::pair<std::string, json>> requests;
    config_validation::listener listener() {
        return [this](const std::string& id, const json& c) { requests.emplace_back(id, c); };
    }
};

model::configuration_validity_report report(std::string id, model::configuration_validity_status s) {
    return {.status = s, .deploymentId = std::move(id), .message = std::nullopt};
}

TEST(ConfigValidation, OnlyAComponentWithAListenerIsAsked) {
    config_validation v;
    EXPECT_FALSE(v.request("A", "d1", json::object(), nullptr));
    asked a;
    auto reg = v.subscribe("A", a.listener());
    std::optional<model::configuration_validity_report> got;
    EXPECT_TRUE(v.request("A", "d1", {{"k", 1}}, [&](const auto& r) { got = r; }));
    ASSERT_EQ(a.requests.size(), 1U);
    EXPECT_EQ(a.requests[0].first, "d1");
    EXPECT_EQ(a.requests[0].second, json({{"k", 1}}));
    EXPECT_FALSE(v.report("B", report("d1", model::configuration_validity_status::accepted)));
    EXPECT_FALSE(v.report("A", report("d2", model::configuration_validity_status::accepted)));
    EXPECT_TRUE(v.report("A", report("d1", model::configuration_validity_status::rejected)));
    ASSERT_TRUE(got);
    EXPECT_EQ(got->status, model::configuration_validity_status::rejected);
    // Settled: a second report is refused.
    EXPECT_FALSE(v.report("A", report("d1", model::configuration_validity_status::accepted)));
}

TEST(ConfigValidation, TheFirstStreamListensAndClosingAnyStopsIt) {
    config_validation v;
    asked first, second;
    auto r1 = v.subscribe("A", first.listener());
    auto r2 = v.subscribe("A", second.listener());
    v.request("A", "d1", json::object(), nullptr);
    EXPECT_EQ(first.requests.size(), 1U);
    EXPECT_TRUE(second.requests.empty());
    r2.reset();
    EXPECT_FALSE(v.has_listener("A"));
    EXPECT_FALSE(v.request("A", "d2", json::object(), nullptr));
}

TEST(ConfigValidation, DiscardEndsThePendingRequest) {
    config_validation v;
    asked a;
    auto reg = v.subscribe("A", a.listener());
    v.request("A", "d1", json::object(), nullptr);
    EXPECT_TRUE(v.discard("A", "d1"));
    EXPECT_FALSE(v.discard("A", "d1"));
    EXPECT_FALSE(v.report("A", report("d1", model::configuration_validity_status::accepted)));
}

TEST(ConfigurationValidationRequest, TheReportCompletesIt) {
    boost::asio::io_context io;
    config_validation v;
    asked a;
    auto reg = v.subscribe("A", a.listener());
    std::vector<validation_outcome> outcomes;
    ASSERT_TRUE(request_configuration_validation(io.get_executor(), v, "A", "d1", json::object(),
                                                 std::chrono::seconds{20},
                                                 [&](validation_outcome o) { outcomes.push_back(o); }));
    io.poll();
    EXPECT_TRUE(outcomes.empty());
    EXPECT_TRUE(v.report("A", report("d1", model::configuration_validity_status::accepted)));
    io.run();  // the cancelled timer finishes at once
    ASSERT_EQ(outcomes.size(), 1U);
    ASSERT_TRUE(outcomes[0].report);
    EXPECT_EQ(outcomes[0].report->status, model::configuration_validity_status::accepted);
}

TEST(ConfigurationValidationRequest, TheTimeoutCompletesItAndRefusesALateReport) {
    boost::asio::io_context io;
    config_validation v;
    asked a;
    auto reg = v.subscribe("A", a.listener());
    std::vector<validation_outcome> outcomes;
    ASSERT_TRUE(request_configuration_validation(io.get_executor(), v, "A", "d1", json::object(),
                                                 std::chrono::milliseconds{10},
                                                 [&](validation_outcome o) { outcomes.push_back(o); }));
    io.run();
    ASSERT_EQ(outcomes.size(), 1U);
    EXPECT_FALSE(outcomes[0].report);
    EXPECT_FALSE(v.report("A", report("d1", model::configuration_validity_status::accepted)));
    EXPECT_EQ(v.pending_count(), 0U);
}

TEST(ConfigurationValidationRequest, NotAskedWithoutAListener) {
    boost::asio::io_context io;
    config_validation v;
    bool called = false;
    EXPECT_FALSE(request_configuration_validation(io.get_executor(), v, "A", "d1", json::object(),
                                                  default_validation_timeout,
                                                  [&](validation_outcome) { called = true; }));
    io.run();
    EXPECT_FALSE(called);
    EXPECT_EQ(default_validation_timeout, std::chrono::seconds{20});
}

}  // namespace
}  // namespace standin::server
