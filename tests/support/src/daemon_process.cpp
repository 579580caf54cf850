// SPDX-License-Identifier: Apache-2.0
#include "standin/test/daemon_process.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <functional>
#include <iostream>
#include <mutex>
#include <stdexcept>
#include <thread>

#include "standin/test/failure.hpp"
#include "standin/test/fd.hpp"
#include "standin/test/files.hpp"

extern char** environ;

namespace standin::test {

namespace fs = std::filesystem;
using clock = std::chrono::steady_clock;

namespace {

[[noreturn]] void fail_errno(const std::string& what) {
    throw std::runtime_error(what + ": " + std::strerror(errno));
}

int open_pidfd(pid_t pid) {
    const long fd = ::syscall(SYS_pidfd_open, pid, 0);
    if (fd < 0) fail_errno("pidfd_open");
    return static_cast<int>(fd);
}

int decode_status(int status) {
    if (WIFEXITED(status)) return WEXITSTATUS(status);
    if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
    return -1;
}

// Appends whatever `fd` has right now; false on EOF.
bool drain(int fd, std::string& out) {
    char buf[4096];
    for (;;) {
        const auto n = ::read(fd, buf, sizeof buf);
        if (n > 0) {
            out.append(buf, static_cast<std::size_t>(n));
            return true;
        }
        if (n == 0) return false;
        if (errno == EINTR) continue;
        if (errno == EAGAIN) return true;
        return false;
    }
}

struct pipe_pair {
    int read = -1;
    int write = -1;
};

pipe_pair make_pipe() {
    int fds[2];
    if (::pipe2(fds, O_CLOEXEC) != 0) fail_errno("pipe2");
    return {fds[0], fds[1]};
}

// Starts `argv` with stdin from /dev/null and stdout/stderr on the given fds (or a file for
// stderr when `stderr_file` is set). Signals get their default dispositions in the child.
// stdin is /dev/null unless stdin_fd is given.
pid_t spawn(const std::vector<std::string>& args, int stdout_fd, int stderr_fd,
            const fs::path* stderr_file, int stdin_fd = -1) {
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    if (stdin_fd >= 0) {
        posix_spawn_file_actions_adddup2(&actions, stdin_fd, 0);
    } else {
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
    }
    posix_spawn_file_actions_adddup2(&actions, stdout_fd, 1);
    if (stderr_file != nullptr) {
        posix_spawn_file_actions_addopen(&actions, 2, stderr_file->c_str(), O_WRONLY | O_CREAT | O_TRUNC,
                                         0600);
    } else {
        posix_spawn_file_actions_adddup2(&actions, stderr_fd, 2);
    }

    posix_spawnattr_t attr;
    posix_spawnattr_init(&attr);
    sigset_t all, none;
    sigfillset(&all);
    sigemptyset(&none);
    posix_spawnattr_setsigdefault(&attr, &all);
    posix_spawnattr_setsigmask(&attr, &none);
    posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK);

    std::vector<char*> argv;
    for (const auto& a : args)
        argv.push_back(const_cast<char*>(a.c_str()));
    argv.push_back(nullptr);

