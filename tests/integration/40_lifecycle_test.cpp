// SPDX-License-Identifier: Apache-2.0
// Component processes (semantics.md §5.1, §10, §11): the daemon runs the lifecycle of the recipes
// in fixtures/lifecycle/ and the tests follow each component through its log file
// (<root>/logs/<component>.log, which notes every state change) and GetComponentDetails.
#include <signal.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <fstream>
#include <thread>

#include "40_lifecycle_common.hpp"

namespace standin::test::integration {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

fs::path fixture_recipe_path(const std::string& component) {
    return fs::path{STANDIN_FIXTURES_DIR} / "lifecycle" / "recipes" / (component + ".yaml");
}

// Whether `pid` has gone (or is a zombie nobody reaped), waiting up to `timeout` on a pidfd.
bool process_gone(pid_t pid, std::chrono::milliseconds timeout = 5000ms) {
    const long fd = ::syscall(SYS_pidfd_open, pid, 0);
    if (fd < 0) return errno == ESRCH;
    unique_fd pidfd{static_cast<int>(fd)};
    pollfd p{pidfd.get(), POLLIN, 0};
    if (::poll(&p, 1, static_cast<int>(timeout.count())) == 1) return true;
    // A zombie of a parent that does not reap (PID 1 in some containers) is gone too.
    std::ifstream stat{"/proc/" + std::to_string(pid) + "/stat"};
    std::string text;
    std::getline(stat, text);
    const auto close = text.rfind(')');
    return close != std::string::npos && text.size() > close + 2 && text[close + 2] == 'Z';
}

pid_t read_pid(const fs::path& file) {
    std::ifstream in{file};
    long pid = 0;
    in >> pid;
    return static_cast<pid_t>(pid);
}

class LifecycleTest : public IntegrationTest {
protected:
    // The components whose fixture recipes this test runs, besides com.test.Admin.
    virtual std::vector<std::string> components() = 0;

    daemon_config config() override {
        daemon_config c;
        c.recipes = {admin_recipe()};
        for (const auto& name : components()) {
            c.extra_args.push_back("--recipes");
            c.extra_args.push_back(fixture_recipe_path(name).string());
        }
        c.extra_args.push_back("--thing-name");
        c.extra_args.push_back("lifecycle-thing");
        c.launch_components = true;
        return c;
    }

