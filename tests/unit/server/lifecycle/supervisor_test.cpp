// SPDX-License-Identifier: Apache-2.0
// The supervisor without processes (declared components, as --no-launch): dependency order at
// start and at stop, driven by an io_context run to quiescence. Then a deployment's Bootstrap and
// Uninstall steps, run as real processes under a temporary root.
#include "lifecycle/supervisor.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <optional>

#include <boost/asio/io_context.hpp>

namespace standin::server::lifecycle {
namespace {

component_facts facts(const std::string& name, nlohmann::json dependencies = nlohmann::json::object()) {
    component_facts f;
    f.name = name;
    f.version = "1.0.0";
    f.lifecycle = {{"Run", "true"}, {"Shutdown", "true"}};
    f.dependencies = std::move(dependencies);
    return f;
}

struct declared {
    declared() {
        supervisor.add(facts("com.test.Base"));
        supervisor.add(facts("com.test.App", {{"com.test.Base", {{"DependencyType", "HARD"}}}}));
        supervisor.add(facts("com.test.Soft", {{"com.test.App", {{"DependencyType", "SOFT"}}}}));
        supervisor_events events;
        events.state_changed = [this](std::string_view name, component_state to) {
            seen.push_back(std::string{name} + " " + std::string{state_name(to)});
        };
        supervisor.set_events(std::move(events));
    }
    void launch() {
        supervisor_settings settings;
        settings.root = "/nonexistent";
        settings.launch = false;
        settings.terminal = nullptr;
        supervisor.launch(io.get_executor(), settings);
        io.run();
        io.restart();
    }
    std::size_t position(const std::string& event) const {
        const auto it = std::find(seen.begin(), seen.end(), event);
        return it == seen.end() ? seen.size() : static_cast<std::size_t>(it - seen.begin());
    }

    boost::asio::io_context io;
    component_supervisor supervisor;
    std::vector<std::string> seen;
};

TEST(Supervisor, HardDependencyRunsFirstAndStopsLast) {
    declared d;
    d.launch();
    for (const auto& c : d.supervisor.components())
        EXPECT_EQ(c.state, component_state::running) << c.name;
    EXPECT_LT(d.position("com.test.Base RUNNING"), d.position("com.test.App STARTING"));

    d.seen.clear();
    bool stopped = false;
    d.supervisor.stop_all([&] { stopped = true; });
    d.io.run();
    EXPECT_TRUE(stopped);
    for (const auto& c : d.supervisor.components())
        EXPECT_EQ(c.state, component_state::finished) << c.name;
    // Dependents first: Soft before App (soft dependencies count for stopping), App before Base.
    EXPECT_LT(d.position("com.test.Soft FINISHED"), d.position("com.test.App STOPPING"));
    EXPECT_LT(d.position("com.test.App FINISHED"), d.position("com.test.Base STOPPING"));
    EXPECT_LT(d.position("com.test.Base FINISHED"), d.seen.size());
}

TEST(Supervisor, OperationsOnDeclaredComponents) {
    declared d;
    d.launch();
    ASSERT_TRUE(d.supervisor.find("com.test.App"));
    EXPECT_FALSE(d.supervisor.find("com.test.Missing"));
    d.supervisor.stop("com.test.App");
    d.io.run();
    d.io.restart();
    EXPECT_EQ(d.supervisor.find("com.test.App")->state, component_state::finished);
    EXPECT_TRUE(d.supervisor.restart("com.test.App"));
    d.io.run();
    d.io.restart();
    EXPECT_EQ(d.supervisor.find("com.test.App")->state, component_state::running);
    d.supervisor.set_paused("com.test.App", true);
    EXPECT_TRUE(d.supervisor.find("com.test.App")->paused);
    {
        const auto listener = d.supervisor.listen_for_updates("com.test.App");
        EXPECT_TRUE(d.supervisor.listens_for_updates("com.test.App"));
    }
    EXPECT_FALSE(d.supervisor.listens_for_updates("com.test.App"));
    bool stopped = false;
    d.supervisor.stop_all([&] { stopped = true; });
    d.io.run();
    EXPECT_TRUE(stopped);
}

TEST(Supervisor, StopAllBeforeLaunchIsDoneAtOnce) {
    component_supervisor supervisor;
    supervisor.add(facts("com.test.A"));
    bool stopped = false;
    supervisor.stop_all([&] { stopped = true; });
    EXPECT_TRUE(stopped);
    EXPECT_FALSE(supervisor.restart("com.test.A"));  // never launched
}

// ---- a deployment's Bootstrap and Uninstall, as processes ------------------------------------

namespace fs = std::filesystem;

class DeploymentStep : public ::testing::Test {
protected:
    void SetUp() override {
        root_ = fs::temp_directory_path() /
                ("standin-supervisor-" + std::to_string(::getpid()) + "-" +
                 ::testing::UnitTest::GetInstance()->current_test_info()->name());
        fs::remove_all(root_);
        supervisor_settings settings;
        settings.root = root_;
        settings.terminal = nullptr;
        settings.kill_grace = std::chrono::milliseconds{200};
        supervisor_.launch(io_.get_executor(), settings);
    }
    void TearDown() override {
        bool stopped = false;
        supervisor_.stop_all([&] { stopped = true; });
        io_.restart();
        io_.run_for(std::chrono::seconds{10});
        EXPECT_TRUE(stopped) << "a step's process outlived stop_all";
        fs::remove_all(root_);
    }

