// SPDX-License-Identifier: Apache-2.0
// One IPC connection: a reader coroutine (bytes -> frame decoder -> connection_fsm -> actions), a
// writer coroutine draining a FIFO of frames and stream events, and a watchdog for the connection's
// deadlines (CONNECT, stalled writes). What stream events may queue is bounded in bytes, and
// reading pauses while the client is not reading its responses.
#pragma once

#include <chrono>
#include <cstdint>
#include <deque>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include <spdlog/logger.h>
#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/local/stream_protocol.hpp>
#include <boost/asio/steady_timer.hpp>

#include "net/connection_limits.hpp"
#include "rpc/connection_fsm.hpp"
#include "rpc/dispatcher.hpp"
#include "rpc/operation.hpp"
#include "rpc/server_frames.hpp"
#include "standin/protocol/frame_decoder.hpp"
#include "standin/protocol/frame_encoder.hpp"

namespace standin::server {

class session_registry;

// What every session shares: all of it outlives the sessions.
struct session_context {
    const dispatcher& dispatch;
    connection_fsm::authenticator authenticate;
    const connection_limits& limits;
    session_registry& registry;
};

class session final : public std::enable_shared_from_this<session>, public call_sink {
public:
    using socket_type = boost::asio::local::stream_protocol::socket;

    session(socket_type socket, const session_context& context, std::uint64_t id);
    ~session() override;

    // Starts the coroutines. Call once, after construction by make_shared.
    void start();
    // Closes the connection now: releases every stream, drops what is queued.
    void stop();

    bool send_event(std::int32_t stream_id, std::string_view shape,
                    const protocol::shared_payload& payload) override;
    void close_stream(std::int32_t stream_id, std::optional<model::ipc_error> error) override;
    void complete_call(std::int32_t stream_id, const model::operation_info& op,
                       reply_body reply) override;
    std::uint64_t connection_id() const noexcept override { return id_; }

    std::size_t queued_bytes() const noexcept { return queued_bytes_; }

private:
    boost::asio::awaitable<void> reader();
    boost::asio::awaitable<void> writer();
    // Writes every byte of `buffers` (which it consumes), waiting for room in the socket as needed.
    boost::asio::awaitable<boost::system::error_code> write_all(
        std::vector<boost::asio::const_buffer>& buffers);
    boost::asio::awaitable<void> watchdog();

    void on_message(protocol::message msg);
    void execute(fsm_action_t& action);
    void open_stream(fsm_action::open_stream& request);
    call_context context_for(std::int32_t stream_id);
    // Queues what the dispatcher answered on `stream_id`, and keeps the stream open when it stays.
    void deliver(std::int32_t stream_id, dispatch_result result);
    // Queues a frame on stream `stream_id` that ends it, and forgets the stream.
    void terminate_stream(std::int32_t stream_id, protocol::encoded_frame frame);
    void enqueue(protocol::encoded_frame frame);
    struct outbound;
    void enqueue(outbound item);
    void wake_writer_soon();
    // The index in event_heads_ of the encoder for `shape`, added on first use.
    std::uint8_t event_head_index(std::string_view shape);
    void close_stream_over_limit(std::int32_t stream_id, std::size_t frame_size);

    socket_type socket_;
    session_context context_;
    const std::uint64_t id_;
    std::shared_ptr<spdlog::logger> log_;

    protocol::frame_decoder decoder_;
    connection_fsm fsm_;
    std::vector<fsm_action_t> actions_;  // reused per message
    std::string component_;              // set once CONNECT is accepted

    // What waits to be written, in order, in a few words each. A stream event is its shared payload:
    // its head is encoded only when it is written, so a slow subscriber's backlog holds no head of
    // its own (about 170 bytes, a separate allocation, per event). Anything else (responses,
    // errors, stream ends) is encoded when it is queued and waits in frames_, in the same order.
    // An entry is 24 bytes on x86-64.
    struct outbound {
        protocol::shared_payload event_payload;  // an event's payload (null when empty)
        std::int32_t event_stream = 0;
        std::uint32_t size = 0;        // bytes on the wire
        std::uint8_t event_shape = 0;  // index in event_heads_
        bool is_event = false;         // false: the next frame of frames_
    };
    std::deque<outbound> queue_;
    std::deque<protocol::encoded_frame> frames_;
    // The event shapes this connection has carried (a few: one per kind of subscription).
    std::vector<frames::message_head_encoder> event_heads_;
    std::string write_heads_;  // the event heads and trailers of the write in flight
    std::size_t queued_bytes_ = 0;
    std::size_t queue_peak_bytes_ = 0;       // since the queue was last empty
    boost::asio::steady_timer wake_writer_;  // timer as condition variable: cancel() notifies
    boost::asio::steady_timer wake_reader_;
    boost::asio::steady_timer watchdog_timer_;
    bool writing_ = false;  // a write is in flight, since write_started_
    std::chrono::steady_clock::time_point write_started_;
    bool watchdog_idle_ = false;  // waiting for the next write to start
    bool close_after_flush_ = false;
    bool writer_wake_posted_ = false;  // wake_writer_soon() has a wake on its way
    bool stopped_ = false;

    // Streams open with their response sent, and what each holds (a subscription, or nothing).
    std::unordered_map<std::int32_t, std::unique_ptr<stream_resource>> streams_;
};

// Live sessions, so that shutdown can close them all and the listener can count them; and the
// one place that hands memory back to the OS once sessions close or drain a large queue.
class session_registry {
public:
    explicit session_registry(boost::asio::any_io_executor executor);

    void add(const std::shared_ptr<session>& s) { sessions_.emplace(s->connection_id(), s); }
    void remove(std::uint64_t id);
    void stop_all();
    std::size_t size() const noexcept { return sessions_.size(); }

    // Memory was freed in bulk (a connection closed, a backlog drained): return the allocator's
    // free pages to the OS shortly after. glibc keeps freed memory in its arenas, so without this
    // the RSS of a daemon that once had a burst would stay at the burst's peak. Debounced: one trim
    // per quiet period, however many sessions ask.
    void release_memory_soon();

private:
    std::unordered_map<std::uint64_t, std::weak_ptr<session>> sessions_;
    boost::asio::steady_timer trim_timer_;
    bool trim_pending_ = false;
};

}  // namespace standin::server
