// SPDX-License-Identifier: Apache-2.0
#include "net/listener.hpp"

#include <fcntl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <functional>
#include <stdexcept>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "util/log.hpp"

namespace standin::server {

namespace asio = boost::asio;
namespace fs = std::filesystem;
using stream_protocol = asio::local::stream_protocol;

namespace {

// sockaddr_un's path field holds 108 bytes including the terminating NUL on Linux.
constexpr std::size_t max_socket_path = sizeof(sockaddr_un::sun_path) - 1;

// Runs `fn` with a path to the socket that fits in sun_path: the path itself, or its file name
// while the working directory is the socket's directory (what the nucleus's symlink achieves).
void with_short_path(const fs::path& path, const std::function<void(const std::string&)>& fn) {
    if (path.native().size() <= max_socket_path) {
        fn(path.native());
        return;
    }
    const int saved = ::open(".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (saved < 0)
        throw std::runtime_error(std::string{"cannot open the working directory: "} +
                                 std::strerror(errno));
    if (::chdir(path.parent_path().c_str()) != 0) {
        const int e = errno;
        ::close(saved);
        throw std::runtime_error("cannot enter " + path.parent_path().string() + ": " +
                                 std::strerror(e));
    }
    try {
        fn(path.filename().native());
    } catch (...) {
        (void)::fchdir(saved);
        ::close(saved);
        throw;
    }
    (void)::fchdir(saved);
    ::close(saved);
}

bool someone_listens(const std::string& short_path) {
    const int fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) return false;
    sockaddr_un addr{};
    addr.sun_family = AF_UNIX;
    std::memcpy(addr.sun_path, short_path.data(), short_path.size());
    const bool connected = ::connect(fd, reinterpret_cast<const sockaddr*>(&addr), sizeof addr) == 0;
    ::close(fd);
    return connected;
}

}  // namespace

listener::listener(asio::io_context& io, fs::path path, unsigned mode)
    : path_(std::move(path)), acceptor_(io) {
    with_short_path(path_, [&](const std::string& short_path) {
        std::error_code status_error;
        const auto status = fs::symlink_status(path_, status_error);
        if (!status_error && fs::exists(status)) {
            if (status.type() != fs::file_type::socket) {
                throw std::runtime_error(path_.string() + " exists and is not a socket");
            }
            if (someone_listens(short_path)) {
                throw std::runtime_error(
                    "socket " + path_.string() +
                    " is in use by a running daemon (use another --root or --socket)");
            }
            fs::remove(path_);  // stale socket of a daemon that did not shut down cleanly
        }
        boost::system::error_code ec;
        const stream_protocol::endpoint endpoint{short_path};
        acceptor_.open(endpoint.protocol(), ec);
        if (!ec) acceptor_.bind(endpoint, ec);
        if (!ec) acceptor_.listen(asio::socket_base::max_listen_connections, ec);
        if (ec) throw std::runtime_error("cannot listen on " + path_.string() + ": " + ec.message());
    });
    if (::chmod(path_.c_str(), static_cast<mode_t>(mode)) != 0) {
        throw std::runtime_error("cannot set the mode of " + path_.string() + ": " +
                                 std::strerror(errno));
    }
}

listener::~listener() {
    close();
}

void listener::start(const session_context& context) {
    asio::co_spawn(acceptor_.get_executor(), accept_loop(context), [](std::exception_ptr error) {
        if (!error) return;
        try {
            std::rethrow_exception(error);
        } catch (const std::exception& e) {
            logger("ipc.listener")->error("accept loop failed: {}", e.what());
        }
    });
}

void listener::close() {
    if (closed_) return;
    closed_ = true;
    boost::system::error_code ignored;
    acceptor_.close(ignored);
    std::error_code also_ignored;
    fs::remove(path_, also_ignored);
}

asio::awaitable<void> listener::accept_loop(const session_context& context) {
    const auto log = logger("ipc.listener");
    // Refusals are logged at most once a second, with how many there were.
    std::size_t refused = 0;
    auto last_refusal_log = std::chrono::steady_clock::time_point{};
    while (!closed_) {
        auto [ec, socket] = co_await acceptor_.async_accept(asio::as_tuple(asio::use_awaitable));
        if (ec) {
            if (ec == asio::error::operation_aborted || closed_) co_return;
            // EMFILE and friends: keep serving the connections we have, and retry a little later
            // rather than spinning on an accept that fails at once.
            log->warn("accept failed: {}", ec.message());
            asio::steady_timer backoff{acceptor_.get_executor(), std::chrono::milliseconds(100)};
            co_await backoff.async_wait(asio::as_tuple(asio::use_awaitable));
            continue;
        }
        if (context.registry.size() >= context.limits.max_connections) {
            ++refused;
            const auto now = std::chrono::steady_clock::now();
            if (now - last_refusal_log >= std::chrono::seconds(1)) {
                log->warn("{} connection(s) refused: {} are open, the limit (--max-connections)",
                          refused, context.registry.size());
                refused = 0;
                last_refusal_log = now;
            }
            boost::system::error_code ignored;
            socket.close(ignored);
            continue;
        }
        auto s = std::make_shared<session>(std::move(socket), context, next_connection_id_++);
        context.registry.add(s);
        s->start();
    }
}

}  // namespace standin::server
