// SPDX-License-Identifier: Apache-2.0
#include "net/session.hpp"

#include <malloc.h>

#include <algorithm>
#include <array>
#include <span>
#include <tuple>
#include <vector>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "standin/protocol/rpc.hpp"
#include "util/log.hpp"

namespace standin::server {

namespace asio = boost::asio;
namespace rpc = protocol::rpc;

namespace {

constexpr auto as_tuple_awaitable = asio::as_tuple(asio::use_awaitable);

// Our choice: how many queued frames one gathered write takes (3 buffers each).
constexpr std::size_t max_frames_per_write = 64;
// Our choice: how long a connection we are closing (rejected CONNECT, protocol error) stays open
// after its last frame is written, unless the client closes it first.
constexpr auto close_linger = std::chrono::seconds(2);
// Our choice: read in 64 KiB slices; large frames are assembled by the decoder.
constexpr std::size_t read_chunk_size = 64 * 1024;

// Our choice: how long the daemon waits after memory was freed before trimming the heap, so that a
// burst of closing connections costs one trim.
constexpr auto trim_delay = std::chrono::milliseconds(200);
// Our choice: a queue that drained from at least this much gives its memory back.
constexpr std::size_t large_queue_bytes = 1024 * 1024;

// Where every session of this thread reads into. A session waits for readability with no buffer
// of its own and then reads what is there into this one; the decoder keeps only the bytes of a
// frame that has not arrived whole. So an idle connection holds no read buffer at all (a 64 KiB
// buffer per connection was most of a connection's memory), and memory follows traffic.
std::span<std::uint8_t> read_scratch() {
    thread_local std::vector<std::uint8_t> scratch(read_chunk_size);
    return scratch;
}

}  // namespace

session::session(socket_type socket, const session_context& context, std::uint64_t id)
    : socket_(std::move(socket)),
      context_(context),
      id_(id),
      log_(logger("ipc.session")),
      decoder_(protocol::decoder_limits{context.limits.max_frame_size, protocol::default_max_headers}),
      fsm_(context.authenticate),
      wake_writer_(socket_.get_executor(), asio::steady_timer::time_point::max()),
      wake_reader_(socket_.get_executor(), asio::steady_timer::time_point::max()),
      watchdog_timer_(socket_.get_executor(), asio::steady_timer::time_point::max()) {}

session::~session() = default;

void session::start() {
    log_->debug("[conn {}] accepted", id_);
    // Reads and writes go straight to the socket and wait only when it has nothing to read or
    // no room to write; a blocking call would stall every connection.
    boost::system::error_code ec;
    socket_.non_blocking(true, ec);
    if (ec) {
        log_->warn("[conn {}] cannot make the socket non-blocking ({}); closing", id_, ec.message());
        stop();
        return;
    }
    auto on_exit = [self = shared_from_this()](std::exception_ptr error) {
        if (!error) return;
        try {
            std::rethrow_exception(error);
        } catch (const std::exception& e) {
            self->log_->error("[conn {} {}] session failed: {}", self->id_, self->component_, e.what());
        }
        self->stop();
    };
    asio::co_spawn(socket_.get_executor(), reader(), on_exit);
    asio::co_spawn(socket_.get_executor(), writer(), on_exit);
    asio::co_spawn(socket_.get_executor(), watchdog(), on_exit);
}

void session::stop() {
    if (stopped_) return;
    stopped_ = true;
    // Connects are logged at info, so are the matching disconnects.
    log_->log(component_.empty() ? spdlog::level::debug : spdlog::level::info, "[conn {} {}] closed",
              id_, component_);
    boost::system::error_code ignored;
    socket_.shutdown(socket_type::shutdown_both, ignored);
    socket_.close(ignored);
    wake_writer_.cancel();
    wake_reader_.cancel();
    watchdog_timer_.cancel();
    // Releasing the streams unsubscribes them, so no publish reaches this connection any more.
    auto streams = std::move(streams_);
    streams.clear();
    // The queue stays until the session is destroyed: an aborted write may still reference it.
    context_.registry.remove(id_);
}

asio::awaitable<void> session::reader() {
    auto self = shared_from_this();
    boost::system::error_code ec;
    while (!stopped_ && !ec) {
        std::tie(ec) = co_await socket_.async_wait(socket_type::wait_read, as_tuple_awaitable);
        if (ec || stopped_) break;
        const auto scratch = read_scratch();
        const auto n = socket_.read_some(asio::buffer(scratch.data(), scratch.size()), ec);
        if (ec == asio::error::would_block || ec == asio::error::try_again) {
            ec = {};  // woken without data after all
            continue;
        }
        if (ec) break;
        if (close_after_flush_) continue;  // lingering before a close: what the client sends is dropped
        std::span<const std::uint8_t> bytes{scratch.data(), n};
        while (!bytes.empty() && !stopped_ && !close_after_flush_) {
            const auto result = decoder_.put(bytes);
            bytes = bytes.subspan(result.consumed);
            if (result.ec) {
                // The framing can no longer be trusted: close without a reply, as the reference does.
                log_->warn("[conn {} {}] malformed frame ({}); closing the connection", id_, component_,
                           result.ec.message());
                stop();
                co_return;
            }
            if (decoder_.has_message()) on_message(decoder_.take_message());
        }
        // Backpressure: a client that sends requests but does not read its responses waits here.
        while (!stopped_ && queued_bytes_ > context_.limits.read_pause_bytes) {
            co_await wake_reader_.async_wait(as_tuple_awaitable);
        }
    }
    if (ec && ec != asio::error::eof && ec != asio::error::operation_aborted) {
        log_->debug("[conn {} {}] read failed: {}", id_, component_, ec.message());
    }
    // End of input ends the session, lingering or not: nobody is left to read what we would send.
    stop();
}

asio::awaitable<void> session::writer() {
    auto self = shared_from_this();
    std::vector<asio::const_buffer> buffers;
    while (!stopped_) {
        if (queue_.empty()) {
            if (close_after_flush_) {
                // Linger: the client's event loop may see our hang-up before it reads the frame we
                // just flushed (the JS SDK then reports a network error instead of the rejected
                // CONNECT_ACK), so give it time to read and close its end first.
                wake_writer_.expires_after(close_linger);
                co_await wake_writer_.async_wait(as_tuple_awaitable);
                stop();
                co_return;
            }
            co_await wake_writer_.async_wait(as_tuple_awaitable);
            continue;
        }
        const std::size_t count = std::min(queue_.size(), max_frames_per_write);
        // The events' heads and trailers first, into one buffer sized exactly, so that it is not
        // reallocated while the write's buffers point into it.
        constexpr std::size_t trailer_size = 4;
        std::size_t head_bytes = 0;
        for (std::size_t i = 0; i < count; ++i) {
            if (queue_[i].is_event)
                head_bytes += event_heads_[queue_[i].event_shape].head_size() + trailer_size;
        }
        write_heads_.clear();
        write_heads_.reserve(head_bytes);
        for (std::size_t i = 0; i < count; ++i) {
            const outbound& next = queue_[i];
            if (!next.is_event) continue;
            const auto trailer = event_heads_[next.event_shape].append_head(
                write_heads_, next.event_stream, next.event_payload.get());
            write_heads_.append(reinterpret_cast<const char*>(trailer.data()), trailer.size());
        }
        buffers.clear();
        buffers.reserve(count * 3);
        auto add = [&buffers](const void* data, std::size_t size) {
            if (size != 0) buffers.emplace_back(data, size);
        };
        std::size_t bytes = 0;
        std::size_t frames_written = 0;
        std::size_t head_offset = 0;
        for (std::size_t i = 0; i < count; ++i) {
            const outbound& next = queue_[i];
            if (next.is_event) {
                const std::size_t head_size = event_heads_[next.event_shape].head_size();
                add(write_heads_.data() + head_offset, head_size);
                if (next.event_payload) add(next.event_payload->data(), next.event_payload->size());
                add(write_heads_.data() + head_offset + head_size, trailer_size);
                head_offset += head_size + trailer_size;
            } else {
                for (const auto part : frames_[frames_written].buffers())
                    add(part.data(), part.size());
                ++frames_written;
            }
            bytes += next.size;
        }
        writing_ = true;
        write_started_ = std::chrono::steady_clock::now();
        if (watchdog_idle_) {
            watchdog_idle_ = false;
            watchdog_timer_.cancel();
        }
        const auto ec = co_await write_all(buffers);
        writing_ = false;
        if (ec || stopped_) {
            if (ec && ec != asio::error::operation_aborted) {
                log_->debug("[conn {} {}] write failed: {}", id_, component_, ec.message());
            }
            stop();
            co_return;
        }
        queue_.erase(queue_.begin(), queue_.begin() + static_cast<std::ptrdiff_t>(count));
        frames_.erase(frames_.begin(), frames_.begin() + static_cast<std::ptrdiff_t>(frames_written));
        queued_bytes_ -= bytes;
        wake_reader_.cancel();
        if (queue_.empty()) {
            if (queue_peak_bytes_ >= large_queue_bytes) {
                queue_.shrink_to_fit();
                frames_.shrink_to_fit();
                context_.registry.release_memory_soon();
            }
            queue_peak_bytes_ = 0;
        }
    }
}

asio::awaitable<boost::system::error_code> session::write_all(std::vector<asio::const_buffer>& buffers) {
    // Written here rather than by async_write, whose completion is posted and resumes this
    // coroutine one trip through the scheduler later: most writes fit in the socket at once, and
    // waiting for room is only needed when the client reads slower than we write.
    std::size_t first = 0;  // the first buffer not yet written whole
    while (true) {
        boost::system::error_code ec;
        auto n = socket_.write_some(std::span{buffers}.subspan(first), ec);
        if (ec == asio::error::would_block || ec == asio::error::try_again) {
            std::tie(ec) = co_await socket_.async_wait(socket_type::wait_write, as_tuple_awaitable);
            if (ec || stopped_) co_return ec ? ec : asio::error::operation_aborted;
            continue;
        }
        if (ec) co_return ec;
        while (first < buffers.size() && n >= buffers[first].size())
            n -= buffers[first++].size();
        if (first == buffers.size()) co_return ec;
        buffers[first] += n;
    }
}

asio::awaitable<void> session::watchdog() {
    auto self = shared_from_this();
    const auto& limits = context_.limits;
    const auto connect_deadline = std::chrono::steady_clock::now() + limits.connect_timeout;
    auto awaiting_connect = [&] { return !stopped_ && component_.empty() && !close_after_flush_; };
    while (awaiting_connect() && std::chrono::steady_clock::now() < connect_deadline) {
        watchdog_timer_.expires_at(connect_deadline);
        co_await watchdog_timer_.async_wait(as_tuple_awaitable);
    }
    if (awaiting_connect()) {
        log_->warn("[conn {}] no CONNECT within {} ms (--connect-timeout); closing", id_,
                   limits.connect_timeout.count());
        stop();
        co_return;
    }
    if (limits.write_stall_timeout.count() <= 0) co_return;
    // Checks a few times per deadline while a write is in flight, and sleeps while none is.
    const auto period = std::max(limits.write_stall_timeout / 4, std::chrono::milliseconds{1});
    while (!stopped_) {
        if (writing_) {
            watchdog_timer_.expires_after(period);
        } else {
            watchdog_idle_ = true;
            watchdog_timer_.expires_at(asio::steady_timer::time_point::max());
        }
        co_await watchdog_timer_.async_wait(as_tuple_awaitable);
        watchdog_idle_ = false;
        if (stopped_) break;
        if (writing_ &&
            std::chrono::steady_clock::now() - write_started_ >= limits.write_stall_timeout) {
            log_->warn(
                "[conn {} {}] the client has not read for {} ms (--write-stall-timeout) with {} "
                "bytes queued; closing the connection",
                id_, component_, limits.write_stall_timeout.count(), queued_bytes_);
            stop();
        }
    }
}

void session::on_message(protocol::message msg) {
    if (log_->should_log(spdlog::level::trace)) {
        const auto meta = rpc::extract_metadata(msg);
        log_->trace("[conn {} {}] <- type {} flags {} stream {} ({} payload bytes)", id_, component_,
                    meta ? meta->type : -1, meta ? meta->flags : -1, meta ? meta->stream_id : -1,
                    msg.payload.size());
    }
    actions_.clear();
    fsm_.on_message(std::move(msg), actions_);
    for (auto& action : actions_)
        execute(action);
}

void session::execute(fsm_action_t& action) {
    std::visit(
        [this](auto& a) {
            using T = std::decay_t<decltype(a)>;
            if constexpr (std::is_same_v<T, fsm_action::send>) {
                auto frame = frames::encode(a.message, context_.limits.max_frame_size);
                if (frame) {
                    enqueue(std::move(*frame));
                } else {  // only an echoed PING can be that large
                    log_->warn("[conn {} {}] dropping an oversize connection-level reply", id_,
                               component_);
                }
            } else if constexpr (std::is_same_v<T, fsm_action::close_after_flush>) {
                close_after_flush_ = true;
                wake_writer_.cancel();
            } else if constexpr (std::is_same_v<T, fsm_action::authenticated>) {
                component_ = std::move(a.component);
                log_->info("[conn {}] connected as {}", id_, component_);
                watchdog_timer_.cancel();  // the CONNECT deadline is met
            } else if constexpr (std::is_same_v<T, fsm_action::rejected>) {
                log_->warn("[conn {}] connection rejected: {}", id_, a.reason);
            } else if constexpr (std::is_same_v<T, fsm_action::open_stream>) {
                open_stream(a);
            } else if constexpr (std::is_same_v<T, fsm_action::stream_message>) {
                // No Greengrass operation takes client stream events: the Java framework fails to
                // deserialize one, answers the non-modeled error and closes the stream.
                log_->info("[conn {} {}] unexpected message on open stream {}; closing it", id_,
                           component_, a.stream_id);
                terminate_stream(a.stream_id, frames::internal_server_error(a.stream_id));
            } else if constexpr (std::is_same_v<T, fsm_action::stream_closed>) {
                streams_.erase(a.stream_id);
            }
        },
        action);
}

call_context session::context_for(std::int32_t stream_id) {
    return {component_, stream_id, id_, this, weak_from_this()};
}

void session::open_stream(fsm_action::open_stream& request) {
    log_->debug("[conn {} {}] stream {}: {}", id_, component_, request.stream_id, request.operation);
    const auto limit = context_.limits.max_streams_per_connection;
    if (fsm_.open_stream_count() > limit) {
        log_->warn(
            "[conn {} {}] stream {}: {} streams open, the limit (--max-streams-per-connection); "
            "refusing {}",
            id_, component_, request.stream_id, limit, request.operation);
        fsm_.on_server_terminated(request.stream_id);
        enqueue(frames::modeled_error(
            request.stream_id,
            model::ipc_error::service("Too many open streams on this connection (limit " +
                                      std::to_string(limit) + "); close some before opening more")));
        return;
    }
    const auto call = context_for(request.stream_id);
    deliver(request.stream_id,
            context_.dispatch.dispatch(call, request.operation, request.request.payload));
}

void session::deliver(std::int32_t stream_id, dispatch_result result) {
    if (!result.frame) return;  // the operation answers later, through complete_call()
    if (result.terminates) {
        fsm_.on_server_terminated(stream_id);
        enqueue(std::move(*result.frame));
        return;
    }
    // The response is queued before the stream can carry events: on this single-threaded core
    // nothing can send on the stream before it is in streams_.
    enqueue(std::move(*result.frame));
    streams_[stream_id] = std::move(result.stream);
}

void session::complete_call(std::int32_t stream_id, const model::operation_info& op, reply_body reply) {
    if (stopped_ || close_after_flush_ || !fsm_.is_open(stream_id) || streams_.contains(stream_id)) {
        log_->debug("[conn {} {}] stream {}: late {} reply dropped, the stream is gone", id_, component_,
                    stream_id, op.short_name());
        return;
    }
    deliver(stream_id, context_.dispatch.finish(context_for(stream_id), op, std::move(reply)));
}

void session::close_stream(std::int32_t stream_id, std::optional<model::ipc_error> error) {
    if (stopped_ || !streams_.contains(stream_id)) return;
    log_->debug("[conn {} {}] stream {}: closed by the server{}", id_, component_, stream_id,
                error ? ": " + error->message : std::string{});
    terminate_stream(stream_id,
                     error ? frames::modeled_error(stream_id, *error) : frames::close_stream(stream_id));
}

void session::terminate_stream(std::int32_t stream_id, protocol::encoded_frame frame) {
    fsm_.on_server_terminated(stream_id);
    enqueue(std::move(frame));
    streams_.erase(stream_id);
}

void session::enqueue(protocol::encoded_frame frame) {
    if (stopped_) return;
    const auto size = static_cast<std::uint32_t>(frame.size());
    frames_.push_back(std::move(frame));
    enqueue(outbound{nullptr, 0, size, 0, false});
}

void session::enqueue(outbound item) {
    if (stopped_) return;
    const bool is_event = item.is_event;
    queued_bytes_ += item.size;
    queue_peak_bytes_ = std::max(queue_peak_bytes_, queued_bytes_);
    queue_.push_back(std::move(item));
    if (is_event) {
        wake_writer_soon();
    } else {
        wake_writer_.cancel();
    }
}

void session::wake_writer_soon() {
    // A stream event wakes the writer one trip through the scheduler later, after the request
    // being handled (on whichever connection) has queued its reply: a publisher's response then
    // leaves before the deliveries of its message, as the nucleus answers a publish at once and
    // hands the deliveries to an executor.
    if (writer_wake_posted_) return;
    writer_wake_posted_ = true;
    asio::post(socket_.get_executor(), [self = shared_from_this()] {
        self->writer_wake_posted_ = false;
        self->wake_writer_.cancel();
    });
}

std::uint8_t session::event_head_index(std::string_view shape) {
    // Shapes are the operation table's static strings: one comparison of the pointers mostly.
    for (std::size_t i = 0; i < event_heads_.size(); ++i) {
        if (event_heads_[i].shape().data() == shape.data() || event_heads_[i].shape() == shape)
            return static_cast<std::uint8_t>(i);
    }
    // The table has far fewer streaming operations than an index can count.
    event_heads_.emplace_back(shape, /*terminate=*/false);
    return static_cast<std::uint8_t>(event_heads_.size() - 1);
}

bool session::send_event(std::int32_t stream_id, std::string_view shape,
                         const protocol::shared_payload& payload) {
    if (stopped_ || close_after_flush_ || !streams_.contains(stream_id)) return false;
    const std::uint8_t head = event_head_index(shape);
    const std::size_t size = event_heads_[head].frame_size(payload ? payload->size() : 0);
    if (size > context_.limits.max_frame_size) {
        log_->warn(
            "[conn {} {}] stream {}: event of {} bytes does not fit in a frame; closing the stream", id_,
            component_, stream_id, payload->size());
        terminate_stream(stream_id,
                         frames::modeled_error(stream_id, model::ipc_error::service(
                                                              "Message too large for this connection")));
        return false;
    }
    if (queued_bytes_ + size > context_.limits.max_outbound_bytes ||
        queue_.size() >= context_.limits.max_outbound_messages) {
        close_stream_over_limit(stream_id, size);
        return false;
    }
    enqueue(outbound{payload, stream_id, static_cast<std::uint32_t>(size), head, true});
    return true;
}

void session::close_stream_over_limit(std::int32_t stream_id, std::size_t frame_size) {
    const auto& limits = context_.limits;
    log_->warn(
        "[conn {} {}] stream {}: subscriber too slow ({} bytes in {} frames queued; limits {} bytes "
        "(--max-outbound-bytes), {} frames (--max-outbound-messages)); closing the stream",
        id_, component_, stream_id, queued_bytes_ + frame_size, queue_.size() + 1,
        limits.max_outbound_bytes, limits.max_outbound_messages);
    terminate_stream(
        stream_id,
        frames::modeled_error(stream_id, model::ipc_error::service(
                                             "Subscriber is not reading fast enough: more than " +
                                             std::to_string(limits.max_outbound_bytes) + " bytes or " +
                                             std::to_string(limits.max_outbound_messages) +
                                             " messages queued for this connection; stream closed")));
}

session_registry::session_registry(boost::asio::any_io_executor executor)
    : trim_timer_{std::move(executor)} {}

void session_registry::remove(std::uint64_t id) {
    sessions_.erase(id);
    release_memory_soon();
}

void session_registry::release_memory_soon() {
    if (trim_pending_) return;
    trim_pending_ = true;
    trim_timer_.expires_after(trim_delay);
    trim_timer_.async_wait([this](boost::system::error_code ec) {
        if (ec) return;
        trim_pending_ = false;
#if defined(__GLIBC__)
        ::malloc_trim(0);
#endif
    });
}

void session_registry::stop_all() {
    auto sessions = std::move(sessions_);
    for (auto& [id, weak] : sessions) {
        if (auto s = weak.lock()) s->stop();
    }
}

}  // namespace standin::server
