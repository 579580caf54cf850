// SPDX-License-Identifier: Apache-2.0
#include "lifecycle/script_process.hpp"

#include <fcntl.h>
#include <pwd.h>
#include <signal.h>
#include <spawn.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string>
#include <vector>

#include <boost/asio/buffer.hpp>

namespace standin::server::lifecycle {

namespace asio = boost::asio;

namespace {

std::string errno_text(const std::string& what, int error) {
    return what + ": " + std::strerror(error);
}

int decode_status(int status) {
    if (WIFEXITED(status)) return WEXITSTATUS(status);
    if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
    return 1;
}

}  // namespace

boost::system::result<std::shared_ptr<script_process>, std::string> script_process::start(
    const asio::any_io_executor& io, const script_options& options, line_handler on_line,
    exit_handler on_exit) {
    int output[2];
    if (::pipe2(output, O_CLOEXEC) != 0) return errno_text("pipe2", errno);

    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_adddup2(&actions, output[1], 1);
    posix_spawn_file_actions_adddup2(&actions, output[1], 2);
    posix_spawn_file_actions_addchdir_np(&actions, options.working_directory.c_str());

    posix_spawnattr_t attributes;
    posix_spawnattr_init(&attributes);
    // Its own process group (pgid = its pid), default signal dispositions (the daemon ignores
    // SIGPIPE and catches SIGTERM; the script must not inherit that) and no blocked signals.
    sigset_t all, none;
    sigfillset(&all);
    sigemptyset(&none);
    posix_spawnattr_setpgroup(&attributes, 0);
    posix_spawnattr_setsigdefault(&attributes, &all);
    posix_spawnattr_setsigmask(&attributes, &none);
    posix_spawnattr_setflags(&attributes,
                             POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK);

    std::vector<std::string> words;
    if (!options.user.empty()) {
        // As the nucleus's `sudo -u user -g group`, without sudo: setpriv(1) keeps the environment.
        std::string group = options.group;
        if (group.empty()) {
            if (const passwd* account = ::getpwnam(options.user.c_str()))
                group = std::to_string(account->pw_gid);
        }
        words = {"/usr/bin/setpriv", "--reuid=" + options.user, "--init-groups"};
        if (!group.empty()) words.push_back("--regid=" + group);
        words.push_back("--");
    }
    words.insert(words.end(), {"/bin/sh", "-c", options.script});
    std::vector<char*> argv;
    for (auto& word : words)
        argv.push_back(word.data());
    argv.push_back(nullptr);
    std::vector<char*> envp;
    envp.reserve(options.environment.size() + 1);
    for (const auto& entry : options.environment)
        envp.push_back(const_cast<char*>(entry.c_str()));
    envp.push_back(nullptr);

    pid_t pid = -1;
    const int spawned = ::posix_spawn(&pid, argv[0], &actions, &attributes, argv.data(), envp.data());
    posix_spawn_file_actions_destroy(&actions);
    posix_spawnattr_destroy(&attributes);
    ::close(output[1]);
    if (spawned != 0) {
        ::close(output[0]);
        return errno_text("posix_spawn " + words.front(), spawned);
    }
    const long pidfd = ::syscall(SYS_pidfd_open, pid, 0);
    if (pidfd < 0) {
        const int error = errno;
        ::kill(-pid, SIGKILL);
        int status = 0;
        ::waitpid(pid, &status, 0);
        ::close(output[0]);
        return errno_text("pidfd_open", error);
    }
    std::shared_ptr<script_process> process{new script_process(
        io, pid, static_cast<int>(pidfd), output[0], std::move(on_line), std::move(on_exit))};
    process->read_output();
    process->watch_exit();
    return process;
}

script_process::script_process(const asio::any_io_executor& io, pid_t pid, int pidfd, int output_fd,
                               line_handler on_line, exit_handler on_exit)
    : pid_(pid),
      pidfd_(io, pidfd),
      output_(io, output_fd),
      on_line_(std::move(on_line)),
      on_exit_(std::move(on_exit)) {
    output_.non_blocking(true);
}

script_process::~script_process() {
    if (!exited_) {
        // Not reaped: nobody is left to wait for it, so it must not outlive us as a zombie.
        ::kill(-pid_, SIGKILL);
        int status = 0;
        ::waitpid(pid_, &status, 0);
    }
}

void script_process::signal_group(int signal) const noexcept {
    ::kill(-pid_, signal);
}

void script_process::detach() noexcept {
    on_line_ = nullptr;
    on_exit_ = nullptr;
    boost::system::error_code ignored;
    output_.close(ignored);
    output_open_ = false;
}

void script_process::watch_exit() {
    pidfd_.async_wait(asio::posix::descriptor_base::wait_read,
                      [self = shared_from_this()](const boost::system::error_code& ec) {
                          if (ec) return;
                          int status = 0;
                          pid_t reaped = -1;
                          do {
                              reaped = ::waitpid(self->pid_, &status, WNOHANG);
                          } while (reaped < 0 && errno == EINTR);
                          if (reaped == 0) {  // readable but not yet reapable: wait again
                              self->watch_exit();
                              return;
                          }
                          self->exited_ = true;
                          boost::system::error_code ignored;
                          self->pidfd_.close(ignored);
                          // What it wrote before exiting is in the pipe now: hand it over first.
                          self->drain_output_now();
                          self->flush_partial_line();
                          if (auto on_exit = std::exchange(self->on_exit_, nullptr)) {
                              on_exit(reaped < 0 ? 1 : decode_status(status));
                          }
                      });
}

void script_process::read_output() {
    if (!output_open_) return;
    output_.async_read_some(
        asio::buffer(buffer_),
        [self = shared_from_this()](const boost::system::error_code& ec, std::size_t n) {
            if (n > 0) self->take_output({self->buffer_.data(), n});
            if (ec) {
                // EOF: everyone holding the pipe has gone. Closed by detach(): nothing more to do.
                if (self->output_open_) {
                    self->flush_partial_line();
                    boost::system::error_code ignored;
                    self->output_.close(ignored);
                    self->output_open_ = false;
                }
                return;
            }
            self->read_output();
        });
}

void script_process::drain_output_now() {
    if (!output_open_) return;
    for (;;) {
        const auto n = ::read(output_.native_handle(), buffer_.data(), buffer_.size());
        if (n > 0) {
            take_output({buffer_.data(), static_cast<std::size_t>(n)});
            continue;
        }
        if (n < 0 && errno == EINTR) continue;
        return;  // EAGAIN (a child it left still holds the pipe), EOF or error
    }
}

void script_process::take_output(std::string_view bytes) {
    partial_line_.append(bytes);
    std::size_t begin = 0;
    for (auto newline = partial_line_.find('\n'); newline != std::string::npos;
         newline = partial_line_.find('\n', begin)) {
        if (on_line_) on_line_(std::string_view{partial_line_}.substr(begin, newline - begin));
        begin = newline + 1;
    }
    partial_line_.erase(0, begin);
}

void script_process::flush_partial_line() {
    if (partial_line_.empty()) return;
    if (on_line_) on_line_(partial_line_);
    partial_line_.clear();
}

}  // namespace standin::server::lifecycle
