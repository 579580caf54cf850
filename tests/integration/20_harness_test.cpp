// SPDX-License-Identifier: Apache-2.0
// The harness's teardown check can fail: daemon_process, stopped at the end of a test, fails that
// test when the daemon does not exit 0 or reports a sanitizer error or a crash on stderr. Proven
// with standin_fake_daemon, which prints the ready line and then, on SIGTERM, does what its
// --fake-exit flag says (tests/support/fake_daemon.cpp).
#include <signal.h>

#include <gtest/gtest-spi.h>

#include <memory>

#include "integration_common.hpp"

namespace standin::test::integration {
namespace {

std::unique_ptr<daemon_process> fake_daemon(const std::string& mode) {
    daemon_config config;
    config.executable = STANDIN_FAKE_DAEMON;
    config.extra_args = {"--fake-exit", mode};
    config.stop_timeout = std::chrono::milliseconds{2000};
    return std::make_unique<daemon_process>(config);
}

TEST(HarnessTeardown, CleanExitPassesUnnoticed) {
    auto d = fake_daemon("clean");
    EXPECT_EQ(d->token("com.fake.A"), "FAKETOKEN0000000000000000000000A");
    d.reset();  // any failure reported here fails this test
}

// Each way a daemon can end badly, and what the failure reported at teardown must say.
struct bad_ending {
    const char* mode;      // --fake-exit
    const char* expected;  // a substring of the reported failure
};

class HarnessTeardownFailure : public ::testing::TestWithParam<bad_ending> {};

TEST_P(HarnessTeardownFailure, FailsTheOwningTest) {
    auto d = fake_daemon(GetParam().mode);
    EXPECT_NONFATAL_FAILURE(d.reset(), GetParam().expected);
}

INSTANTIATE_TEST_SUITE_P(
    Modes, HarnessTeardownFailure,
    ::testing::Values(
        // An ASan report and exit code 1, as ASan ends a process.
        bad_ending{"asan", "ERROR: AddressSanitizer: heap-use-after-free"},
        // The failure carries the stderr tail, not only the matched lines.
        bad_ending{"asan", "READ of size 4 at 0x602000000010 thread T0"},
        // A non-zero exit alone, with a clean stderr.
        bad_ending{"exit1", "it exited with code 1 (expected exit code 0)"},
        // Reports alone, with exit code 0 (UBSan without -fno-sanitize-recover, LSan's summary).
        bad_ending{"ubsan", "runtime error: signed integer overflow"},
        bad_ending{"lsan", "ERROR: LeakSanitizer: detected memory leaks"},
        bad_ending{"segv", "it crashed with SIGSEGV"},
        // Ignoring SIGTERM: killed after stop_timeout.
        bad_ending{"hang", "did not exit in time after being signalled"}),
    [](const ::testing::TestParamInfo<bad_ending>& param_info) {
        return std::string{param_info.param.mode} + "_" + std::to_string(param_info.index);
    });

TEST(HarnessTeardown, AnExpectedExitCodeIsAccepted) {
    auto d = fake_daemon("exit1");
    d->expect_exit_code(1);
    d.reset();
}

TEST(HarnessTeardown, AnExpectedExitCodeDoesNotExcuseASanitizerReport) {
    auto d = fake_daemon("asan");
    d->expect_exit_code(1);
    EXPECT_NONFATAL_FAILURE(d.reset(), "its stderr reports: ==");
}

TEST(HarnessTeardown, KillingTheDaemonMustBeDeclared) {
    auto undeclared = fake_daemon("clean");
    ASSERT_EQ(undeclared->stop(SIGKILL), 128 + SIGKILL);
    EXPECT_NONFATAL_FAILURE(undeclared.reset(), "it was killed by SIGKILL (expected exit code 0)");

    auto declared = fake_daemon("clean");
    declared->expect_killed_by(SIGKILL);
    ASSERT_EQ(declared->stop(SIGKILL), 128 + SIGKILL);
    declared.reset();
}

TEST(HarnessTeardown, IgnoreExitSkipsEveryCheck) {
    auto d = fake_daemon("asan");
    d->ignore_exit();
    d.reset();
}

TEST(HarnessTeardown, CheckExitIsInspectableAndTakesOverTheReport) {
    auto d = fake_daemon("asan");
    const auto check = d->check_exit();
    EXPECT_FALSE(check.ok());
    EXPECT_EQ(check.exit_code, 1);
    ASSERT_EQ(check.problems.size(), 3u) << check.describe();  // exit code + two report lines
    EXPECT_EQ(check.problems[0], "it exited with code 1 (expected exit code 0)");
    EXPECT_NE(check.describe().find("heap-use-after-free"), std::string::npos);
    d.reset();  // the caller took over: nothing more is reported
}

TEST(HarnessTeardown, TheRealDaemonStoppedAtTeardownPasses) {
    daemon_process d{daemon_config{standard_recipes(), {}, std::chrono::milliseconds{10000}}};
    raw_client c{d.socket_path()};
    c.connect_or_throw(d.token(comp_a));
    EXPECT_TRUE(nothing_more_arrives(c));
    const auto check = d.check_exit();
    EXPECT_TRUE(check.ok()) << check.describe();
    EXPECT_EQ(check.exit_code, 0);
}

TEST(HarnessCrashReports, MarkersAreFoundLineByLine) {
    const auto lines = crash_report_lines(
        "[info] ipc.session connection 3 closed\n"
        "x.cpp:1:2: runtime error: load of misaligned address\n"
        "terminate called after throwing an instance of 'std::logic_error'\n"
        "[warn] a runtime error in the logs is not UBSan's format\n");
    EXPECT_EQ(lines, (std::vector<std::string>{
                         "x.cpp:1:2: runtime error: load of misaligned address",
                         "terminate called after throwing an instance of 'std::logic_error'"}));
    EXPECT_TRUE(crash_report_lines("standin ready socket=/tmp/x\n").empty());
}

}  // namespace
}  // namespace standin::test::integration
