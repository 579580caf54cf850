// SPDX-License-Identifier: Apache-2.0
#include "connection_impl.hpp"

#include <sys/un.h>

#include <array>
#include <exception>
#include <span>
#include <utility>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/associated_cancellation_slot.hpp>
#include <boost/asio/associated_executor.hpp>
#include <boost/asio/bind_executor.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/dispatch.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>

namespace standin::client::detail {
namespace {

namespace asio = boost::asio;

constexpr std::size_t read_buffer_size = 64 * 1024;  // our choice
// sun_path holds 108 bytes including the terminating NUL.
constexpr std::size_t max_socket_path = sizeof(sockaddr_un::sun_path) - 1;

std::string millis(std::chrono::milliseconds d) {
    return std::to_string(d.count()) + " ms";
}

}  // namespace

connection_impl::connection_impl(asio::any_io_executor executor, connection_config config)
    : strand_(asio::make_strand(std::move(executor))),
      socket_(strand_),
      config_(std::move(config)),
      fsm_(client_fsm::options{config_.headers, config_.max_frame_size}),
      decoder_(protocol::decoder_limits{config_.max_frame_size, protocol::default_max_headers}),
      connect_timer_(strand_),
      close_timer_(strand_),
      wake_writer_(strand_) {}

connection_impl::~connection_impl() = default;

bool connection_impl::on_own_thread() const noexcept {
    if (strand_.running_in_this_thread()) return true;
    return owned_thread_ != std::thread::id{} && std::this_thread::get_id() == owned_thread_;
}

// ---------------------------------------------------------------------------------------------
// Completions and cancellation

template <class Handler, class Value>
void connection_impl::complete(Handler&& handler, Value&& value) {
    // The slot must not outlive the operation; then the handler runs on its own executor (by
    // default the strand, where we already are: it then runs inline, after our state is updated).
    auto slot = asio::get_associated_cancellation_slot(handler);
    if (slot.is_connected()) slot.clear();
    auto executor = asio::get_associated_executor(handler, strand_);
    asio::dispatch(executor, [h = std::forward<Handler>(handler),
                              v = std::forward<Value>(value)]() mutable { std::move(h)(std::move(v)); });
}

template <class Handler>
std::shared_ptr<op_token> connection_impl::make_token(Handler& handler, op_token::kind what) {
    auto token = std::make_shared<op_token>();
    token->what = what;
    auto slot = asio::get_associated_cancellation_slot(handler);
    if (slot.is_connected()) {
        slot.assign([weak = weak_from_this(), token, strand = strand_](asio::cancellation_type type) {
            if (type == asio::cancellation_type::none) return;
            asio::post(strand, [weak, token] {
                if (auto self = weak.lock()) self->cancel(token);
            });
        });
    }
    return token;
}

void connection_impl::cancel(const std::shared_ptr<op_token>& token) {
    if (token->done) return;
    const auto why = error::make(errc::cancelled, "the operation was cancelled");
    switch (token->what) {
        case op_token::kind::connect:
            if (connect_token_ == token) {
                teardown(error::make(errc::cancelled, "connect was cancelled"));
            } else {
                token->cancelled = true;
            }
            break;
        case op_token::kind::stream:
            if (token->stream_id != 0) {
                abandon(token->stream_id, why);
            } else {
                token->cancelled = true;
            }
            break;
        case op_token::kind::ping:
            abandon_ping(token, why);
            token->cancelled = true;
            break;
    }
}

// ---------------------------------------------------------------------------------------------
// Entry points (any thread)

void connection_impl::connect(void_handler handler) {
    auto token = make_token(handler, op_token::kind::connect);
    asio::post(strand_, [self = shared_from_this(), h = std::move(handler), token]() mutable {
        self->do_connect(std::move(h), std::move(token));
    });
}

void connection_impl::call(std::string operation, std::string payload, std::optional<duration> timeout,
                           call_handler handler) {
    auto token = make_token(handler, op_token::kind::stream);
    asio::post(strand_, [self = shared_from_this(), op = std::move(operation), p = std::move(payload),
                         timeout, h = std::move(handler), token]() mutable {
        self->open(stream_kind::unary, std::move(op), std::move(p), {}, timeout, std::move(h),
                   std::nullopt, std::move(token));
    });
}

void connection_impl::subscribe(std::string operation, std::string payload, stream_handler events,
                                std::optional<duration> timeout, subscribe_handler handler) {
    auto token = make_token(handler, op_token::kind::stream);
    asio::post(strand_, [self = shared_from_this(), op = std::move(operation), p = std::move(payload),
                         ev = std::move(events), timeout, h = std::move(handler), token]() mutable {
        self->open(stream_kind::streaming, std::move(op), std::move(p), std::move(ev), timeout,
                   std::nullopt, std::move(h), std::move(token));
    });
}

void connection_impl::ping(std::string payload, std::optional<duration> timeout, void_handler handler) {
    auto token = make_token(handler, op_token::kind::ping);
    asio::post(strand_, [self = shared_from_this(), p = std::move(payload), timeout,
                         h = std::move(handler), token]() mutable {
        self->do_ping(std::move(p), timeout, std::move(h), std::move(token));
    });
}

void connection_impl::close(void_handler handler) {
    asio::post(strand_, [self = shared_from_this(), h = std::move(handler)]() mutable {
        self->do_close(std::move(h));
    });
}

void connection_impl::close_stream(std::int32_t stream_id) {
    asio::post(strand_, [self = shared_from_this(), stream_id] { self->do_close_stream(stream_id); });
}

void connection_impl::abort() {
    asio::post(strand_, [self = shared_from_this()] {
        self->teardown(error::make(errc::closed, "the connection was destroyed"));
    });
}

// ---------------------------------------------------------------------------------------------
// Connecting

void connection_impl::do_connect(void_handler handler, std::shared_ptr<op_token> token) {
    if (token->cancelled) {
        token->done = true;
        complete(std::move(handler),
                 result<void>{error::make(errc::cancelled, "connect was cancelled")});
        return;
    }
    const auto refuse = [&](errc code, std::string message) {
        token->done = true;
        complete(std::move(handler), result<void>{error::make(code, std::move(message))});
    };
    if (phase_ != phase::idle) {
        refuse(errc::already_connected, "connect() was already called on this connection");
        return;
    }
    if (config_.socket_path.empty()) {
        refuse(errc::missing_socket_path,
               std::string{"no IPC socket path: "} + env_socket_for_component + " (or " + env_socket +
                   ") is not set and connection_config::socket_path is empty");
        return;
    }
    if (config_.auth_token.empty()) {
        refuse(errc::missing_token, std::string{"no IPC token: "} + env_svcuid +
                                        " is not set and connection_config::auth_token is empty");
        return;
    }
    if (config_.socket_path.size() > max_socket_path) {
        refuse(errc::invalid_socket_path, "the socket path " + config_.socket_path + " is " +
                                              std::to_string(config_.socket_path.size()) +
                                              " bytes; a Unix socket address holds at most " +
                                              std::to_string(max_socket_path));
        return;
    }
    phase_ = phase::connecting;
    connect_handler_.emplace(std::move(handler));
    connect_token_ = std::move(token);
    connect_timer_.expires_after(config_.connect_timeout);
    connect_timer_.async_wait([weak = weak_from_this()](const boost::system::error_code& ec) {
        auto self = weak.lock();
        if (ec || !self) return;
        if (self->phase_ == phase::connecting) {
            self->teardown(
                error::make(errc::connect_timeout, "connecting to " + self->config_.socket_path +
                                                       " did not complete within " +
                                                       millis(self->config_.connect_timeout)));
        } else if (self->phase_ == phase::handshaking) {
            self->teardown(error::make(errc::connect_timeout,
                                       "no CONNECT_ACK from " + self->config_.socket_path + " within " +
                                           millis(self->config_.connect_timeout)));
        }
    });
    socket_.async_connect(asio::local::stream_protocol::endpoint{config_.socket_path},
                          [self = shared_from_this()](const boost::system::error_code& ec) {
                              self->on_socket_connected(ec);
                          });
}

error connection_impl::socket_error(const boost::system::error_code& ec, const char* during) const {
    const auto& path = config_.socket_path;
    if (ec == boost::system::errc::no_such_file_or_directory) {
        return error::make(errc::socket_not_found,
                           "no IPC socket at " + path + " (is the server running?)");
    }
    if (ec == boost::system::errc::connection_refused) {
        return error::make(errc::socket_refused,
                           "nothing accepts connections on " + path + " (a stale socket file?)");
    }
    if (ec == boost::system::errc::permission_denied ||
        ec == boost::system::errc::operation_not_permitted) {
        return error::make(errc::socket_access_denied, "no permission to connect to " + path);
    }
    return error::make(errc::socket_error,
                       std::string{during} + " " + path + " failed: " + ec.message());
}

void connection_impl::on_socket_connected(const boost::system::error_code& ec) {
    if (phase_ != phase::connecting) return;  // timed out, cancelled or closed meanwhile
    if (ec) {
        teardown(socket_error(ec, "connecting to"));
        return;
    }
    auto frame = fsm_.connect(config_.auth_token);
    if (!frame) {
        teardown(frame.error());
        return;
    }
    phase_ = phase::handshaking;
    enqueue(std::move(*frame));
    spawn(reader(), "reader");
    spawn(writer(), "writer");
}

void connection_impl::finish_connect(result<void> outcome) {
    connect_timer_.cancel();
    if (connect_token_) connect_token_->done = true;
    connect_token_.reset();
    if (!connect_handler_) return;
    auto handler = std::move(*connect_handler_);
    connect_handler_.reset();
    complete(std::move(handler), std::move(outcome));
}

// ---------------------------------------------------------------------------------------------
// Streams

error connection_impl::current_error() const {
    if (final_error_) return *final_error_;
    return error::make(errc::closed, "the connection is closed");
}

void connection_impl::open(stream_kind kind, std::string operation, std::string payload,
                           stream_handler events, std::optional<duration> timeout,
                           std::optional<call_handler> call, std::optional<subscribe_handler> subscribe,
                           std::shared_ptr<op_token> token) {
    const auto refuse = [&](error why) {
        token->done = true;
        if (call) complete(std::move(*call), result<nlohmann::json>{std::move(why)});
        if (subscribe) complete(std::move(*subscribe), result<stream>{std::move(why)});
    };
    if (token->cancelled) {
        refuse(error::make(errc::cancelled, "the operation was cancelled"));
        return;
    }
    if (phase_ == phase::closing || phase_ == phase::closed) {
        refuse(current_error());
        return;
    }
    if (phase_ != phase::connected) {
        refuse(error::make(errc::not_connected, "call " + operation + " before connect() completed"));
        return;
    }
    if (queued_bytes_ >= config_.max_outbound_bytes) {
        refuse(error::make(errc::outbound_queue_full,
                           std::to_string(queued_bytes_) + " bytes wait to be written to the server"));
        return;
    }
    auto out = fsm_.open_stream(operation, payload, kind);
    if (!out) {
        refuse(out.error());
        return;
    }
    const std::int32_t id = out->stream_id;
    token->stream_id = id;
    pending_stream entry;
    entry.kind = kind;
    if (call) entry.call.emplace(std::move(*call));
    if (subscribe) entry.subscribe.emplace(std::move(*subscribe));
    entry.events = std::move(events);
    entry.token = std::move(token);
    if (timeout) {
        entry.timer = std::make_unique<asio::steady_timer>(strand_);
        entry.timer->expires_after(*timeout);
        entry.timer->async_wait(
            [weak = weak_from_this(), id, operation, t = *timeout](const boost::system::error_code& ec) {
                auto self = weak.lock();
                if (ec || !self) return;
                self->abandon(
                    id, error::make(errc::timeout, "no reply to " + operation + " within " + millis(t)));
            });
    }
    streams_.emplace(id, std::move(entry));
    enqueue(std::move(out->frame));
}

void connection_impl::abandon(std::int32_t stream_id, const error& why) {
    const auto it = streams_.find(stream_id);
    if (it == streams_.end()) return;
    if (auto frame = fsm_.close_stream(stream_id)) enqueue(std::move(*frame));
    pending_stream entry = std::move(it->second);
    streams_.erase(it);
    if (entry.token) entry.token->done = true;
    if (entry.activated) {
        end_stream(entry, why);
    } else if (entry.call) {
        complete(std::move(*entry.call), result<nlohmann::json>{why});
    } else if (entry.subscribe) {
        complete(std::move(*entry.subscribe), result<stream>{why});
    }
}

void connection_impl::do_close_stream(std::int32_t stream_id) {
    const auto it = streams_.find(stream_id);
    if (it == streams_.end() || !it->second.activated) return;
    if (auto frame = fsm_.close_stream(stream_id)) enqueue(std::move(*frame));
    pending_stream entry = std::move(it->second);
    streams_.erase(it);
    end_stream(entry, std::nullopt);
}

void connection_impl::end_stream(pending_stream& entry, std::optional<error> why) {
    if (entry.timer) entry.timer->cancel();
    if (why && why->code == make_error_code(errc::closed)) why.reset();
    auto on_end = std::move(entry.events.on_end);
    entry.events = {};
    if (!on_end) return;
    try {
        on_end(std::move(why));
    } catch (...) {
        // The stream is over either way; nothing is left to report the exception to.
    }
}

void connection_impl::deliver_event(std::int32_t stream_id, stream_event event) {
    const auto it = streams_.find(stream_id);
    if (it == streams_.end() || !it->second.activated || !it->second.events.on_event) return;
    std::string failure;
    try {
        it->second.events.on_event(std::move(event));
        return;
    } catch (const exception& e) {
        // A client::exception ends the stream with its error (the typed handlers' decode failures).
        if (auto frame = fsm_.close_stream(stream_id)) enqueue(std::move(*frame));
        pending_stream entry = std::move(it->second);
        streams_.erase(it);
        end_stream(entry, e.details());
        return;
    } catch (const std::exception& e) {
        failure = e.what();
    } catch (...) {
        failure = "an exception that is not a std::exception";
    }
    // The handler only posts to the strand, so `it` is still ours.
    if (auto frame = fsm_.close_stream(stream_id)) enqueue(std::move(*frame));
    pending_stream entry = std::move(it->second);
    streams_.erase(it);
    end_stream(entry, error::make(errc::handler_failed, "the stream's on_event threw: " + failure));
}

// ---------------------------------------------------------------------------------------------
// Ping and close

void connection_impl::do_ping(std::string payload, std::optional<duration> timeout, void_handler handler,
                              std::shared_ptr<op_token> token) {
    if (token->cancelled) {
        complete(std::move(handler),
                 result<void>{error::make(errc::cancelled, "the ping was cancelled")});
        return;
    }
    if (phase_ != phase::connected) {
        complete(std::move(handler),
                 result<void>{phase_ == phase::closing || phase_ == phase::closed
                                  ? current_error()
                                  : error::make(errc::not_connected, "not connected")});
        return;
    }
    auto frame = fsm_.ping(payload);
    if (!frame) {
        complete(std::move(handler), result<void>{frame.error()});
        return;
    }
    pending_ping entry;
    entry.handler.emplace(std::move(handler));
    entry.token = token;
    if (timeout) {
        entry.timer = std::make_unique<asio::steady_timer>(strand_);
        entry.timer->expires_after(*timeout);
        entry.timer->async_wait(
            [weak = weak_from_this(), token, t = *timeout](const boost::system::error_code& ec) {
                auto self = weak.lock();
                if (ec || !self) return;
                self->abandon_ping(token,
                                   error::make(errc::timeout, "no PING_RESPONSE within " + millis(t)));
            });
    }
    pings_.push_back(std::move(entry));
    enqueue(std::move(*frame));
}

void connection_impl::abandon_ping(const std::shared_ptr<op_token>& token, const error& why) {
    // The entry stays: PING_RESPONSEs are matched to pings in order.
    for (auto& p : pings_) {
        if (p.token == token && p.handler) {
            auto handler = std::move(*p.handler);
            p.handler.reset();
            token->done = true;
            complete(std::move(handler), result<void>{why});
            return;
        }
    }
}

void connection_impl::do_close(void_handler handler) {
    switch (phase_) {
        case phase::idle:
            phase_ = phase::closed;
            final_error_ = error::make(errc::closed, "the connection was closed before connecting");
            complete(std::move(handler), result<void>{});
            return;
        case phase::connecting:
        case phase::handshaking:
            teardown(error::make(errc::closed, "the connection was closed while connecting"));
            complete(std::move(handler), result<void>{});
            return;
        case phase::closed:
            complete(std::move(handler), result<void>{});
            return;
        case phase::closing:
            close_handlers_.push_back(std::move(handler));
            return;
        case phase::connected:
            break;
    }
    phase_ = phase::closing;
    connected_.store(false, std::memory_order_release);
    final_error_ = error::make(errc::closed, "the connection was closed by this client");
    close_handlers_.push_back(std::move(handler));
    auto streams = std::move(streams_);
    streams_.clear();
    for (auto& [id, entry] : streams) {
        if (auto frame = fsm_.close_stream(id)) enqueue(std::move(*frame));
        if (entry.token) entry.token->done = true;
        if (entry.activated) {
            end_stream(entry, std::nullopt);
        } else if (entry.call) {
            complete(std::move(*entry.call), result<nlohmann::json>{*final_error_});
        } else if (entry.subscribe) {
            complete(std::move(*entry.subscribe), result<stream>{*final_error_});
        }
    }
    for (auto& p : pings_) {
        if (p.handler) {
            auto h = std::move(*p.handler);
            p.handler.reset();
            complete(std::move(h), result<void>{*final_error_});
        }
    }
    // The writer flushes, then shuts down sending; the server's EOF (or this deadline) ends it.
    close_timer_.expires_after(config_.connect_timeout);
    close_timer_.async_wait([weak = weak_from_this()](const boost::system::error_code& ec) {
        if (auto self = weak.lock(); self && !ec) self->teardown(*self->final_error_);
    });
    wake_writer_.cancel();
}

// ---------------------------------------------------------------------------------------------
// I/O

void connection_impl::spawn(asio::awaitable<void> coroutine, const char* what) {
    asio::co_spawn(
        strand_, std::move(coroutine),
        [self = shared_from_this(), what](const std::exception_ptr& failure) {
            if (!failure) return;
            std::string text;
            try {
                std::rethrow_exception(failure);
            } catch (const std::exception& e) {
                text = e.what();
            } catch (...) {
                text = "unknown exception";
            }
            // Our code does not throw; a completion handler run inline by the reader may.
            self->teardown(error::make(errc::handler_failed, std::string{"the connection's "} + what +
                                                                 " stopped on an exception: " + text));
        });
}

asio::awaitable<void> connection_impl::reader() {
    std::vector<std::uint8_t> buffer(read_buffer_size);
    for (;;) {
        auto [ec, n] =
            co_await socket_.async_read_some(asio::buffer(buffer), asio::as_tuple(asio::use_awaitable));
        if (phase_ == phase::closed) co_return;
        if (ec) {
            if (phase_ == phase::closing) {
                teardown(*final_error_);
            } else if (phase_ == phase::handshaking) {
                teardown(error::make(
                    errc::disconnected,
                    "the server closed the connection before CONNECT_ACK" +
                        (ec == asio::error::eof ? std::string{} : " (" + ec.message() + ")")));
            } else {
                teardown(error::make(errc::disconnected,
                                     ec == asio::error::eof
                                         ? std::string{"the server closed the connection"}
                                         : "reading from the server failed: " + ec.message()));
            }
            co_return;
        }
        std::span<const std::uint8_t> bytes{buffer.data(), n};
        while (!bytes.empty()) {
            const auto put = decoder_.put(bytes);
            if (put.ec) {
                teardown(error::make(errc::protocol_error,
                                     "the server sent an undecodable frame: " + put.ec.message()));
                co_return;
            }
            bytes = bytes.subspan(put.consumed);
            if (decoder_.has_message()) {
                on_message(decoder_.take_message());
                if (phase_ == phase::closed) co_return;
            }
        }
    }
}

asio::awaitable<void> connection_impl::writer() {
    for (;;) {
        if (phase_ == phase::closed) co_return;
        if (queue_.empty()) {
            if (phase_ == phase::closing) {
                boost::system::error_code ignored;
                socket_.shutdown(socket_type::shutdown_send, ignored);
                co_return;
            }
            wake_writer_.expires_at(asio::steady_timer::time_point::max());
            co_await wake_writer_.async_wait(asio::as_tuple(asio::use_awaitable));
            continue;
        }
        const auto spans = queue_.front().buffers();
        const std::array<asio::const_buffer, 3> buffers{asio::buffer(spans[0].data(), spans[0].size()),
                                                        asio::buffer(spans[1].data(), spans[1].size()),
                                                        asio::buffer(spans[2].data(), spans[2].size())};
        writing_ = true;
        auto [ec, n] = co_await asio::async_write(socket_, buffers, asio::as_tuple(asio::use_awaitable));
        writing_ = false;
        (void)n;
        if (phase_ == phase::closed) {
            queue_.clear();
            queued_bytes_ = 0;
            co_return;
        }
        if (ec) {
            teardown(error::make(errc::disconnected, "writing to the server failed: " + ec.message()));
            co_return;
        }
        queued_bytes_ -= queue_.front().size();
        queue_.pop_front();
    }
}

void connection_impl::enqueue(protocol::encoded_frame frame) {
    if (phase_ == phase::closed) return;
    queued_bytes_ += frame.size();
    queue_.push_back(std::move(frame));
    wake_writer_.cancel();
}

void connection_impl::on_message(const protocol::message& msg) {
    actions_.clear();
    fsm_.on_message(msg, actions_);
    // execute() may run user code (inline completions, stream handlers); that code can only post to
    // the strand, so actions_ is not touched until this loop is done.
    for (auto& action : actions_) {
        if (phase_ == phase::closed) break;
        execute(action);
    }
}

void connection_impl::execute(action_t& action) {
    std::visit(
        [&](auto& a) {
            using A = std::decay_t<decltype(a)>;
            if constexpr (std::is_same_v<A, action::send>) {
                enqueue(std::move(a.frame));
            } else if constexpr (std::is_same_v<A, action::connect_accepted>) {
                if (phase_ != phase::handshaking) return;
                phase_ = phase::connected;
                connected_.store(true, std::memory_order_release);
                finish_connect(result<void>{});
            } else if constexpr (std::is_same_v<A, action::connect_rejected>) {
                teardown(
                    error::make(errc::access_denied,
                                "the server rejected CONNECT (CONNECT_ACK without "
                                "CONNECTION_ACCEPTED): the SVCUID token is not valid for the server "
                                "at " +
                                    config_.socket_path));
            } else if constexpr (std::is_same_v<A, action::response>) {
                const auto it = streams_.find(a.stream_id);
                if (it == streams_.end()) return;
                auto& entry = it->second;
                if (entry.timer) entry.timer->cancel();
                if (entry.token) entry.token->done = true;
                if (entry.kind == stream_kind::unary) {
                    pending_stream done = std::move(entry);
                    streams_.erase(it);
                    if (done.call)
                        complete(std::move(*done.call), result<nlohmann::json>{std::move(a.body)});
                    return;
                }
                entry.activated = true;
                if (entry.subscribe) {
                    auto handler = std::move(*entry.subscribe);
                    entry.subscribe.reset();
                    complete(std::move(handler),
                             result<stream>{stream{weak_from_this(), a.stream_id, std::move(a.body)}});
                }
            } else if constexpr (std::is_same_v<A, action::call_failed>) {
                const auto it = streams_.find(a.stream_id);
                if (it == streams_.end()) return;
                pending_stream done = std::move(it->second);
                streams_.erase(it);
                if (done.timer) done.timer->cancel();
                if (done.token) done.token->done = true;
                if (done.call)
                    complete(std::move(*done.call), result<nlohmann::json>{std::move(a.error)});
                if (done.subscribe)
                    complete(std::move(*done.subscribe), result<stream>{std::move(a.error)});
            } else if constexpr (std::is_same_v<A, action::event>) {
                deliver_event(a.stream_id, stream_event{std::move(a.shape), std::move(a.body)});
            } else if constexpr (std::is_same_v<A, action::stream_ended>) {
                const auto it = streams_.find(a.stream_id);
                if (it == streams_.end()) return;
                pending_stream done = std::move(it->second);
                streams_.erase(it);
                if (done.activated) {
                    end_stream(done, std::move(a.error));
                } else {
                    // Not reached: the FSM ends only activated streams; fail the call to be safe.
                    if (done.call)
                        complete(std::move(*done.call), result<nlohmann::json>{std::move(a.error)});
                    if (done.subscribe)
                        complete(std::move(*done.subscribe), result<stream>{std::move(a.error)});
                }
            } else if constexpr (std::is_same_v<A, action::ping_response>) {
                if (pings_.empty()) return;
                pending_ping done = std::move(pings_.front());
                pings_.pop_front();
                if (done.timer) done.timer->cancel();
                if (done.token) done.token->done = true;
                if (done.handler) complete(std::move(*done.handler), result<void>{});
            } else if constexpr (std::is_same_v<A, action::connection_failed>) {
                teardown(a.error);
            }
        },
        action);
}

void connection_impl::teardown(const error& why) {
    if (phase_ == phase::closed) return;
    const bool was_connected = phase_ == phase::connected || phase_ == phase::closing;
    const bool by_client = why.code == make_error_code(errc::closed);
    phase_ = phase::closed;
    connected_.store(false, std::memory_order_release);
    if (!final_error_ || !by_client) final_error_ = why;
    boost::system::error_code ignored;
    socket_.close(ignored);
    connect_timer_.cancel();
    close_timer_.cancel();
    wake_writer_.cancel();
    if (!writing_) {
        queue_.clear();
        queued_bytes_ = 0;
    }

    std::vector<action_t> failures;
    fsm_.on_disconnect(why, failures);
    for (auto& failure : failures)
        execute(failure);
    // Anything the FSM did not know about (not reached) fails the same way.
    auto leftovers = std::move(streams_);
    streams_.clear();
    for (auto& [id, entry] : leftovers) {
        if (entry.activated) {
            end_stream(entry, why);
        } else {
            if (entry.call) complete(std::move(*entry.call), result<nlohmann::json>{why});
            if (entry.subscribe) complete(std::move(*entry.subscribe), result<stream>{why});
        }
    }
    auto pings = std::move(pings_);
    pings_.clear();
    for (auto& p : pings) {
        if (p.timer) p.timer->cancel();
        if (p.handler) complete(std::move(*p.handler), result<void>{why});
    }
    if (connect_handler_) finish_connect(result<void>{why});
    auto closers = std::move(close_handlers_);
    close_handlers_.clear();
    for (auto& h : closers)
        complete(std::move(h), result<void>{});
    if (was_connected && !by_client && config_.on_disconnect) {
        try {
            config_.on_disconnect(why);
        } catch (...) {
            // Reported to nobody: the connection is already gone.
        }
    }
}

}  // namespace standin::client::detail
