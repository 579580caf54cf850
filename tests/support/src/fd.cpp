// SPDX-License-Identifier: Apache-2.0
#include "standin/test/fd.hpp"

#include <poll.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>
#include <system_error>

namespace standin::test {

namespace {

[[noreturn]] void throw_errno(const char* what) {
    throw std::system_error(errno, std::generic_category(), what);
}

}  // namespace

void unique_fd::reset(int fd) noexcept {
    if (fd_ >= 0) ::close(fd_);
    fd_ = fd;
}

std::pair<unique_fd, unique_fd> make_socketpair() {
    int fds[2];
    if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds) != 0) throw_errno("socketpair");
    return {unique_fd{fds[0]}, unique_fd{fds[1]}};
}

unique_fd connect_unix(const std::string& path) {
    sockaddr_un addr{};
    addr.sun_family = AF_UNIX;
    if (path.size() >= sizeof(addr.sun_path)) throw std::runtime_error("socket path too long: " + path);
    std::memcpy(addr.sun_path, path.c_str(), path.size() + 1);
    unique_fd fd{::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0)};
    if (!fd) throw std::runtime_error(std::string("socket(): ") + std::strerror(errno));
    if (::connect(fd.get(), reinterpret_cast<const sockaddr*>(&addr), sizeof(addr)) != 0) {
        throw std::runtime_error("connect(" + path + "): " + std::strerror(errno));
    }
    return fd;
}

int remaining_ms(steady_clock::time_point deadline) noexcept {
    const auto left =
        std::chrono::duration_cast<std::chrono::milliseconds>(deadline - steady_clock::now()).count();
    return left <= 0 ? 0 : static_cast<int>(left);
}

bool send_all(int fd, std::string_view bytes) {
    while (!bytes.empty()) {
        const auto n = ::send(fd, bytes.data(), bytes.size(), MSG_NOSIGNAL);
        if (n < 0) {
            if (errno == EINTR) continue;
            if (errno == EPIPE || errno == ECONNRESET) return false;
            throw_errno("send");
        }
        bytes.remove_prefix(static_cast<std::size_t>(n));
    }
    return true;
}

bool wait_readable(int fd, steady_clock::time_point deadline) {
    for (;;) {
        pollfd p{fd, POLLIN, 0};
        const int ready = ::poll(&p, 1, remaining_ms(deadline));
        if (ready > 0) return true;
        if (ready == 0) return false;
        if (errno != EINTR) throw_errno("poll");
    }
}

read_result read_some(int fd, std::span<char> out, steady_clock::time_point deadline) {
    for (;;) {
        if (!wait_readable(fd, deadline)) return {read_status::timeout, 0};
        const auto n = ::read(fd, out.data(), out.size());
        if (n > 0) return {read_status::data, static_cast<std::size_t>(n)};
        if (n == 0) return {read_status::eof, 0};
        if (errno == EINTR || errno == EAGAIN) continue;
        if (errno == ECONNRESET) return {read_status::reset, 0};
        throw_errno("read");
    }
}

}  // namespace standin::test