    pid_t pid = -1;
    const int rc = ::posix_spawn(&pid, argv[0], &actions, &attr, argv.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    posix_spawnattr_destroy(&attr);
    if (rc != 0) {
        errno = rc;
        fail_errno("posix_spawn(" + args[0] + ")");
    }
    return pid;
}

// Waits for `pid` to exit within the deadline (pidfd poll); reaps it. nullopt on timeout.
std::optional<int> wait_pid(pid_t pid, int pidfd, clock::time_point deadline) {
    for (;;) {
        pollfd p{pidfd, POLLIN, 0};
        const int ready = ::poll(&p, 1, remaining_ms(deadline));
        if (ready < 0 && errno == EINTR) continue;
        if (ready <= 0) return std::nullopt;
        int status = 0;
        while (::waitpid(pid, &status, 0) < 0) {
            if (errno != EINTR) fail_errno("waitpid");
        }
        return decode_status(status);
    }
}

// What sanitizers and the C++ runtime print when something went wrong. Each is specific enough not
// to appear in the daemon's own log lines.
constexpr std::array<std::string_view, 14> crash_markers{
    "ERROR: AddressSanitizer",
    "ERROR: LeakSanitizer",
    "ERROR: ThreadSanitizer",
    "ERROR: MemorySanitizer",
    "WARNING: ThreadSanitizer",
    "SUMMARY: AddressSanitizer",
    "SUMMARY: LeakSanitizer",
    "SUMMARY: UndefinedBehaviorSanitizer",
    "SUMMARY: ThreadSanitizer",
    "AddressSanitizer:DEADLYSIGNAL",
    " runtime error: ",  // UBSan: "<file>:<line>:<col>: runtime error: ..."
    "terminate called after throwing",
    "terminate called without an active exception",
    "Assertion `",  // glibc assert()
};

bool is_crash_signal(int signal) {
    return signal == SIGSEGV || signal == SIGABRT || signal == SIGBUS || signal == SIGFPE ||
           signal == SIGILL || signal == SIGTRAP || signal == SIGSYS;
}

std::string tail_of(const std::string& text, std::size_t max = 4000) {
    if (text.size() <= max) return text;
    return "[... " + std::to_string(text.size() - max) + " bytes before ...]\n" +
           text.substr(text.size() - max);
}

}  // namespace

std::vector<std::string> crash_report_lines(std::string_view text, std::size_t max_lines) {
    std::vector<std::string> out;
    std::size_t begin = 0;
    while (begin < text.size() && out.size() < max_lines) {
        auto end = text.find('\n', begin);
        if (end == std::string_view::npos) end = text.size();
        const auto line = text.substr(begin, end - begin);
        for (const auto marker : crash_markers) {
            if (line.find(marker) != std::string_view::npos) {
                out.emplace_back(line);
                break;
            }
        }
        begin = end + 1;
    }
    return out;
}

std::string signal_name(int signal) {
    switch (signal) {
        case SIGHUP:
            return "SIGHUP";
        case SIGINT:
            return "SIGINT";
        case SIGQUIT:
            return "SIGQUIT";
        case SIGILL:
            return "SIGILL";
        case SIGTRAP:
            return "SIGTRAP";
        case SIGABRT:
            return "SIGABRT";
        case SIGBUS:
            return "SIGBUS";
        case SIGFPE:
            return "SIGFPE";
        case SIGKILL:
            return "SIGKILL";
        case SIGSEGV:
            return "SIGSEGV";
        case SIGPIPE:
            return "SIGPIPE";
        case SIGTERM:
            return "SIGTERM";
        case SIGSYS:
            return "SIGSYS";
        default:
            return "signal " + std::to_string(signal);
    }
}

std::string exit_check::describe() const {
    std::string out;
    for (const auto& p : problems)
        out += (out.empty() ? "" : "; ") + p;
    out += "\n--- end of the daemon's stderr ---\n" + stderr_tail + "\n--- end ---";
    return out;
}

std::string standin_executable() {
    if (const char* env = std::getenv("STANDIN_EXECUTABLE"); env != nullptr && *env != '\0') return env;
    return STANDIN_EXECUTABLE;
}

temp_dir::temp_dir() {
    std::string templ = "/tmp/sti-XXXXXX";
    if (::mkdtemp(templ.data()) == nullptr) fail_errno("mkdtemp");
    path_ = templ;
}

temp_dir::~temp_dir() {
    if (std::getenv("STANDIN_KEEP_TEMP") != nullptr) return;
    std::error_code ignored;
    fs::remove_all(path_, ignored);
}

void write_recipes(const fs::path& dir, const std::vector<recipe_file>& recipes) {
    fs::create_directories(dir);
    for (const auto& r : recipes) {
        std::ofstream out(dir / r.file_name, std::ios::binary | std::ios::trunc);
        out << r.content;
        if (!out) throw std::runtime_error("cannot write recipe " + (dir / r.file_name).string());
    }
}

standin_process::standin_process(const std::vector<std::string>& args,
                                 const std::optional<std::string>& input)
    : args_{args} {
    std::vector<std::string> argv{standin_executable()};
    argv.insert(argv.end(), args.begin(), args.end());
    auto out_pipe = make_pipe();
    auto err_pipe = make_pipe();
    pipe_pair in_pipe;
    if (input) in_pipe = make_pipe();
    pid_ = spawn(argv, out_pipe.write, err_pipe.write, nullptr, in_pipe.read);
    ::close(out_pipe.write);
    ::close(err_pipe.write);
    out_fd_ = out_pipe.read;
    err_fd_ = err_pipe.read;
    pidfd_ = open_pidfd(pid_);
    if (input) {
        ::close(in_pipe.read);
        // Small inputs only: written at once into the pipe's buffer, then closed (end of input).
        for (std::size_t written = 0; written < input->size();) {
            const auto n = ::write(in_pipe.write, input->data() + written, input->size() - written);
            if (n < 0 && errno == EINTR) continue;
            if (n <= 0) break;
            written += static_cast<std::size_t>(n);
        }
        ::close(in_pipe.write);
    }
}

standin_process::~standin_process() {
    if (!finished_) {
        ::kill(pid_, SIGKILL);
        (void)wait_pid(pid_, pidfd_, clock::now() + std::chrono::seconds(10));
    }
    ::close(out_fd_);
    ::close(err_fd_);
    ::close(pidfd_);
}

bool standin_process::read_until(clock::time_point deadline, const std::function<bool()>& done) {
    while (out_open_ || err_open_) {
        if (done && done()) return true;
        pollfd fds[2] = {{out_open_ ? out_fd_ : -1, POLLIN, 0}, {err_open_ ? err_fd_ : -1, POLLIN, 0}};
        const int ready = ::poll(fds, 2, remaining_ms(deadline));
        if (ready < 0 && errno == EINTR) continue;
        if (ready <= 0) return false;
        if (out_open_ && (fds[0].revents & (POLLIN | POLLHUP | POLLERR)))
            out_open_ = drain(out_fd_, result_.out);
        if (err_open_ && (fds[1].revents & (POLLIN | POLLHUP | POLLERR)))
            err_open_ = drain(err_fd_, result_.err);
    }
    return done && done();
}

bool standin_process::wait_for_stderr(std::string_view text, std::chrono::milliseconds timeout) {
    return read_until(clock::now() + timeout,
                      [&] { return result_.err.find(text) != std::string::npos; });
}

bool standin_process::wait_for_stdout(std::string_view text, std::chrono::milliseconds timeout) {
    return read_until(clock::now() + timeout,
                      [&] { return result_.out.find(text) != std::string::npos; });
}

run_result standin_process::finish(std::chrono::milliseconds timeout) {
    if (finished_) return result_;
    const auto deadline = clock::now() + timeout;
    read_until(deadline, {});
    auto code = wait_pid(pid_, pidfd_, deadline);
    if (!code) {
        result_.timed_out = true;
        ::kill(pid_, SIGKILL);
        code = wait_pid(pid_, pidfd_, clock::now() + std::chrono::seconds(10));
    }
    finished_ = true;
    result_.exit_code = code.value_or(-1);
    if (const auto lines = crash_report_lines(result_.err); !lines.empty()) {
        std::string args_text;
        for (const auto& a : args_)
            args_text += " " + a;
        STANDIN_TEST_FAIL("`standin" + args_text + "` (exit code " + std::to_string(result_.exit_code) +
                          ") reported a crash or sanitizer error: " + lines.front() +
                          "\n--- end of its stderr ---\n" + tail_of(result_.err));
    }
    return result_;
}

run_result run_standin(const std::vector<std::string>& args, std::chrono::milliseconds timeout) {
    return standin_process{args}.finish(timeout);
}

// Reads the daemon's stdout after the ready line until EOF, so that a chatty daemon never blocks on
// a full pipe and the test can still see what it printed.
struct daemon_process::output_drain {
    output_drain(int fd, std::string already_read) : fd_{fd}, text_{std::move(already_read)} {
        thread_ = std::thread([this] {
            char buf[4096];
            for (;;) {
                const auto n = ::read(fd_.get(), buf, sizeof buf);
                if (n > 0) {
                    const std::lock_guard lock{mutex_};
                    text_.append(buf, static_cast<std::size_t>(n));
                } else if (n == 0 || errno != EINTR) {
                    return;  // EOF: the daemon has exited (or closed its stdout)
                }
            }
        });
    }
    output_drain(const output_drain&) = delete;
    output_drain& operator=(const output_drain&) = delete;
    // Precondition: the daemon has exited, so the read ends at EOF.
    ~output_drain() {
        if (thread_.joinable()) thread_.join();
    }

