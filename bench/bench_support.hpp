// SPDX-License-Identifier: Apache-2.0
// Plumbing for standin_bench: latency summaries, blocking socket I/O with deadlines, the daemon as a
// child process, and a raw eventstream-RPC client built on the protocol codec. Everything here
// throws std::runtime_error on failure: a benchmark that cannot measure has nothing to report.
#pragma once

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <optional>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <thread>
#include <utility>
#include <vector>

#include "standin/protocol/frame_decoder.hpp"
#include "standin/protocol/frame_encoder.hpp"
#include "standin/protocol/message.hpp"
#include "standin/protocol/rpc.hpp"

namespace standin::bench {

using steady = std::chrono::steady_clock;

inline std::int64_t now_ns() {
    return std::chrono::duration_cast<std::chrono::nanoseconds>(steady::now().time_since_epoch())
        .count();
}

inline double seconds_between(steady::time_point from, steady::time_point to) {
    return std::chrono::duration<double>(to - from).count();
}

[[noreturn]] inline void throw_errno(const std::string& what) {
    throw std::runtime_error(what + ": " + std::strerror(errno));
}

// ---------------------------------------------------------------------------------------------
// Latency samples (nanoseconds) reduced to the figures we print.

struct latency_summary {
    double p50_us = 0;
    double p99_us = 0;
    double max_us = 0;
    std::size_t samples = 0;
};

// Nearest-rank percentiles: no interpolation, so every figure is a latency that really occurred.
inline latency_summary summarize(std::vector<std::int64_t> samples_ns) {
    latency_summary out;
    out.samples = samples_ns.size();
    if (samples_ns.empty()) return out;
    std::sort(samples_ns.begin(), samples_ns.end());
    const auto rank = [&](double p) {
        const auto n = static_cast<double>(samples_ns.size());
        const auto index = static_cast<std::size_t>(std::max(1.0, std::ceil(p * n))) - 1;
        return static_cast<double>(samples_ns[std::min(index, samples_ns.size() - 1)]) / 1000.0;
    };
    out.p50_us = rank(0.50);
    out.p99_us = rank(0.99);
    out.max_us = static_cast<double>(samples_ns.back()) / 1000.0;
    return out;
}

// ---------------------------------------------------------------------------------------------
// Blocking socket I/O. Reads wait with poll() against a deadline so a wedged daemon turns into an
// error instead of a hung benchmark; nothing ever sleeps.

inline void write_all(int fd, std::string_view bytes) {
    while (!bytes.empty()) {
        const auto n = ::send(fd, bytes.data(), bytes.size(), MSG_NOSIGNAL);
        if (n < 0) {
            if (errno == EINTR) continue;
            throw_errno("send");
        }
        bytes.remove_prefix(static_cast<std::size_t>(n));
    }
}

// Waits until `fd` is readable; throws once `deadline` passes.
inline void wait_readable(int fd, steady::time_point deadline, const char* what) {
    for (;;) {
        const auto left =
            std::chrono::duration_cast<std::chrono::milliseconds>(deadline - steady::now());
        if (left.count() <= 0) throw std::runtime_error(std::string{"timed out waiting for "} + what);
        pollfd p{fd, POLLIN, 0};
        const int r = ::poll(&p, 1, static_cast<int>(std::min<std::int64_t>(left.count() + 1, 60'000)));
        if (r > 0) return;
        if (r < 0 && errno != EINTR) throw_errno("poll");
    }
}

// Reads at most `out.size()` bytes (at least one); 0 means the peer closed.
inline std::size_t read_some(int fd, std::span<std::uint8_t> out, steady::time_point deadline,
                             const char* what) {
    for (;;) {
        wait_readable(fd, deadline, what);
        const auto n = ::read(fd, out.data(), out.size());
        if (n >= 0) return static_cast<std::size_t>(n);
        if (errno != EINTR && errno != EAGAIN) throw_errno("read");
    }
}

inline void read_exact(int fd, std::span<std::uint8_t> out, steady::time_point deadline,
                       const char* what) {
    while (!out.empty()) {
        const auto n = read_some(fd, out, deadline, what);
        if (n == 0) throw std::runtime_error(std::string{"peer closed while reading "} + what);
        out = out.subspan(n);
    }
}

// Owns one file descriptor.
class unique_fd {
public:
    unique_fd() = default;
    explicit unique_fd(int fd) noexcept : fd_(fd) {}
    unique_fd(unique_fd&& other) noexcept : fd_(std::exchange(other.fd_, -1)) {}
    unique_fd& operator=(unique_fd&& other) noexcept {
        if (this != &other) reset(std::exchange(other.fd_, -1));
        return *this;
    }
    unique_fd(const unique_fd&) = delete;
    unique_fd& operator=(const unique_fd&) = delete;
    ~unique_fd() { reset(); }

    int get() const noexcept { return fd_; }
    void reset(int fd = -1) noexcept {
        if (fd_ >= 0) ::close(fd_);
        fd_ = fd;
    }

private:
    int fd_ = -1;
};

inline std::pair<unique_fd, unique_fd> make_socketpair() {
    int fds[2];
    if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds) != 0) throw_errno("socketpair");
    return {unique_fd{fds[0]}, unique_fd{fds[1]}};
}

// ---------------------------------------------------------------------------------------------
// /proc readings of the daemon.

// A "VmRSS"-style field of /proc/<pid>/status in KiB, or -1 when it cannot be read.
inline long proc_status_kib(pid_t pid, std::string_view field) {
    std::ifstream in("/proc/" + std::to_string(pid) + "/status");
    std::string line;
    while (std::getline(in, line)) {
        if (line.size() > field.size() && line.compare(0, field.size(), field) == 0 &&
            line[field.size()] == ':') {
            return std::stol(line.substr(field.size() + 1));
        }
    }
    return -1;
}

// User + system CPU time the process has used so far (clock-tick resolution, usually 10 ms).
inline double proc_cpu_seconds(pid_t pid) {
    std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
    std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    // The command name may contain spaces and parentheses; fields are counted after the last ')'.
    const auto close = text.rfind(')');
    if (close == std::string::npos) return 0;
    std::vector<std::string> fields;
    std::size_t pos = close + 2;
    while (pos < text.size()) {
        const auto end = text.find(' ', pos);
        fields.push_back(text.substr(pos, end - pos));
        if (end == std::string::npos) break;
        pos = end + 1;
    }
    // fields[0] is field 3 (state), so utime (14) and stime (15) are at 11 and 12.
    if (fields.size() < 13) return 0;
    const auto ticks = std::stod(fields[11]) + std::stod(fields[12]);
    return ticks / static_cast<double>(::sysconf(_SC_CLK_TCK));
}

// ---------------------------------------------------------------------------------------------
// The daemon under test, as a child process.

class daemon_process {
public:
    // Spawns `argv` with stdout on a pipe and waits for the `standin ready socket=<path>` line.
    daemon_process(const std::vector<std::string>& argv, steady::duration startup_timeout) {
        int fds[2];
        if (::pipe2(fds, O_CLOEXEC) != 0) throw_errno("pipe2");
        unique_fd read_end{fds[0]};
        unique_fd write_end{fds[1]};

        posix_spawn_file_actions_t actions;
        posix_spawn_file_actions_init(&actions);
        posix_spawn_file_actions_adddup2(&actions, write_end.get(), STDOUT_FILENO);
        std::vector<char*> args;
        for (const auto& a : argv)
            args.push_back(const_cast<char*>(a.c_str()));
        args.push_back(nullptr);
        const auto start = steady::now();
        const int rc = ::posix_spawn(&pid_, args[0], &actions, nullptr, args.data(), environ);
        posix_spawn_file_actions_destroy(&actions);
        if (rc != 0) throw std::runtime_error("cannot start " + argv[0] + ": " + std::strerror(rc));
        write_end.reset();  // so EOF on the pipe means the daemon closed its stdout (or died)

        try {
            socket_ = await_ready_line(read_end.get(), start + startup_timeout);
        } catch (...) {
            kill_and_reap();
            throw;
        }
        startup_seconds_ = seconds_between(start, steady::now());
        // Keep draining stdout so a chatty daemon can never block on a full pipe.
        drain_ = std::thread([fd = std::move(read_end)] {
            char sink[4096];
            while (::read(fd.get(), sink, sizeof sink) > 0) {
            }
        });
    }

    daemon_process(const daemon_process&) = delete;
    daemon_process& operator=(const daemon_process&) = delete;

    // An early exit (an exception in the benchmark) must not leave a daemon behind.
    ~daemon_process() {
        kill_and_reap();
        if (drain_.joinable()) drain_.join();
    }

    pid_t pid() const noexcept { return pid_; }
    const std::string& socket() const noexcept { return socket_; }
    double startup_seconds() const noexcept { return startup_seconds_; }

    // SIGTERM and wait. Returns the exit code, or 128 + signal when it was killed by one.
    int stop() {
        if (pid_ <= 0) return -1;
        ::kill(pid_, SIGTERM);
        int status = 0;
        while (::waitpid(pid_, &status, 0) < 0 && errno == EINTR) {
        }
        pid_ = -1;
        if (drain_.joinable()) drain_.join();
        if (WIFEXITED(status)) return WEXITSTATUS(status);
        if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
        return -1;
    }

private:
    static std::string await_ready_line(int fd, steady::time_point deadline) {
        std::string pending;
        for (;;) {
            const auto eol = pending.find('\n');
            if (eol != std::string::npos) {
                const std::string line = pending.substr(0, eol);
                pending.erase(0, eol + 1);
                const auto at = line.find("socket=");
                if (line.find("standin ready") != std::string::npos && at != std::string::npos) {
                    const auto value = at + std::strlen("socket=");
                    return line.substr(value, line.find(' ', value) - value);
                }
                continue;
            }
            std::uint8_t chunk[512];
            const auto n = read_some(fd, chunk, deadline, "the daemon's ready line");
            if (n == 0) throw std::runtime_error("the daemon exited before printing its ready line");
            pending.append(reinterpret_cast<const char*>(chunk), n);
        }
    }

    void kill_and_reap() noexcept {
        if (pid_ <= 0) return;
        ::kill(pid_, SIGKILL);
        ::waitpid(pid_, nullptr, 0);
        pid_ = -1;
    }

    pid_t pid_ = -1;
    std::string socket_;
    double startup_seconds_ = 0;
    std::thread drain_;
};

// ---------------------------------------------------------------------------------------------
// A raw eventstream-RPC client: one connection, frames in and out, no model types.

inline protocol::header string_header(std::string_view name, std::string_view value) {
    return {std::string{name}, std::string{value}};
}

inline std::string encode(std::vector<protocol::header> headers, std::string payload) {
    auto frame =
        protocol::encode_frame(headers, std::make_shared<const std::string>(std::move(payload)));
    if (!frame) throw std::runtime_error("cannot encode a frame: " + frame.error().message());
    return frame->to_string();
}

// The first message of a new stream: APPLICATION_MESSAGE, flags 0, with the `operation` header.
inline std::string encode_request(std::int32_t stream_id, std::string_view operation,
                                  std::string payload) {
    std::vector<protocol::header> headers;
    protocol::rpc::append_rpc_headers(headers, protocol::rpc::message_type::application_message, 0,
                                      stream_id);
    headers.push_back(string_header(protocol::rpc::header_operation, operation));
    return encode(std::move(headers), std::move(payload));
}

class rpc_client {
public:
    // Connects and completes the CONNECT / CONNECT_ACK handshake as `token`'s component.
    rpc_client(const std::string& socket_path, const std::string& token, steady::time_point deadline)
        : fd_(::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0)), buffer_(64 * 1024) {
        if (fd_.get() < 0) throw_errno("socket");
        sockaddr_un addr{};
        addr.sun_family = AF_UNIX;
        if (socket_path.size() >= sizeof addr.sun_path) throw std::runtime_error("socket path too long");
        std::memcpy(addr.sun_path, socket_path.c_str(), socket_path.size() + 1);
        if (::connect(fd_.get(), reinterpret_cast<const sockaddr*>(&addr), sizeof addr) != 0) {
            throw_errno("connect " + socket_path);
        }

        std::vector<protocol::header> headers;
        headers.push_back(string_header(protocol::rpc::header_version, protocol::rpc::protocol_version));
        protocol::rpc::append_rpc_headers(headers, protocol::rpc::message_type::connect, 0, 0);
        send(encode(std::move(headers), R"({"authToken":")" + token + R"("})"));

        const auto ack = next_message(deadline);
        const auto meta = protocol::rpc::extract_metadata(ack);
        if (!meta || meta->type != static_cast<std::int32_t>(protocol::rpc::message_type::connect_ack) ||
            (meta->flags & protocol::rpc::flag_connection_accepted) == 0) {
            throw std::runtime_error("the daemon did not accept the connection");
        }
    }

    void send(std::string_view bytes) { write_all(fd_.get(), bytes); }
    int fd() const noexcept { return fd_.get(); }

    // The next stream id, following the "last + 1" rule.
    std::int32_t new_stream_id() noexcept { return ++last_stream_id_; }

    // The next whole message; blocks (up to `deadline`) only when nothing complete is buffered.
    protocol::message next_message(steady::time_point deadline) {
        for (;;) {
            if (auto msg = decode_buffered()) return std::move(*msg);
            const auto n =
                read_some(fd_.get(), std::span{buffer_}, deadline, "a message from the daemon");
            if (n == 0) throw std::runtime_error("the daemon closed the connection");
            begin_ = 0;
            end_ = n;
        }
    }

    // A message that is already buffered, without blocking.
    std::optional<protocol::message> try_next_message() { return decode_buffered(); }

    // Sends a request on a new stream and returns the next message: callers keep one request
    // outstanding per connection, so that message is its reply.
    protocol::message call(std::string_view operation, std::string payload,
                           steady::time_point deadline) {
        send(encode_request(new_stream_id(), operation, std::move(payload)));
        return next_message(deadline);
    }

private:
    std::optional<protocol::message> decode_buffered() {
        while (begin_ < end_) {
            const auto r = decoder_.put(std::span{buffer_}.subspan(begin_, end_ - begin_));
            if (r.ec) throw std::runtime_error("bad frame from the daemon: " + r.ec.message());
            begin_ += r.consumed;
            if (decoder_.has_message()) return decoder_.take_message();
        }
        return std::nullopt;
    }

    unique_fd fd_;
    std::vector<std::uint8_t> buffer_;
    std::size_t begin_ = 0;
    std::size_t end_ = 0;
    protocol::frame_decoder decoder_;
    std::int32_t last_stream_id_ = 0;
};

// Metadata of a message the daemon sent, or an exception if it has none (never legal).
inline protocol::rpc::metadata metadata_of(const protocol::message& msg) {
    auto meta = protocol::rpc::extract_metadata(msg);
    if (!meta) throw std::runtime_error("a message from the daemon lacks the RPC headers");
    return *meta;
}

// Throws unless `msg` is an APPLICATION_MESSAGE on `stream_id`; the error text quotes the payload.
inline protocol::rpc::metadata expect_application_message(const protocol::message& msg,
                                                          std::int32_t stream_id, const char* what) {
    const auto meta = metadata_of(msg);
    if (meta.type != static_cast<std::int32_t>(protocol::rpc::message_type::application_message) ||
        meta.stream_id != stream_id) {
        throw std::runtime_error(std::string{what} + ": got message type " + std::to_string(meta.type) +
                                 " on stream " + std::to_string(meta.stream_id) + " (expected 0 on " +
                                 std::to_string(stream_id) + "): " + msg.payload.substr(0, 300));
    }
    return meta;
}

}  // namespace standin::bench
