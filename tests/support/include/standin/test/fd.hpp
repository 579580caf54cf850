// SPDX-License-Identifier: Apache-2.0
// File descriptors for the harness and the benchmarks: ownership, AF_UNIX sockets, and blocking
// I/O whose every wait is a poll() against a deadline (nothing sleeps).
#pragma once

#include <chrono>
#include <cstddef>
#include <span>
#include <string>
#include <string_view>
#include <utility>

namespace standin::test {

using steady_clock = std::chrono::steady_clock;

// Owns one file descriptor; closes it on destruction.
class unique_fd {
public:
    unique_fd() = default;
    explicit unique_fd(int fd) noexcept : fd_{fd} {}
    unique_fd(unique_fd&& other) noexcept : fd_{std::exchange(other.fd_, -1)} {}
    unique_fd& operator=(unique_fd&& other) noexcept {
        if (this != &other) reset(std::exchange(other.fd_, -1));
        return *this;
    }
    unique_fd(const unique_fd&) = delete;
    unique_fd& operator=(const unique_fd&) = delete;
    ~unique_fd() { reset(); }

    int get() const noexcept { return fd_; }
    explicit operator bool() const noexcept { return fd_ >= 0; }
    // Closes the current descriptor (if any) and owns `fd`.
    void reset(int fd = -1) noexcept;
    // Gives up ownership without closing.
    int release() noexcept { return std::exchange(fd_, -1); }

private:
    int fd_ = -1;
};

// A connected AF_UNIX stream pair (close-on-exec). Throws std::system_error.
std::pair<unique_fd, unique_fd> make_socketpair();

// Connects an AF_UNIX stream socket to `path`. Throws std::runtime_error naming the path.
unique_fd connect_unix(const std::string& path);

// Milliseconds left until `deadline`, 0 when it has passed (for poll()).
int remaining_ms(steady_clock::time_point deadline) noexcept;

// Writes every byte to a socket, blocking. False when the peer has gone (EPIPE, ECONNRESET); never
// raises SIGPIPE. Throws std::system_error on any other error.
bool send_all(int fd, std::string_view bytes);

// Waits until `fd` is readable or hung up. False when the deadline passed first.
bool wait_readable(int fd, steady_clock::time_point deadline);

enum class read_status {
    data,     // `size` bytes were read
    eof,      // the peer closed its end
    reset,    // the peer reset the connection (ECONNRESET)
    timeout,  // nothing arrived before the deadline
};

struct read_result {
    read_status status = read_status::timeout;
    std::size_t size = 0;
};

// Waits (up to `deadline`) and reads at most `out.size()` bytes once. Throws std::system_error on
// errors other than ECONNRESET.
read_result read_some(int fd, std::span<char> out, steady_clock::time_point deadline);

}  // namespace standin::test
