// SPDX-License-Identifier: Apache-2.0
// The IPC Unix socket: bind (replacing a stale socket file, refusing one a live daemon serves), set
// its mode, accept connections into sessions, and remove the file again on close.
#pragma once

#include <cstdint>
#include <filesystem>

#include <boost/asio/awaitable.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/local/stream_protocol.hpp>

#include "net/session.hpp"

namespace standin::server {

class listener {
public:
    // Binds and listens on `path` with permission bits `mode`. Paths longer than sun_path allows
    // are bound relative to their directory. Throws std::runtime_error with a one-line reason.
    listener(boost::asio::io_context& io, std::filesystem::path path, unsigned mode);
    ~listener();

    // Accepts connections into sessions sharing `context` (which outlives the listener). Beyond
    // context.limits.max_connections, a connection is closed as soon as it is accepted.
    void start(const session_context& context);
    // Stops accepting and removes the socket file. Idempotent.
    void close();

    const std::filesystem::path& path() const noexcept { return path_; }

private:
    boost::asio::awaitable<void> accept_loop(const session_context& context);

    std::filesystem::path path_;
    boost::asio::local::stream_protocol::acceptor acceptor_;
    std::uint64_t next_connection_id_ = 1;
    bool closed_ = false;
};

}  // namespace standin::server
