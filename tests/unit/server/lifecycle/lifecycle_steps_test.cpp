// SPDX-License-Identifier: Apache-2.0
#include "lifecycle/lifecycle_steps.hpp"

#include <gtest/gtest.h>

namespace standin::server::lifecycle {
namespace {

using namespace std::chrono_literals;

TEST(LifecycleSteps, ScriptsAndMapsCaseInsensitively) {
    std::vector<std::string> warnings;
    const auto spec = parse_lifecycle(nlohmann::json::parse(R"({
        "setenv": {"A": "1", "N": 2},
        "Install": "echo install",
        "run": {"script": "echo run", "TIMEOUT": "30", "Setenv": {"B": true}, "RequiresPrivilege": "true"},
        "Shutdown": {"Script": "echo bye", "Timeout": 3, "Skipif": "onpath systemctl"}
    })"),
                                      warnings);
    EXPECT_TRUE(warnings.empty());
    ASSERT_NE(spec.find(step::install), nullptr);
    EXPECT_EQ(spec.find(step::install)->script, "echo install");
    ASSERT_NE(spec.find(step::run), nullptr);
    EXPECT_EQ(spec.find(step::run)->timeout, 30s);
    EXPECT_EQ(spec.find(step::run)->setenv.at("B"), "true");
    EXPECT_TRUE(spec.find(step::run)->requires_privilege);
    EXPECT_EQ(spec.find(step::shutdown)->skipif, "onpath systemctl");
    EXPECT_EQ(spec.find(step::startup), nullptr);
    EXPECT_EQ(spec.setenv.at("N"), "2");
    const auto present = spec.present();
    EXPECT_TRUE(present[step::install]);
    EXPECT_FALSE(present[step::recover]);
}

TEST(LifecycleSteps, DefaultTimeoutsAreTheNucleus) {
    EXPECT_EQ(default_timeout(step::install), 120s);
    EXPECT_EQ(default_timeout(step::startup), 120s);
    EXPECT_EQ(default_timeout(step::shutdown), 15s);
    EXPECT_EQ(default_timeout(step::recover), 60s);
    EXPECT_EQ(default_timeout(step::run), std::nullopt);
    EXPECT_EQ(effective_timeout(step::shutdown, step_spec{"x", 2s, {}, false, {}}), 2s);
}

TEST(LifecycleSteps, ProblemsAreWarningsNotErrors) {
    std::vector<std::string> warnings;
    const auto spec = parse_lifecycle(nlohmann::json::parse(R"({
        "Run": ["not", "a", "script"],
        "Startup": {"Timeout": "soon", "Script": "x"},
        "Recover": {"Timeout": 5},
        "Bootstrap": "run by deployments",
        "Instal": "typo"
    })"),
                                      warnings);
    EXPECT_EQ(spec.find(step::run), nullptr);
    ASSERT_NE(spec.find(step::startup), nullptr);
    EXPECT_EQ(spec.find(step::startup)->timeout, std::nullopt);
    EXPECT_EQ(spec.find(step::recover), nullptr);  // no script: nothing to run
    ASSERT_TRUE(spec.bootstrap);                   // not a lifecycle step, not a warning either
    EXPECT_EQ(spec.bootstrap->script, "run by deployments");
    ASSERT_EQ(warnings.size(), 3u);
    EXPECT_NE(warnings[0].find("Lifecycle.Instal"), std::string::npos);
}

TEST(LifecycleSteps, BootstrapAndUninstallAreReadForDeployments) {
    std::vector<std::string> warnings;
    const auto spec = parse_lifecycle(nlohmann::json::parse(R"({
        "bootstrap": {"Script": "b", "Timeout": 7},
        "Uninstall": "u"
    })"),
                                      warnings);
    EXPECT_TRUE(warnings.empty());
    ASSERT_TRUE(spec.bootstrap);
    EXPECT_EQ(spec.bootstrap->timeout, std::chrono::seconds{7});
    ASSERT_TRUE(spec.uninstall);
    EXPECT_EQ(spec.uninstall->script, "u");
    EXPECT_EQ(default_bootstrap_timeout, std::chrono::seconds{120});
    EXPECT_EQ(default_uninstall_timeout, std::chrono::seconds{120});
}

TEST(LifecycleSteps, NullLifecycleHasNoSteps) {
    std::vector<std::string> warnings;
    const auto spec = parse_lifecycle(nullptr, warnings);
    EXPECT_EQ(spec.find(step::run), nullptr);
    EXPECT_TRUE(warnings.empty());
}

}  // namespace
}  // namespace standin::server::lifecycle