    // Runs `which` of a component whose Lifecycle is `lifecycle`; fails the test when no answer
    // comes within 20 s.
    deployment_step_result run(nlohmann::json lifecycle, deployment_step which) {
        auto f = facts("com.test.Stepped");
        f.lifecycle = std::move(lifecycle);
        std::optional<deployment_step_result> result;
        supervisor_.run_deployment_step(std::move(f), which,
                                        [&](deployment_step_result r) { result = std::move(r); });
        const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds{20};
        io_.restart();
        while (!result && std::chrono::steady_clock::now() < deadline &&
               io_.run_one_until(deadline) > 0) {
        }
        EXPECT_TRUE(result) << "no answer within 20 s";
        return result.value_or(deployment_step_result{std::nullopt, "no answer"});
    }
    fs::path work() const { return root_ / "work" / "com.test.Stepped"; }

    fs::path root_;
    boost::asio::io_context io_;
    component_supervisor supervisor_;
};

TEST_F(DeploymentStep, BootstrapAnswersItsExitCodeAndRunsInTheWorkDirectory) {
    const auto result = run({{"Bootstrap", "pwd > bootstrap_ran; exit 3"}}, deployment_step::bootstrap);
    EXPECT_EQ(result.exit_code, 3);
    std::ifstream ran{work() / "bootstrap_ran"};
    std::string where;
    std::getline(ran, where);
    EXPECT_EQ(fs::path{where}, fs::canonical(work()));
}

TEST_F(DeploymentStep, UninstallGetsTheStepsSetenvAndAnswersZero) {
    const auto result = run(
        {{"Uninstall", {{"Script", "echo \"$FAREWELL\" > said"}, {"Setenv", {{"FAREWELL", "bye"}}}}}},
        deployment_step::uninstall);
    EXPECT_EQ(result.exit_code, 0) << result.why;
    std::ifstream said{work() / "said"};
    std::string text;
    std::getline(said, text);
    EXPECT_EQ(text, "bye");
}

TEST_F(DeploymentStep, AStepThatOutlastsItsTimeoutIsEndedAndAnsweredWithoutAnExitCode) {
    const auto started = std::chrono::steady_clock::now();
    const auto result =
        run({{"Bootstrap", {{"Script", "sleep 30"}, {"Timeout", 1}}}}, deployment_step::bootstrap);
    EXPECT_EQ(result.exit_code, std::nullopt);
    EXPECT_EQ(result.why, "Bootstrap step timed out after '1' seconds.");
    EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds{10});
}

TEST_F(DeploymentStep, AComponentWithoutTheStepAnswersZeroWithoutRunningAnything) {
    const auto result = run({{"Run", "touch ran"}}, deployment_step::uninstall);
    EXPECT_EQ(result.exit_code, 0);
    EXPECT_FALSE(fs::exists(work() / "ran"));
}

TEST_F(DeploymentStep, ASkipifThatHoldsSkipsTheStep) {
    const auto result = run({{"Bootstrap", {{"Script", "exit 7"}, {"Skipif", "onpath sh"}}}},
                            deployment_step::bootstrap);
    EXPECT_EQ(result.exit_code, 0);
}

}  // namespace
}  // namespace standin::server::lifecycle
