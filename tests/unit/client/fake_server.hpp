// SPDX-License-Identifier: Apache-2.0
// A scripted eventstream-RPC peer for the client's Asio glue: a Unix socket in a temp dir, driven
// step by step from the test thread (accept, read a message, send a message, close). Every wait is
// poll() with a deadline; nothing sleeps.
#pragma once

#include <poll.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <filesystem>
#include <optional>
#include <stdexcept>
#include <string>

#include "client_test_support.hpp"
#include "standin/protocol/frame_decoder.hpp"

namespace standin::client::test {

class fake_server {
public:
    using ms = std::chrono::milliseconds;

    fake_server() {
        char dir_template[] = "/tmp/standin-client-XXXXXX";
        if (::mkdtemp(dir_template) == nullptr) throw std::runtime_error("mkdtemp failed");
        dir_ = dir_template;
        path_ = (dir_ / "ipc.socket").string();
        listener_ = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
        sockaddr_un addr{};
        addr.sun_family = AF_UNIX;
        std::strncpy(addr.sun_path, path_.c_str(), sizeof(addr.sun_path) - 1);
        if (::bind(listener_, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0 ||
            ::listen(listener_, 8) != 0) {
            throw std::runtime_error(std::string{"bind/listen: "} + std::strerror(errno));
        }
    }
    fake_server(const fake_server&) = delete;
    fake_server& operator=(const fake_server&) = delete;
    ~fake_server() {
        close_client();
        if (listener_ >= 0) ::close(listener_);
        std::error_code ignored;
        std::filesystem::remove_all(dir_, ignored);
    }

    const std::string& path() const noexcept { return path_; }
    const std::filesystem::path& dir() const noexcept { return dir_; }

    // Waits for the client's connection.
    void accept(ms timeout = ms{5000}) {
        if (!wait_readable(listener_, timeout)) throw std::runtime_error("no connection to accept");
        client_ = ::accept4(listener_, nullptr, nullptr, SOCK_CLOEXEC);
        if (client_ < 0) throw std::runtime_error("accept failed");
        decoder_ = protocol::frame_decoder{};
    }

    // The next message from the client; nullopt on EOF. Throws on timeout.
    std::optional<protocol::message> read(ms timeout = ms{5000}) {
        const auto deadline = std::chrono::steady_clock::now() + timeout;
        for (;;) {
            while (!pending_.empty()) {
                const auto put = decoder_.put(as_bytes(pending_));
                if (put.ec)
                    throw std::runtime_error("undecodable frame from the client: " + put.ec.message());
                pending_.erase(0, put.consumed);
                if (decoder_.has_message()) return decoder_.take_message();
            }
            const auto left =
                std::chrono::duration_cast<ms>(deadline - std::chrono::steady_clock::now());
            if (left.count() <= 0 || !wait_readable(client_, left)) {
                throw std::runtime_error("no message from the client in time");
            }
            char buffer[65536];
            const auto n = ::read(client_, buffer, sizeof(buffer));
            if (n < 0 && errno == EINTR) continue;
            if (n <= 0) return std::nullopt;
            pending_.append(buffer, static_cast<std::size_t>(n));
        }
    }

    // Reads one message and expects it to be a request; returns its stream id.
    std::int32_t read_request(std::string_view operation, ms timeout = ms{5000}) {
        auto msg = read(timeout);
        if (!msg) throw std::runtime_error("EOF instead of a request");
        const auto meta = rpc::extract_metadata(*msg);
        const auto op = rpc::operation_of(*msg);
        if (!meta || meta->type != 0 || !op || *op != operation) {
            throw std::runtime_error("expected a " + std::string{operation} + " request");
        }
        last_request_ = std::move(*msg);
        return meta->stream_id;
    }
    const protocol::message& last_request() const noexcept { return last_request_; }

    // Accepts, reads CONNECT and accepts it.
    protocol::message handshake() {
        accept();
        auto connect = read();
        if (!connect) throw std::runtime_error("EOF instead of CONNECT");
        send(connect_ack(true));
        return *connect;
    }

    void send(const protocol::message& msg) { send_bytes(encode(msg)); }
    void send_bytes(const std::string& bytes) {
        std::size_t done = 0;
        while (done < bytes.size()) {
            const auto n = ::send(client_, bytes.data() + done, bytes.size() - done, MSG_NOSIGNAL);
            if (n < 0 && errno == EINTR) continue;
            if (n < 0) throw std::runtime_error(std::string{"send: "} + std::strerror(errno));
            done += static_cast<std::size_t>(n);
        }
    }

    // True when the client closed its side (EOF) within `timeout`.
    bool eof(ms timeout = ms{5000}) {
        try {
            return !read(timeout).has_value();
        } catch (const std::runtime_error&) {
            return false;
        }
    }

    void close_client() {
        if (client_ >= 0) ::close(client_);
        client_ = -1;
    }

private:
    static bool wait_readable(int fd, ms timeout) {
        pollfd p{fd, POLLIN, 0};
        for (;;) {
            const int r = ::poll(&p, 1, static_cast<int>(timeout.count()));
            if (r < 0 && errno == EINTR) continue;
            return r > 0;
        }
    }

    std::filesystem::path dir_;
    std::string path_;
    int listener_ = -1;
    int client_ = -1;
    protocol::frame_decoder decoder_;
    std::string pending_;
    protocol::message last_request_;
};

}  // namespace standin::client::test
