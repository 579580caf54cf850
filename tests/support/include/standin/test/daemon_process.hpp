// SPDX-License-Identifier: Apache-2.0
// Runs the real `standin` executable for integration tests and benchmarks: `standin serve` in a
// fresh temp root (waiting for its ready line), and one-shot commands with captured output. Every
// wait is on a file descriptor (pipe, pidfd) with a deadline; nothing sleeps.
//
// A daemon that is not stopped cleanly fails the test that owned it: unless the test said
// otherwise (expect_exit_code, ignore_exit), the destructor SIGTERMs it and requires exit code 0
// and no sanitizer report or crash in its stderr, and reports anything else through
// standin/test/failure.hpp (GoogleTest's ADD_FAILURE with standin_test_support).
#pragma once

#include <sys/types.h>

#include <chrono>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

namespace standin::test {

// The executable under test: $STANDIN_EXECUTABLE, else the path the build compiled in.
std::string standin_executable();

// A directory made with mkdtemp under /tmp (short, so socket paths fit in sun_path), removed with
// everything in it on destruction unless $STANDIN_KEEP_TEMP is set.
class temp_dir {
public:
    temp_dir();
    temp_dir(const temp_dir&) = delete;
    temp_dir& operator=(const temp_dir&) = delete;
    ~temp_dir();
    const std::filesystem::path& path() const noexcept { return path_; }

private:
    std::filesystem::path path_;
};

struct recipe_file {
    std::string file_name;  // e.g. "com.test.A.json"
    std::string content;
};

// Writes each recipe into `dir` (created if missing).
void write_recipes(const std::filesystem::path& dir, const std::vector<recipe_file>& recipes);

// Result of a one-shot run of the executable.
struct run_result {
    int exit_code = -1;  // exit status, or 128 + signal when killed by one
    std::string out;
    std::string err;
    bool timed_out = false;  // killed with SIGKILL after the deadline
};

// Runs `standin <args...>` with stdin from /dev/null, capturing stdout and stderr. A sanitizer or
// crash report in its stderr is reported as a failure (the exit code is the caller's to check).
run_result run_standin(const std::vector<std::string>& args,
                       std::chrono::milliseconds timeout = std::chrono::milliseconds{10000});

// `standin <args...>` running in the background (a subscriber, a long command), its output read as
// it comes with bounded waits. The destructor kills it (SIGKILL) unless finish() was called.
class standin_process {
public:
    // With `input`, that text (small: it must fit in a pipe's buffer) is its stdin, then end of
    // input; else stdin is /dev/null.
    explicit standin_process(const std::vector<std::string>& args,
                             const std::optional<std::string>& input = std::nullopt);
    standin_process(const standin_process&) = delete;
    standin_process& operator=(const standin_process&) = delete;
    ~standin_process();

    // Reads its output until stderr (stdout) contains `text`; false at the deadline or its end.
    bool wait_for_stderr(std::string_view text,
                         std::chrono::milliseconds timeout = std::chrono::milliseconds{10000});
    bool wait_for_stdout(std::string_view text,
                         std::chrono::milliseconds timeout = std::chrono::milliseconds{10000});
    // What it printed so far.
    const std::string& out() const noexcept { return result_.out; }
    const std::string& err() const noexcept { return result_.err; }
    // Waits for its exit (SIGKILL at the deadline: timed_out) and returns everything it printed. A
    // sanitizer or crash report in its stderr is reported as a test failure, as by run_standin.
    run_result finish(std::chrono::milliseconds timeout = std::chrono::milliseconds{10000});

private:
    using clock = std::chrono::steady_clock;
    // Reads output until done() holds (true), both pipes close or the deadline passes (false).
    bool read_until(clock::time_point deadline, const std::function<bool()>& done);

    std::vector<std::string> args_;
    pid_t pid_ = -1;
    int pidfd_ = -1;
    int out_fd_ = -1;
    int err_fd_ = -1;
    bool out_open_ = true;
    bool err_open_ = true;
    bool finished_ = false;
    run_result result_;
};

// The lines of `text` that show a sanitizer report (AddressSanitizer, LeakSanitizer, UBSan's
// "runtime error:", ...) or a crash (std::terminate, a failed assert), at most `max_lines`.
std::vector<std::string> crash_report_lines(std::string_view text, std::size_t max_lines = 5);

// "SIGSEGV"-style name of a signal number ("signal N" when unknown).
std::string signal_name(int signal);

struct daemon_config {
    std::vector<recipe_file> recipes;
    // Appended after `serve --root ROOT --recipes RECIPES`.
    std::vector<std::string> extra_args;
    std::chrono::milliseconds ready_timeout{10000};
    // The program to run; empty means standin_executable(). Tests of the harness pass a fake.
    std::string executable{};
    // How long the destructor waits after SIGTERM before it SIGKILLs (and fails the test).
    std::chrono::milliseconds stop_timeout{10000};
    // Run the recipes' lifecycle scripts. Off by default (`serve --no-launch`): most tests connect
    // as the components themselves, and a recipe's script must not race them.
    bool launch_components = false;
};

// What the daemon's exit looked like against what the test expected.
struct exit_check {
    std::optional<int> exit_code;       // nullopt: it did not exit in time and was SIGKILLed
    std::vector<std::string> problems;  // empty when the exit was as expected
    std::string stderr_tail;            // the end of the daemon's stderr