    std::string text() const {
        const std::lock_guard lock{mutex_};
        return text_;
    }

    unique_fd fd_;
    mutable std::mutex mutex_;
    std::string text_;
    std::thread thread_;
};

daemon_process::daemon_process(daemon_config config)
    : root_{dir_.path() / "root"},
      recipes_dir_{dir_.path() / "recipes"},
      stderr_path_{dir_.path() / "stderr.log"},
      stop_timeout_{config.stop_timeout} {
    write_recipes(recipes_dir_, config.recipes);

    const std::string program = config.executable.empty() ? standin_executable() : config.executable;
    std::vector<std::string> argv{program,        "serve",     "--root",
                                  root_.string(), "--recipes", recipes_dir_.string()};
    if (!config.launch_components && config.executable.empty()) argv.emplace_back("--no-launch");
    argv.insert(argv.end(), config.extra_args.begin(), config.extra_args.end());

    const auto started = clock::now();
    auto out_pipe = make_pipe();
    try {
        pid_ = spawn(argv, out_pipe.write, -1, &stderr_path_);
    } catch (...) {
        ::close(out_pipe.read);
        ::close(out_pipe.write);
        throw;
    }
    ::close(out_pipe.write);
    stdout_fd_ = out_pipe.read;
    pidfd_ = open_pidfd(pid_);

    // Read stdout until the ready line, the child's exit, or the deadline.
    const auto deadline = started + config.ready_timeout;
    std::string out;
    std::string seen;  // every stdout byte so far, for stdout_text()
    std::string problem;
    for (;;) {
        const auto newline = out.find('\n');
        if (newline != std::string::npos) {
            const auto line = out.substr(0, newline);
            out.erase(0, newline + 1);
            if (line.find("standin ready") != std::string::npos) {
                ready_line_ = line;
                break;
            }
            continue;
        }
        pollfd p{stdout_fd_, POLLIN, 0};
        const int ready = ::poll(&p, 1, remaining_ms(deadline));
        if (ready < 0 && errno == EINTR) continue;
        if (ready <= 0) {
            problem = "no ready line within " + std::to_string(config.ready_timeout.count()) + " ms";
            break;
        }
        const auto before = out.size();
        const bool open = drain(stdout_fd_, out);
        seen.append(out, before, std::string::npos);
        if (!open) {
            problem = "stdout closed before the ready line";
            break;
        }
    }
    if (problem.empty()) {
        const auto at = ready_line_.find("socket=");
        if (at == std::string::npos) {
            problem = "ready line without socket=: " + ready_line_;
        } else {
            const auto start = at + 7;
            socket_path_ = ready_line_.substr(start, ready_line_.find(' ', start) - start);
        }
    }
    if (problem.empty()) {
        std::ifstream in(root_ / "daemon.json");
        info_ = nlohmann::json::parse(in, nullptr, /*allow_exceptions=*/false);
        if (info_.is_discarded() || !info_.is_object() || !info_.contains("tokens")) {
            problem = "no readable " + (root_ / "daemon.json").string() + " after the ready line";
        } else {
            try {
                tokens_ = info_.at("tokens").get<std::map<std::string, std::string>>();
            } catch (const std::exception& e) {
                problem = std::string("daemon.json tokens: ") + e.what();
            }
        }
    }
    if (!problem.empty()) {
        kill_now();
        std::string message = "standin serve did not start: " + problem;
        if (exit_code_) message += " (exit code " + std::to_string(*exit_code_) + ")";
        message += "\n--- stdout ---\n" + seen + "\n--- stderr ---\n" + stderr_text();
        ::close(stdout_fd_);
        ::close(pidfd_);
        throw std::runtime_error(message);
    }
    startup_ = clock::now() - started;
    stdout_drain_ = std::make_unique<output_drain>(std::exchange(stdout_fd_, -1), std::move(seen));
}

daemon_process::~daemon_process() {
    if (!checked_) {
        try {
            const auto check = check_exit();
            if (!check.ok()) {
                report_failure(__FILE__, __LINE__,
                               "standin serve (pid " + std::to_string(pid_) +
                                   ") did not end as the test expected: " + check.describe());
            }
        } catch (const std::exception& e) {
            report_failure(__FILE__, __LINE__, std::string("checking the daemon's exit: ") + e.what());
        }
    }
    kill_now();  // only when the check above could not stop it
    if (current_test_failed()) {
        std::cerr << "--- standin serve stderr (" << stderr_path_.string() << ") ---\n"
                  << stderr_text() << "--- end of stderr ---\n";
    }
    stdout_drain_.reset();
    if (stdout_fd_ >= 0) ::close(stdout_fd_);
    if (pidfd_ >= 0) ::close(pidfd_);
}

exit_check daemon_process::check_exit() {
    checked_ = true;
    if (running()) stop(SIGTERM, stop_timeout_);
    exit_check out;
    out.exit_code = exit_code_;
    const auto err = stderr_text();
    out.stderr_tail = tail_of(err);
    if (ignore_exit_) return out;

    if (stop_timed_out_) {
        out.problems.push_back("it did not exit in time after being signalled and was SIGKILLed");
    } else if (!exit_code_) {
        out.problems.push_back("its exit status is unknown");
    } else if (*exit_code_ != expected_exit_) {
        const int code = *exit_code_;
        std::string what;
        if (code > 128 && is_crash_signal(code - 128)) {
            what = "it crashed with " + signal_name(code - 128);
        } else if (code > 128) {
            what = "it was killed by " + signal_name(code - 128);
        } else {
            what = "it exited with code " + std::to_string(code);
        }
        out.problems.push_back(what + " (expected " +
                               (expected_exit_ > 128 ? signal_name(expected_exit_ - 128)
                                                     : "exit code " + std::to_string(expected_exit_)) +
                               ")");
    }
    for (const auto& line : crash_report_lines(err))
        out.problems.push_back("its stderr reports: " + line);
    return out;
}

const std::string& daemon_process::token(const std::string& component) const {
    const auto it = tokens_.find(component);
    if (it == tokens_.end()) throw std::out_of_range("the daemon has no token for " + component);
    return it->second;
}

std::optional<int> daemon_process::wait_exit(std::chrono::milliseconds timeout) {
    if (exit_code_) return exit_code_;
    exit_code_ = wait_pid(pid_, pidfd_, clock::now() + timeout);
    return exit_code_;
}

std::optional<int> daemon_process::stop(int signal, std::chrono::milliseconds timeout) {
    if (exit_code_) return exit_code_;
    ::kill(pid_, signal);
    if (auto code = wait_exit(timeout)) return code;
    stop_timed_out_ = true;
    kill_now();
    return std::nullopt;
}

void daemon_process::kill_now() noexcept {
    if (exit_code_ || pid_ <= 0) return;
    ::kill(pid_, SIGKILL);
    try {
        exit_code_ = wait_pid(pid_, pidfd_, clock::now() + std::chrono::seconds(10));
    } catch (...) {
    }
}

std::string daemon_process::stderr_text() const {
    return read_file(stderr_path_);
}

std::string daemon_process::stdout_text() const {
    return stdout_drain_ ? stdout_drain_->text() : std::string{};
}

}  // namespace standin::test
