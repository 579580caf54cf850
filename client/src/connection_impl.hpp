// SPDX-License-Identifier: Apache-2.0
// The Asio half of a client connection: one reader coroutine (socket -> frame decoder -> client_fsm
// -> actions), one writer coroutine draining a byte-bounded FIFO of encoded frames, the pending
// calls and open streams by stream id, and the timers. Everything below runs on `strand_`; the
// public entry points (connect, call, ...) may be called from any thread and only post to it.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/local/stream_protocol.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>

#include "client_fsm.hpp"
#include "standin/client/connection.hpp"
#include "standin/protocol/frame_decoder.hpp"

namespace standin::client::detail {

// Where a cancellation (slot) or a timeout meets an operation: created when the operation is
// initiated, touched only on the strand.
struct op_token {
    enum class kind { connect, stream, ping };
    kind what = kind::stream;
    std::int32_t stream_id = 0;  // once the stream is open
    bool cancelled = false;      // cancelled before it reached the strand
    bool done = false;
};

class connection_impl : public std::enable_shared_from_this<connection_impl> {
public:
    using strand_type = boost::asio::strand<boost::asio::any_io_executor>;
    using socket_type = boost::asio::local::stream_protocol::socket;
    using duration = std::chrono::milliseconds;

    connection_impl(boost::asio::any_io_executor executor, connection_config config);
    ~connection_impl();

    const strand_type& strand() const noexcept { return strand_; }
    const connection_config& config() const noexcept { return config_; }
    bool is_connected() const noexcept { return connected_.load(std::memory_order_acquire); }

    // The thread of a connection in blocking mode (set once, before any operation).
    void set_owned_thread(std::thread::id id) noexcept { owned_thread_ = id; }
    // True on the strand, or on the thread a blocking-mode connection owns.
    bool on_own_thread() const noexcept;

    // Any thread.
    void connect(void_handler handler);
    void call(std::string operation, std::string payload, std::optional<duration> timeout,
              call_handler handler);
    void subscribe(std::string operation, std::string payload, stream_handler events,
                   std::optional<duration> timeout, subscribe_handler handler);
    void ping(std::string payload, std::optional<duration> timeout, void_handler handler);
    void close(void_handler handler);
    void close_stream(std::int32_t stream_id);
    // Closes at once without writing what is queued: pending calls fail with errc::closed.
    void abort();

private:
    enum class phase { idle, connecting, handshaking, connected, closing, closed };

    struct pending_stream {
        stream_kind kind = stream_kind::unary;
        std::optional<call_handler> call;            // unary, until the response
        std::optional<subscribe_handler> subscribe;  // streaming, until the response
        stream_handler events;                       // streaming
        std::shared_ptr<op_token> token;
        std::unique_ptr<boost::asio::steady_timer> timer;
        bool activated = false;
    };

    struct pending_ping {
        std::optional<void_handler> handler;  // empty once cancelled or timed out
        std::shared_ptr<op_token> token;
        std::unique_ptr<boost::asio::steady_timer> timer;
    };

    // Strand only.
    void do_connect(void_handler handler, std::shared_ptr<op_token> token);
    void on_socket_connected(const boost::system::error_code& ec);
    void open(stream_kind kind, std::string operation, std::string payload, stream_handler events,
              std::optional<duration> timeout, std::optional<call_handler> call,
              std::optional<subscribe_handler> subscribe, std::shared_ptr<op_token> token);
    void do_ping(std::string payload, std::optional<duration> timeout, void_handler handler,
                 std::shared_ptr<op_token> token);
    void do_close(void_handler handler);
    void do_close_stream(std::int32_t stream_id);
    // Gives up on stream `stream_id` (cancelled, timed out): TERMINATE, and the call fails with `why`.
    void abandon(std::int32_t stream_id, const error& why);
    void abandon_ping(const std::shared_ptr<op_token>& token, const error& why);
    // A cancellation slot fired for `token`'s operation.
    void cancel(const std::shared_ptr<op_token>& token);
    template <class Handler>
    std::shared_ptr<op_token> make_token(Handler& handler, op_token::kind what);
    template <class Handler, class Value>
    void complete(Handler&& handler, Value&& value);

    boost::asio::awaitable<void> reader();
    boost::asio::awaitable<void> writer();
    void spawn(boost::asio::awaitable<void> coroutine, const char* what);

    void on_message(const protocol::message& msg);
    void execute(action_t& action);
    void enqueue(protocol::encoded_frame frame);
    // Ends the connection: every pending operation fails with `why`, every open stream ends with it
    // (errc::closed ends them with nullopt: the client closed them). Idempotent.
    void teardown(const error& why);
    void finish_connect(result<void> outcome);
    void end_stream(pending_stream& stream, std::optional<error> why);
    void deliver_event(std::int32_t stream_id, stream_event event);
    error current_error() const;
    error socket_error(const boost::system::error_code& ec, const char* during) const;

    strand_type strand_;
    socket_type socket_;
    const connection_config config_;
    std::thread::id owned_thread_;
    std::atomic<bool> connected_{false};

    phase phase_ = phase::idle;
    client_fsm fsm_;
    protocol::frame_decoder decoder_;
    std::vector<action_t> actions_;

    std::optional<void_handler> connect_handler_;
    std::shared_ptr<op_token> connect_token_;
    boost::asio::steady_timer connect_timer_;
    std::vector<void_handler> close_handlers_;
    boost::asio::steady_timer close_timer_;
    std::optional<error> final_error_;

    std::deque<protocol::encoded_frame> queue_;
    std::size_t queued_bytes_ = 0;
    bool writing_ = false;                   // the front of queue_ is being written
    boost::asio::steady_timer wake_writer_;  // timer as condition variable: cancel() notifies

    std::map<std::int32_t, pending_stream> streams_;
    std::deque<pending_ping> pings_;
};

}  // namespace standin::client::detail
