// SPDX-License-Identifier: Apache-2.0
#include "lifecycle/component_lifecycle.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace standin::server::lifecycle {
namespace {

using namespace std::chrono_literals;
using state = component_state;

steps_present with(std::initializer_list<step> steps) {
    steps_present out;
    for (const auto s : steps)
        out[s] = true;
    return out;
}

// A machine with a hand-moved clock, and the actions it asked for, as text.
struct machine {
    explicit machine(steps_present steps) : fsm(steps, [this] { return now; }) {}

    // "run:install", "end" for each queued action; remembers the generation of each step.
    std::vector<std::string> actions() {
        std::vector<std::string> out;
        for (const auto& a : fsm.take_actions()) {
            if (const auto* r = std::get_if<run_step>(&a)) {
                out.push_back("run:" + std::string{step_name(r->which)});
                generation[static_cast<std::size_t>(r->which)] = r->generation;
            } else {
                out.emplace_back("end");
            }
        }
        return out;
    }
    std::vector<std::string> states() {
        std::vector<std::string> out;
        for (const auto& t : fsm.take_transitions())
            out.emplace_back(state_name(t.to));
        return out;
    }
    void exited(step s, int code) { fsm.step_exited(s, generation[static_cast<std::size_t>(s)], code); }
    void timed_out(step s) { fsm.step_timed_out(s, generation[static_cast<std::size_t>(s)]); }

