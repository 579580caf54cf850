// SPDX-License-Identifier: Apache-2.0
#include "standin/test/raw_client.hpp"

#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstring>
#include <span>
#include <stdexcept>
#include <utility>

#include "standin/protocol/rpc.hpp"
#include "standin/test/failure.hpp"
#include "standin/test/frames.hpp"

namespace standin::test {

namespace rpc = protocol::rpc;

raw_client::raw_client(const std::string& socket_path) : fd_{connect_unix(socket_path)} {}

raw_client::raw_client(raw_client&& other) noexcept
    : fd_{std::move(other.fd_)},
      decoder_{std::move(other.decoder_)},
      inbuf_{std::move(other.inbuf_)},
      current_frame_{std::move(other.current_frame_)},
      pending_{std::move(other.pending_)},
      eof_{other.eof_},
      reset_{other.reset_},
      framing_error_{other.framing_error_},
      last_stream_id_{other.last_stream_id_} {}

raw_client& raw_client::operator=(raw_client&& other) noexcept {
    if (this != &other) {
        fd_ = std::move(other.fd_);
        decoder_ = std::move(other.decoder_);
        inbuf_ = std::move(other.inbuf_);
        current_frame_ = std::move(other.current_frame_);
        pending_ = std::move(other.pending_);
        eof_ = other.eof_;
        reset_ = other.reset_;
        framing_error_ = other.framing_error_;
        last_stream_id_ = other.last_stream_id_;
    }
    return *this;
}

raw_client::~raw_client() {
    close();
}

void raw_client::close() noexcept {
    fd_.reset();
}

bool raw_client::send_bytes(std::string_view bytes) {
    return send_all(fd_.get(), bytes);
}

bool raw_client::send(const protocol::message& msg) {
    // Keeps request() numbering after streams opened by hand.
    if (const auto m = rpc::extract_metadata(msg); m && m->stream_id > last_stream_id_)
        last_stream_id_ = m->stream_id;
    return send_bytes(frames::encode(msg));
}

std::size_t raw_client::send_some(std::string_view bytes, bool& peer_gone) {
    peer_gone = false;
    for (;;) {
        const auto n = ::send(fd_.get(), bytes.data(), bytes.size(), MSG_NOSIGNAL | MSG_DONTWAIT);
        if (n >= 0) return static_cast<std::size_t>(n);
        if (errno == EINTR) continue;
        if (errno == EAGAIN || errno == EWOULDBLOCK) return 0;
        if (errno == EPIPE || errno == ECONNRESET) {
            peer_gone = true;
            return 0;
        }
        throw std::runtime_error(std::string("send(): ") + std::strerror(errno));
    }
}

void raw_client::decode_buffered() {
    std::size_t offset = 0;
    while (offset < inbuf_.size() && !framing_error_) {
        const auto* data = reinterpret_cast<const std::uint8_t*>(inbuf_.data()) + offset;
        const auto result = decoder_.put(std::span<const std::uint8_t>{data, inbuf_.size() - offset});
        current_frame_.append(inbuf_, offset, result.consumed);
        offset += result.consumed;
        if (result.ec) {
            framing_error_ = true;
            STANDIN_TEST_FAIL("the server sent bytes that do not decode as a frame (" +
                              result.ec.message() +
                              "): " + frames::to_hex(current_frame_.substr(0, 64)));
            break;
        }
        if (decoder_.has_message()) {
            pending_.push_back(received_frame{decoder_.take_message(), std::move(current_frame_)});
            current_frame_.clear();
        }
    }
    inbuf_.erase(0, offset);
}

bool raw_client::fill(clock::time_point deadline) {
    if (eof_ || framing_error_ || !fd_) return false;
    char buf[65536];
    const auto r = read_some(fd_.get(), buf, deadline);
    switch (r.status) {
        case read_status::data:
            inbuf_.append(buf, r.size);
            decode_buffered();
            return true;
        case read_status::reset:
            reset_ = true;
            eof_ = true;
            return false;
        case read_status::eof:
            eof_ = true;
            return false;
        case read_status::timeout:
            break;
    }
    return false;
}

std::optional<received_frame> raw_client::read_frame(milliseconds timeout) {
    const auto deadline = clock::now() + timeout;
    while (pending_.empty()) {
        if (!fill(deadline)) break;
    }
    if (pending_.empty()) return std::nullopt;
    auto frame = std::move(pending_.front());
    pending_.pop_front();
    return frame;
}

std::optional<protocol::message> raw_client::take_buffered() {
    if (pending_.empty()) return std::nullopt;
    auto msg = std::move(pending_.front().message);
    pending_.pop_front();
    return msg;
}

std::optional<protocol::message> raw_client::read_message(milliseconds timeout) {
    auto frame = read_frame(timeout);
    if (!frame) return std::nullopt;
    return std::move(frame->message);
}

std::vector<protocol::message> raw_client::read_messages(std::size_t count, milliseconds timeout) {
    const auto deadline = clock::now() + timeout;
    std::vector<protocol::message> out;
    while (out.size() < count) {
        auto msg = read_message(std::chrono::duration_cast<milliseconds>(deadline - clock::now()));
        if (!msg) break;
        out.push_back(std::move(*msg));
    }
    return out;
}

std::optional<received_frame> raw_client::connect_as(std::string_view token, milliseconds timeout) {
    if (!send(frames::connect(token))) {
        // The server may already have closed; whatever it sent is still readable.
    }
    return read_frame(timeout);
}

void raw_client::connect_or_throw(std::string_view token, milliseconds timeout) {
    const auto ack = connect_as(token, timeout);
    if (!ack) throw std::runtime_error("no CONNECT_ACK (eof=" + std::to_string(eof_) + ")");
    const auto m = rpc::extract_metadata(ack->message);
    if (!m || m->type != static_cast<std::int32_t>(rpc::message_type::connect_ack) ||
        (m->flags & rpc::flag_connection_accepted) == 0) {
        throw std::runtime_error("connection not accepted: " + frames::describe(ack->message));
    }
}

std::int32_t raw_client::request(std::int32_t stream_id, std::string_view operation,
                                 const nlohmann::json& payload) {
    send(frames::request(stream_id, operation, payload));
    return stream_id;
}

std::int32_t raw_client::request(std::string_view operation, const nlohmann::json& payload) {
    return request(last_stream_id_ + 1, operation, payload);
}

std::optional<protocol::message> raw_client::call(std::string_view operation,
                                                  const nlohmann::json& payload, milliseconds timeout) {
    request(operation, payload);
    return read_message(timeout);
}

std::optional<std::vector<protocol::message>> raw_client::ping_barrier(milliseconds timeout) {
    static std::atomic<unsigned> counter{0};
    const std::string id = std::to_string(::getpid()) + "-" + std::to_string(++counter);
    constexpr std::string_view barrier_header = "x-standin-test-barrier";
    if (!send(frames::ping({frames::str(barrier_header, id)}))) {
        // Whatever arrived before the close is still returned below if a response exists.
    }
    const auto deadline = clock::now() + timeout;
    std::vector<protocol::message> before;
    for (;;) {
        auto msg = read_message(std::chrono::duration_cast<milliseconds>(deadline - clock::now()));
        if (!msg) {
            STANDIN_TEST_FAIL("no PING_RESPONSE to the barrier ping (eof=" + std::to_string(eof_) +
                              ", framing error=" + std::to_string(framing_error_) +
                              "); received before: " + frames::describe(before));
            return std::nullopt;
        }
        const auto m = rpc::extract_metadata(*msg);
        if (m && m->type == static_cast<std::int32_t>(rpc::message_type::ping_response) &&
            frames::string_header(*msg, barrier_header) == id) {
            return before;
        }
        before.push_back(std::move(*msg));
    }
}

bool raw_client::expect_closed(milliseconds timeout, std::vector<protocol::message>* before) {
    const auto deadline = clock::now() + timeout;
    for (;;) {
        while (!pending_.empty()) {
            if (before != nullptr) before->push_back(std::move(pending_.front().message));
            pending_.pop_front();
        }
        if (eof_) return true;
        if (framing_error_) return false;
        if (!fill(deadline) && !eof_) {
            if (!pending_.empty()) continue;
            return false;
        }
    }
}

}  // namespace standin::test