    bool ok() const noexcept { return problems.empty(); }
    // The problems and the stderr tail, for a failure message.
    std::string describe() const;
};

class daemon_process {
public:
    // Writes the recipes, starts `standin serve` and waits for its ready line and daemon.json.
    // Throws std::runtime_error (with the daemon's stderr) when it does not get ready in time.
    explicit daemon_process(daemon_config config = {});
    daemon_process(const daemon_process&) = delete;
    daemon_process& operator=(const daemon_process&) = delete;
    // Unless check_exit() was called: stops the daemon (SIGTERM, bounded wait, then SIGKILL) and
    // reports a failure when its exit is not as expected (see check_exit()). Then removes the temp
    // dir. Prints the daemon's stderr when the current test has failed.
    ~daemon_process();

    pid_t pid() const noexcept { return pid_; }
    const std::filesystem::path& root() const noexcept { return root_; }
    const std::filesystem::path& recipes_dir() const noexcept { return recipes_dir_; }
    const std::string& socket_path() const noexcept { return socket_path_; }
    const std::string& ready_line() const noexcept { return ready_line_; }
    // The parsed <root>/daemon.json as read right after the ready line.
    const nlohmann::json& info() const noexcept { return info_; }
    const std::map<std::string, std::string>& tokens() const noexcept { return tokens_; }
    // The SVCUID of `component`; throws std::out_of_range when the daemon does not know it.
    const std::string& token(const std::string& component) const;

    // Sends `signal` and waits for the exit. Returns the exit code (128 + signal when killed by
    // one), or nullopt when it did not exit in time (it is then killed with SIGKILL).
    std::optional<int> stop(int signal,
                            std::chrono::milliseconds timeout = std::chrono::milliseconds{10000});
    std::optional<int> stop() { return stop(15 /* SIGTERM */); }
    bool running() const noexcept { return !exit_code_.has_value() && pid_ > 0; }
    std::optional<int> exit_code() const noexcept { return exit_code_; }

    // Everything the daemon wrote to stderr so far.
    std::string stderr_text() const;
    // The file the daemon's stderr goes to (to wait on a log line with inotify).
    const std::filesystem::path& stderr_path() const noexcept { return stderr_path_; }
    // Everything the daemon wrote to stdout so far (the ready line included).
    std::string stdout_text() const;
    // From the spawn to the ready line and daemon.json.
    std::chrono::steady_clock::duration startup_duration() const noexcept { return startup_; }

    // The exit code the test expects instead of 0 (e.g. 1, or 128 + SIGKILL for a test that kills
    // the daemon). Sanitizer reports in stderr still fail the test.
    void expect_exit_code(int code) noexcept { expected_exit_ = code; }
    void expect_killed_by(int signal) noexcept { expected_exit_ = 128 + signal; }
    // The test does not care how the daemon ends (nothing is checked at teardown).
    void ignore_exit() noexcept { ignore_exit_ = true; }

    // Stops the daemon if it is still running (SIGTERM, then SIGKILL after config.stop_timeout)
    // and compares its exit with the expectation: the exit code (0 unless expect_exit_code()), no
    // crash signal, no sanitizer or crash report in stderr. The caller takes over: the destructor
    // no longer checks or reports.
    exit_check check_exit();

private:
    struct output_drain;

    std::optional<int> wait_exit(std::chrono::milliseconds timeout);
    void kill_now() noexcept;

    temp_dir dir_;
    std::filesystem::path root_;
    std::filesystem::path recipes_dir_;
    std::filesystem::path stderr_path_;
    pid_t pid_ = -1;
    int pidfd_ = -1;
    int stdout_fd_ = -1;
    std::string socket_path_;
    std::string ready_line_;
    nlohmann::json info_;
    std::map<std::string, std::string> tokens_;
    std::optional<int> exit_code_;
    std::chrono::milliseconds stop_timeout_;
    std::chrono::steady_clock::duration startup_{};
    std::unique_ptr<output_drain> stdout_drain_;
    int expected_exit_ = 0;
    bool ignore_exit_ = false;
    bool checked_ = false;
    bool stop_timed_out_ = false;
};

}  // namespace standin::test
