// SPDX-License-Identifier: Apache-2.0
// The supervisor without processes (declared components, as --no-launch): dependency order at
// start and at stop, driven by an io_context run to quiescence.
#include "lifecycle/supervisor.hpp"

#include <gtest/gtest.h>

#include <algorithm>

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

}  // namespace
}  // namespace standin::server::lifecycle
