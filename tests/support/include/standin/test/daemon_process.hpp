// SPDX-License-Identifier: Apache-2.0
// Runs the real `standin` executable for integration tests: `standin serve` in a fresh temp root
// (waiting for its ready line), and one-shot commands with captured output. Every wait is on a
// file descriptor (pipe, pidfd) with a deadline; nothing sleeps.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
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

// Runs `standin <args...>` with stdin from /dev/null, capturing stdout and stderr.
run_result run_standin(const std::vector<std::string>& args,
                       std::chrono::milliseconds timeout = std::chrono::milliseconds{10000});

struct daemon_config {
    std::vector<recipe_file> recipes;
    // Appended after `serve --root ROOT --recipes RECIPES`.
    std::vector<std::string> extra_args;
    std::chrono::milliseconds ready_timeout{10000};
};

class daemon_process {
public:
    // Writes the recipes, starts `standin serve` and waits for its ready line and daemon.json.
    // Throws std::runtime_error (with the daemon's stderr) when it does not get ready in time.
    explicit daemon_process(daemon_config config = {});
    daemon_process(const daemon_process&) = delete;
    daemon_process& operator=(const daemon_process&) = delete;
    // Stops the daemon (SIGTERM, bounded wait, then SIGKILL) and removes the temp dir. Prints the
    // daemon's stderr when the current test has failed.
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

private:
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
};

}  // namespace standin::test
