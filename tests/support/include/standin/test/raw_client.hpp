// SPDX-License-Identifier: Apache-2.0
// A blocking AF_UNIX eventstream-RPC client for integration tests and benchmarks. It sends raw
// bytes or encoded messages and reads decoded frames with poll() under a deadline: nothing here
// sleeps. Problems it cannot return (a framing error, a barrier that never completes) are also
// reported through standin/test/failure.hpp.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "standin/protocol/frame_decoder.hpp"
#include "standin/protocol/message.hpp"
#include "standin/test/fd.hpp"

namespace standin::test {

using std::chrono::milliseconds;

// How long a test waits for something that must happen.
inline constexpr milliseconds default_timeout{5000};

// One decoded frame plus its exact bytes on the wire.
struct received_frame {
    protocol::message message;
    std::string bytes;
};

class raw_client {
public:
    // Connects to `socket_path`; throws std::runtime_error when that fails.
    explicit raw_client(const std::string& socket_path);
    raw_client(raw_client&& other) noexcept;
    raw_client& operator=(raw_client&& other) noexcept;
    raw_client(const raw_client&) = delete;
    raw_client& operator=(const raw_client&) = delete;
    ~raw_client();

    int fd() const noexcept { return fd_.get(); }

    // Writes every byte (blocking). False when the peer has gone (EPIPE/ECONNRESET); never raises
    // SIGPIPE.
    bool send_bytes(std::string_view bytes);
    bool send(const protocol::message& msg);
    // Writes what the socket takes without blocking: the number of bytes written (0 when full).
    // Sets `peer_gone` when the peer has gone.
    std::size_t send_some(std::string_view bytes, bool& peer_gone);

    // Next frame, or nullopt on timeout, EOF or a framing error (see eof()/framing_error()).
    std::optional<received_frame> read_frame(milliseconds timeout = default_timeout);
    std::optional<protocol::message> read_message(milliseconds timeout = default_timeout);
    // Reads until `count` messages arrived or the deadline passed; returns what arrived.
    std::vector<protocol::message> read_messages(std::size_t count,
                                                 milliseconds timeout = default_timeout);
    // The next message already read and decoded, without any I/O; nullopt when none is buffered.
    std::optional<protocol::message> take_buffered();

    // The peer closed its end (read returned 0, or ECONNRESET) and every buffered frame was read.
    bool eof() const noexcept { return eof_ && pending_.empty(); }
    bool reset() const noexcept { return reset_; }
    bool framing_error() const noexcept { return framing_error_; }

    // CONNECT with `token`, then the server's first message (the CONNECT_ACK), or nullopt.
    std::optional<received_frame> connect_as(std::string_view token,
                                             milliseconds timeout = default_timeout);
    // connect_as() that throws std::runtime_error unless the ack accepts the connection.
    void connect_or_throw(std::string_view token, milliseconds timeout = default_timeout);

    // The next client stream id (1, 2, 3, ...); request() without an id takes it. Every message
    // sent counts: its :stream-id, when higher, becomes the last one used.
    std::int32_t next_stream_id() noexcept { return ++last_stream_id_; }
    // Sends the first message of a stream; returns the stream id used.
    std::int32_t request(std::int32_t stream_id, std::string_view operation,
                         const nlohmann::json& payload);
    std::int32_t request(std::string_view operation, const nlohmann::json& payload);
    // Sends a request and returns the first message the server sends back (any stream), or nullopt.
    std::optional<protocol::message> call(std::string_view operation, const nlohmann::json& payload,
                                          milliseconds timeout = default_timeout);

    // Sends a PING carrying a unique header and reads until the matching PING_RESPONSE. Returns
    // every other message that arrived before it (so a test can assert that nothing else came),
    // or nullopt when no PING_RESPONSE arrived in time.
    std::optional<std::vector<protocol::message>> ping_barrier(milliseconds timeout = default_timeout);

    // Reads until EOF. True when the peer closed within the deadline; `before` receives every
    // message that arrived first.
    bool expect_closed(milliseconds timeout = default_timeout,
                       std::vector<protocol::message>* before = nullptr);

    // Closes our end.
    void close() noexcept;

private:
    using clock = std::chrono::steady_clock;
    // Decodes what is buffered; then polls and reads once. False on timeout or EOF.
    bool fill(clock::time_point deadline);
    void decode_buffered();

    unique_fd fd_;
    protocol::frame_decoder decoder_;
    std::string inbuf_;          // read but not yet fed to the decoder
    std::string current_frame_;  // bytes of the frame being decoded
    std::deque<received_frame> pending_;
    bool eof_ = false;
    bool reset_ = false;
    bool framing_error_ = false;
    std::int32_t last_stream_id_ = 0;
};

}  // namespace standin::test