    component_lifecycle::clock::time_point now{};
    std::array<std::uint64_t, step_count> generation{};
    component_lifecycle fsm;
};

using strings = std::vector<std::string>;

TEST(ComponentLifecycle, RunThatExitsZeroFinishesThroughStopping) {
    machine m{with({step::install, step::run, step::shutdown})};
    EXPECT_EQ(m.fsm.state(), state::new_);
    m.fsm.request_start();
    EXPECT_EQ(m.actions(), strings{"run:install"});
    EXPECT_EQ(m.fsm.state(), state::new_);
    m.exited(step::install, 0);
    EXPECT_EQ(m.actions(), strings{"run:run"});
    EXPECT_EQ(m.states(), (strings{"INSTALLED", "STARTING", "RUNNING"}));
    m.exited(step::run, 0);
    EXPECT_EQ(m.actions(), strings{"run:shutdown"});
    EXPECT_EQ(m.fsm.state(), state::stopping);
    m.exited(step::shutdown, 0);
    EXPECT_EQ(m.actions(), strings{"end"});
    EXPECT_EQ(m.fsm.state(), state::finished);
    EXPECT_TRUE(m.fsm.at_rest());
}

TEST(ComponentLifecycle, NothingToStartIsFinished) {
    machine m{with({})};
    m.fsm.request_start();
    EXPECT_TRUE(m.actions().empty());
    EXPECT_EQ(m.states(), (strings{"INSTALLED", "STARTING", "FINISHED"}));
}

TEST(ComponentLifecycle, StartupKeepsStartingUntilItExitsZero) {
    machine m{with({step::startup, step::run})};
    m.fsm.request_start();
    // Startup wins over run: the nucleus runs one of them.
    EXPECT_EQ(m.actions(), strings{"run:startup"});
    EXPECT_EQ(m.fsm.state(), state::starting);
    m.exited(step::startup, 0);
    EXPECT_EQ(m.fsm.state(), state::running);
    EXPECT_TRUE(m.actions().empty());
}

TEST(ComponentLifecycle, UpdateStateRunningEndsStartingAndLaterStartupFailureErrors) {
    machine m{with({step::startup})};
    m.fsm.request_start();
    m.actions();
    m.states();
    EXPECT_TRUE(m.fsm.report(reported_state::running));
    EXPECT_EQ(m.fsm.state(), state::running);
    // RUNNING -> RUNNING is not an allowed report: ignored.
    EXPECT_FALSE(m.fsm.report(reported_state::running));
    m.exited(step::startup, 2);
    EXPECT_EQ(m.states(), (strings{"RUNNING", "ERRORED", "STOPPING", "INSTALLED", "STARTING"}));
    EXPECT_EQ(m.actions(), (strings{"end", "run:startup"}));
}

TEST(ComponentLifecycle, ReportsOutsideTheAllowedTransitionsAreIgnored) {
    machine m{with({step::run})};
    EXPECT_FALSE(m.fsm.report(reported_state::running));  // NEW -> RUNNING
    m.fsm.request_start();
    m.actions();
    m.exited(step::run, 0);
    m.actions();
    EXPECT_EQ(m.fsm.state(), state::finished);
    EXPECT_FALSE(m.fsm.report(reported_state::errored));  // FINISHED -> ERRORED
    EXPECT_FALSE(m.fsm.report(reported_state::running));
    EXPECT_EQ(m.fsm.state(), state::finished);
}

TEST(ComponentLifecycle, FailingRunIsRestartedThenBrokenOnTheThirdError) {
    machine m{with({step::run, step::recover, step::shutdown})};
    m.fsm.request_start();
    EXPECT_EQ(m.actions(), strings{"run:run"});
    for (int attempt = 1; attempt <= 2; ++attempt) {
        m.states();
        m.exited(step::run, 1);
        EXPECT_EQ(m.fsm.state(), state::errored) << attempt;
        EXPECT_EQ(m.actions(), strings{"run:recover"}) << attempt;
        m.exited(step::recover, 0);
        EXPECT_EQ(m.actions(), strings{"run:shutdown"}) << attempt;
        m.exited(step::shutdown, 0);
        EXPECT_EQ(m.actions(), (strings{"end", "run:run"})) << attempt;
        EXPECT_EQ(m.states(), (strings{"ERRORED", "STOPPING", "INSTALLED", "STARTING", "RUNNING"}));
    }
    m.exited(step::run, 1);
    EXPECT_EQ(m.fsm.state(), state::broken);
    // Stopping service in BROKEN state: shutdown, then the processes end.
    EXPECT_EQ(m.actions(), strings{"run:shutdown"});
    m.exited(step::shutdown, 0);
    EXPECT_EQ(m.actions(), strings{"end"});
    EXPECT_EQ(m.fsm.state(), state::broken);
    EXPECT_TRUE(m.fsm.at_rest());
    // A stop leaves it BROKEN; a restart gives it a new chance.
    m.fsm.request_stop();
    EXPECT_EQ(m.fsm.state(), state::broken);
    EXPECT_TRUE(m.fsm.request_restart());
    EXPECT_EQ(m.fsm.state(), state::running);
    EXPECT_EQ(m.actions(), strings{"run:run"});
}

TEST(ComponentLifecycle, ErrorsOlderThanTheResetTimeAreForgotten) {
    machine m{with({step::run})};
    m.fsm.request_start();
    m.actions();
    for (int attempt = 0; attempt < 5; ++attempt) {
        m.now += default_error_reset_time;  // each error an hour after the last
        m.exited(step::run, 1);
        EXPECT_EQ(m.fsm.state(), state::running) << attempt;  // retried at once (no recover)
        m.actions();
    }
}

TEST(ComponentLifecycle, FailedInstallIsRetriedThenBroken) {
    machine m{with({step::install, step::run})};
    m.fsm.request_start();
    EXPECT_EQ(m.actions(), strings{"run:install"});
    m.exited(step::install, 1);
    EXPECT_EQ(m.actions(), strings{"run:install"});
    m.timed_out(step::install);
    EXPECT_EQ(m.actions(), strings{"run:install"});
    EXPECT_EQ(m.fsm.state(), state::new_);
    m.exited(step::install, 7);
    EXPECT_EQ(m.fsm.state(), state::broken);
    EXPECT_EQ(m.actions(), strings{"end"});
}

TEST(ComponentLifecycle, ShutdownTimeoutEndsProcessesAndStillFinishes) {
    machine m{with({step::run, step::shutdown})};
    m.fsm.request_start();
    m.actions();
    m.fsm.request_stop();
    EXPECT_EQ(m.actions(), strings{"run:shutdown"});
    m.timed_out(step::shutdown);
    EXPECT_EQ(m.actions(), strings{"end"});
    EXPECT_EQ(m.states(),
              (strings{"INSTALLED", "STARTING", "RUNNING", "STOPPING", "ERRORED", "FINISHED"}));
    // The killed shutdown's exit comes later and changes nothing.
    m.exited(step::shutdown, 137);
    EXPECT_EQ(m.fsm.state(), state::finished);
    EXPECT_TRUE(m.actions().empty());
}

TEST(ComponentLifecycle, RunTimeoutIsAnError) {
    machine m{with({step::run})};
    m.fsm.request_start();
    m.actions();
    m.timed_out(step::run);
    EXPECT_EQ(m.states(), (strings{"INSTALLED", "STARTING", "RUNNING", "ERRORED", "STOPPING",
                                   "INSTALLED", "STARTING", "RUNNING"}));
    EXPECT_EQ(m.actions(), (strings{"end", "run:run"}));
}

TEST(ComponentLifecycle, ExitOfAnEarlierRunIsIgnored) {
    machine m{with({step::run})};
    m.fsm.request_start();
    m.actions();
    const auto first = m.generation[static_cast<std::size_t>(step::run)];
    EXPECT_TRUE(m.fsm.request_restart());
    EXPECT_EQ(m.actions(), (strings{"end", "run:run"}));
    m.fsm.step_exited(step::run, first, 143);  // the old run, killed by the restart
    EXPECT_EQ(m.fsm.state(), state::running);
    EXPECT_TRUE(m.actions().empty());
}

TEST(ComponentLifecycle, ReportedErroredRunsRecoverThenRestarts) {
    machine m{with({step::run, step::recover})};
    m.fsm.request_start();
    m.actions();
    EXPECT_TRUE(m.fsm.report(reported_state::errored));
    EXPECT_EQ(m.fsm.state(), state::errored);
    EXPECT_EQ(m.actions(), strings{"run:recover"});
    m.exited(step::recover, 0);
    EXPECT_EQ(m.actions(), (strings{"end", "run:run"}));
    EXPECT_EQ(m.fsm.state(), state::running);
}

TEST(ComponentLifecycle, WaitsForDependenciesBeforeStarting) {
    machine m{with({step::run})};
    m.fsm.set_dependencies_ready(false);
    m.fsm.request_start();
    EXPECT_EQ(m.fsm.state(), state::installed);
    EXPECT_TRUE(m.actions().empty());
    EXPECT_FALSE(m.fsm.at_rest());
    m.fsm.set_dependencies_ready(true);
    EXPECT_EQ(m.fsm.state(), state::running);
    EXPECT_EQ(m.actions(), strings{"run:run"});
}

TEST(ComponentLifecycle, StopWhileInstallingFinishesAfterTheInstall) {
    machine m{with({step::install, step::run})};
    m.fsm.request_start();
    m.actions();
    m.fsm.request_stop();
    EXPECT_EQ(m.fsm.state(), state::new_);
    m.exited(step::install, 0);
    EXPECT_EQ(m.fsm.state(), state::finished);
    EXPECT_TRUE(m.actions().empty());
}

TEST(ComponentLifecycle, RestartOfANeverLaunchedComponentFails) {
    machine m{with({step::run})};
    EXPECT_FALSE(m.fsm.request_restart());
    EXPECT_EQ(m.fsm.state(), state::new_);
}

TEST(ComponentLifecycle, RestartOfAFinishedComponentStartsItAgain) {
    machine m{with({step::run})};
    m.fsm.request_start();
    m.actions();
    m.exited(step::run, 0);
    m.actions();
    ASSERT_EQ(m.fsm.state(), state::finished);
    EXPECT_TRUE(m.fsm.request_restart());
    EXPECT_EQ(m.fsm.state(), state::running);
    EXPECT_EQ(m.actions(), strings{"run:run"});
}

TEST(ComponentLifecycle, StateNames) {
    EXPECT_EQ(state_name(state::new_), "NEW");
    EXPECT_EQ(state_name(state::installed), "INSTALLED");
    EXPECT_EQ(state_name(state::broken), "BROKEN");
    EXPECT_EQ(step_name(step::recover), "recover");
}

}  // namespace
}  // namespace standin::server::lifecycle