    fs::path log_of(const std::string& component) {
        return daemon().root() / "logs" / (component + ".log");
    }
    fs::path work_of(const std::string& component) { return daemon().root() / "work" / component; }
};

class FinishingComponent : public LifecycleTest {
    std::vector<std::string> components() override { return {"com.test.Finishes"}; }
};

TEST_F(FinishingComponent, InstallsRunsAndFinishesWithItsEnvironment) {
    const std::string name = "com.test.Finishes";
    ASSERT_TRUE(wait_for_text(log_of(name), "STOPPING -> FINISHED")) << file_text(log_of(name));
    auto admin = connected(comp_admin);
    EXPECT_EQ(state_of(admin, name), "FINISHED");

    const auto log = file_text(log_of(name));
    const auto work = work_of(name).string();
    EXPECT_NE(log.find("[install] installed into " + work + "\n"), std::string::npos) << log;
    EXPECT_NE(log.find(R"([run] greeting=hello nested={"answer":42})"), std::string::npos) << log;
    EXPECT_NE(log.find("[run] thing=lifecycle-thing region=us-east-1 ggc=2.14.0"), std::string::npos)
        << log;
    EXPECT_NE(log.find("[run] svcuid_length=32 same_token=yes"), std::string::npos) << log;
    EXPECT_NE(log.find("[run] socket=" + daemon().socket_path()), std::string::npos) << log;
    EXPECT_NE(log.find("[run] setenv=hello step=from the run step"), std::string::npos) << log;
    EXPECT_NE(log.find("[run] cwd=" + work + "\n"), std::string::npos) << log;
    // standin's own directory comes first on the PATH.
    EXPECT_NE(log.find("[run] standin_on_path=" + fs::path{standin_executable()}.string()),
              std::string::npos)
        << log;
    EXPECT_NE(log.find("[run] to stderr"), std::string::npos) << log;
    EXPECT_NE(log.find("[run] no newline at the end\n"), std::string::npos) << log;
    EXPECT_NE(log.find("run exited with code 0"), std::string::npos) << log;
    // Skipif with a recipe variable: the file exists, the shutdown is skipped.
    EXPECT_NE(log.find("shutdown skipped (Skipif exists {artifacts:path}/hello.sh)"), std::string::npos)
        << log;
    EXPECT_EQ(log.find("this shutdown is skipped"), std::string::npos) << log;
    // RequiresPrivilege is ignored, with a warning when standin is not root.
    if (::geteuid() != 0) {
        EXPECT_NE(daemon().stderr_text().find("com.test.Finishes: RequiresPrivilege ignored"),
                  std::string::npos);
    }
    // The token is the one standin env hands out.
    EXPECT_EQ(daemon().token(name).size(), 32u);
    // And on the terminal, prefixed (stdout is not a TTY here: no colours).
    EXPECT_NE(daemon().stdout_text().find("[com.test.Finishes] greeting=hello"), std::string::npos)
        << daemon().stdout_text();
    EXPECT_EQ(daemon().stdout_text().find("\033["), std::string::npos);
}

TEST_F(FinishingComponent, RestartRunsItAgain) {
    const std::string name = "com.test.Finishes";
    ASSERT_TRUE(wait_for_text(log_of(name), "STOPPING -> FINISHED"));
    auto admin = connected(comp_admin);
    EXPECT_EQ(call_json(admin, "aws.greengrass#RestartComponent", {{"componentName", name}}),
              (json{{"restartStatus", "SUCCEEDED"}}));
    ASSERT_TRUE(wait_for_text(log_of(name), "STOPPING -> FINISHED", 2)) << file_text(log_of(name));
    // Installed once: a restart starts again from INSTALLED.
    EXPECT_EQ(count_of(file_text(log_of(name)), "[install] installed"), 1u);
    EXPECT_EQ(count_of(file_text(log_of(name)), "[run] greeting=hello"), 2u);
}

class FailingComponent : public LifecycleTest {
    std::vector<std::string> components() override { return {"com.test.Fails"}; }
};

TEST_F(FailingComponent, IsRecoveredAndRestartedUntilBrokenOnTheThirdError) {
    const std::string name = "com.test.Fails";
    ASSERT_TRUE(wait_for_text(log_of(name), "RUNNING -> BROKEN")) << file_text(log_of(name));
    const auto log = file_text(log_of(name));
    EXPECT_EQ(count_of(log, "[run] attempt"), 3u) << log;
    EXPECT_EQ(count_of(log, "run exited with code 3"), 3u) << log;
    EXPECT_EQ(count_of(log, "[recover] recovering"), 2u) << log;
    EXPECT_EQ(count_of(log, "RUNNING -> ERRORED"), 2u) << log;
    auto admin = connected(comp_admin);
    EXPECT_EQ(state_of(admin, name), "BROKEN");
    EXPECT_NE(
        daemon().stderr_text().find("com.test.Fails: RUNNING -> BROKEN (Run script exited with code 3)"),
        std::string::npos);

    // A restart gives it three new chances.
    EXPECT_EQ(call_json(admin, "aws.greengrass#RestartComponent", {{"componentName", name}}),
              (json{{"restartStatus", "SUCCEEDED"}}));
    ASSERT_TRUE(wait_for_text(log_of(name), "RUNNING -> BROKEN", 2)) << file_text(log_of(name));
    EXPECT_EQ(count_of(file_text(log_of(name)), "[run] attempt"), 6u);
}

class HangingShutdown : public LifecycleTest {
    std::vector<std::string> components() override { return {"com.test.HangsOnShutdown"}; }
};

TEST_F(HangingShutdown, IsKilledAfterItsTimeoutAndNoProcessSurvivesTheDaemon) {
    const std::string name = "com.test.HangsOnShutdown";
    ASSERT_TRUE(wait_for_text(log_of(name), "[run] running")) << file_text(log_of(name));
    const pid_t run = read_pid(work_of(name) / "run.pid");
    const pid_t child = read_pid(work_of(name) / "child.pid");
    ASSERT_GT(run, 0);
    ASSERT_GT(child, 0);
    EXPECT_FALSE(process_gone(run, 0ms));

    const auto stopping = std::chrono::steady_clock::now();
    EXPECT_EQ(daemon().stop(), 0) << daemon().stderr_text();
    const auto took = std::chrono::steady_clock::now() - stopping;
    // The 1 s Timeout, not the default 15 s.
    EXPECT_LT(took, 8s);
    const auto log = file_text(log_of(name));
    EXPECT_NE(log.find("[shutdown] shutting down"), std::string::npos) << log;
    EXPECT_NE(log.find("shutdown timed out after 1 s"), std::string::npos) << log;
    EXPECT_NE(log.find("STOPPING -> ERRORED"), std::string::npos) << log;
    EXPECT_NE(log.find("-> FINISHED"), std::string::npos) << log;
    const pid_t shutdown = read_pid(work_of(name) / "shutdown.pid");
    ASSERT_GT(shutdown, 0);
    EXPECT_TRUE(process_gone(run)) << "run script " << run;
    EXPECT_TRUE(process_gone(child)) << "its background child " << child;
    EXPECT_TRUE(process_gone(shutdown)) << "the hanging shutdown " << shutdown;
}

TEST_F(HangingShutdown, StopComponentRunsTheShutdownAndEndsTheProcesses) {
    const std::string name = "com.test.HangsOnShutdown";
    ASSERT_TRUE(wait_for_text(log_of(name), "[run] running"));
    const pid_t child = read_pid(work_of(name) / "child.pid");
    auto admin = connected(comp_admin);
    EXPECT_EQ(call_json(admin, "aws.greengrass#StopComponent", {{"componentName", name}}),
              (json{{"stopStatus", "SUCCEEDED"}}));
    EXPECT_EQ(state_of(admin, name), "STOPPING");
    ASSERT_TRUE(wait_for_text(log_of(name), "-> FINISHED")) << file_text(log_of(name));
    EXPECT_EQ(state_of(admin, name), "FINISHED");
    EXPECT_TRUE(process_gone(child));
}

TEST_F(HangingShutdown, PauseFreezesTheProcessGroupAndResumeThawsIt) {
    const std::string name = "com.test.HangsOnShutdown";
    ASSERT_TRUE(wait_for_text(log_of(name), "[run] running"));
    const pid_t child = read_pid(work_of(name) / "child.pid");
    auto admin = connected(comp_admin);
    const auto process_state = [](pid_t pid) {
        std::ifstream stat{"/proc/" + std::to_string(pid) + "/stat"};
        std::string text;
        std::getline(stat, text);
        const auto close = text.rfind(')');
        return close == std::string::npos ? '?' : text[close + 2];
    };
    EXPECT_EQ(call_json(admin, "aws.greengrass#PauseComponent", {{"componentName", name}}),
              json::object());
    // SIGSTOP is delivered asynchronously; the process is stopped (T) once the kernel got to it.
    const auto until = [&](auto done) {
        const auto deadline = std::chrono::steady_clock::now() + 5s;
        while (!done() && std::chrono::steady_clock::now() < deadline)
            std::this_thread::yield();
    };
    until([&] { return process_state(child) == 'T'; });
    EXPECT_EQ(process_state(child), 'T');
    EXPECT_EQ(state_of(admin, name), "RUNNING");  // a paused component still reports RUNNING
    EXPECT_EQ(call_json(admin, "aws.greengrass#ResumeComponent", {{"componentName", name}}),
              json::object());
    // Thawed: running again, or already back asleep (its own sleep), never stopped.
    until([&] { return process_state(child) != 'T'; });
    const char thawed = process_state(child);
    EXPECT_TRUE(thawed == 'S' || thawed == 'R') << thawed;
}

class StartupComponent : public LifecycleTest {
    std::vector<std::string> components() override { return {"com.test.Starter"}; }
};

TEST_F(StartupComponent, StaysStartingUntilItReportsRunning) {
    const std::string name = "com.test.Starter";
    ASSERT_TRUE(wait_for_text(log_of(name), "[startup] starting"));
    auto admin = connected(comp_admin);
    EXPECT_EQ(state_of(admin, name), "STARTING");

    auto self = connected(name);
    EXPECT_EQ(call_json(self, "aws.greengrass#UpdateState", {{"state", "RUNNING"}}), json::object());
    EXPECT_EQ(state_of(admin, name), "RUNNING");
    // RUNNING again is not an allowed report: ignored, still a success.
    EXPECT_EQ(call_json(self, "aws.greengrass#UpdateState", {{"state", "RUNNING"}}), json::object());
    EXPECT_TRUE(wait_for_text(log_of(name), "UpdateState RUNNING ignored in state RUNNING"));

    // ERRORED: its processes end and it starts again.
    EXPECT_EQ(call_json(self, "aws.greengrass#UpdateState", {{"state", "ERRORED"}}), json::object());
    ASSERT_TRUE(wait_for_text(log_of(name), "[startup] starting", 2)) << file_text(log_of(name));
    EXPECT_EQ(state_of(admin, name), "STARTING");
    const auto log = file_text(log_of(name));
    EXPECT_NE(log.find("RUNNING -> ERRORED"), std::string::npos) << log;
    EXPECT_NE(log.find("startup exited with code 143"), std::string::npos) << log;  // SIGTERM
}

class DependentComponents : public LifecycleTest {
    std::vector<std::string> components() override { return {"com.test.Dependent", "com.test.Base"}; }
};

TEST_F(DependentComponents, TheDependentStartsAfterItsHardDependencyAndReadsItsConfiguration) {
    ASSERT_TRUE(wait_for_text(log_of("com.test.Dependent"), "-> FINISHED"))
        << file_text(log_of("com.test.Dependent"));
    EXPECT_NE(file_text(log_of("com.test.Dependent")).find("[run] saw base ready at http://base.local"),
              std::string::npos)
        << file_text(log_of("com.test.Dependent"));
    auto admin = connected(comp_admin);
    EXPECT_EQ(state_of(admin, "com.test.Base"), "RUNNING");
    EXPECT_EQ(details(admin, "com.test.Base")["version"], "2.0.0");
}

}  // namespace
}  // namespace standin::test::integration
