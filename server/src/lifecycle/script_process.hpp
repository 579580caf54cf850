// SPDX-License-Identifier: Apache-2.0
// One lifecycle script, run as the nucleus's ShellRunner runs it: `sh -c SCRIPT` in the
// component's work directory with the given environment, in a process group of its own (so that
// what it starts is stopped, frozen and thawed with it). Started with posix_spawn and watched
// through a pidfd and its output pipe on the io_context: nothing blocks the I/O thread but the
// spawn itself (a vfork + exec).
#pragma once

#include <sys/types.h>

#include <array>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/posix/stream_descriptor.hpp>
#include <boost/system/result.hpp>

namespace standin::server::lifecycle {

struct script_options {
    std::string script;
    std::filesystem::path working_directory;
    std::vector<std::string> environment;  // "NAME=value", the whole environment
    // Run as this POSIX user (and group), through runuser(1): only when the daemon runs as root.
    // Empty: as the daemon.
    std::string user;
    std::string group;
};

class script_process : public std::enable_shared_from_this<script_process> {
public:
    // Each line of output (stdout and stderr together), without its newline; a last line without
    // one comes at the end.
    using line_handler = std::function<void(std::string_view line)>;
    // Once, on the I/O thread, after the process was reaped and all it wrote before exiting was
    // handed to the line handler. The exit status, or 128 + the signal that killed it.
    using exit_handler = std::function<void(int exit_code)>;

    // Starts the script. An error (as text) when it cannot be started.
    static boost::system::result<std::shared_ptr<script_process>, std::string> start(
        const boost::asio::any_io_executor& io, const script_options& options, line_handler on_line,
        exit_handler on_exit);

    script_process(const script_process&) = delete;
    script_process& operator=(const script_process&) = delete;
    ~script_process();

    pid_t pid() const noexcept { return pid_; }
    bool exited() const noexcept { return exited_; }
    // Sends `signal` to the whole process group (also after the script itself exited, for what
    // it left behind). Quietly nothing when the group is gone.
    void signal_group(int signal) const noexcept;
    // Stops watching: no more lines or exit (the process is not signalled).
    void detach() noexcept;

private:
    script_process(const boost::asio::any_io_executor& io, pid_t pid, int pidfd, int output_fd,
                   line_handler on_line, exit_handler on_exit);
    void watch_exit();
    void read_output();
    void take_output(std::string_view bytes);
    void drain_output_now();
    void flush_partial_line();

    pid_t pid_;
    boost::asio::posix::stream_descriptor pidfd_;
    boost::asio::posix::stream_descriptor output_;
    line_handler on_line_;
    exit_handler on_exit_;
    std::string partial_line_;
    std::array<char, 4096> buffer_{};
    bool exited_ = false;
    bool output_open_ = true;
};

}  // namespace standin::server::lifecycle
