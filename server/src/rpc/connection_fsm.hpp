// SPDX-License-Identifier: Apache-2.0
// The server side of one eventstream-RPC connection as a pure state machine: it takes decoded
// messages and returns the actions the session must carry out. No I/O, no clocks, no logging.
//
// The rules (protocol.md §2.3, aws-c-event-stream's server, the Java nucleus's handlers), in order:
//   1. :message-type, :message-flags, :stream-id missing or not int32   -> protocol error, close
//   2. before CONNECT_ACK was sent, anything but CONNECT                 -> protocol error, close
//   3. stream > 0: type > 1 or id > INT32_MAX                            -> protocol error, close
//      known id: open -> deliver; closed + TERMINATE -> drop; closed    -> protocol error, close
//      new id: must be last + 1, must carry `operation`                 -> else protocol error, close
//   4. stream 0: type 0/1 or >= 8 -> protocol error; a second CONNECT   -> protocol error;
//      CONNECT -> authenticate + CONNECT_ACK; PING -> PING_RESPONSE; PING_RESPONSE -> ignored;
//      CONNECT_ACK / PROTOCOL_ERROR / INTERNAL_ERROR from a client       -> internal error, close
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_set>
#include <variant>
#include <vector>

#include "core/authentication.hpp"
#include "standin/protocol/message.hpp"

namespace standin::server {

// Payloads the reference server sends with PROTOCOL_ERROR / INTERNAL_ERROR, byte for byte
// (aws-c-event-stream event_stream_rpc_priv.h; the missing-operation one is invalid JSON there too).
namespace protocol_errors {
inline constexpr std::string_view invalid_stream_id =
    R"({ "message": "non-zero stream-id field is only allowed for messages of type APPLICATION_MESSAGE. The stream id max value is INT32_MAX." })";
inline constexpr std::string_view invalid_client_stream_id =
    R"({ "message": "stream-id values must be monotonically incrementing. A stream-id arrived that was lower than the last seen stream-id." })";
inline constexpr std::string_view invalid_new_client_stream_id =
    R"({ "message": "stream-id values must be monotonically incrementing. A new stream-id arrived that was incremented by more than 1." })";
inline constexpr std::string_view invalid_message_type =
    R"({ "message": "an invalid value for message-type field was received." })";
inline constexpr std::string_view invalid_message =
    R"({ "message": "A message was received with missing required fields. Check that your client is sending at least, :message-type, :message-flags, and :stream-id" })";
inline constexpr std::string_view connect_not_completed =
    R"({ "message": "A CONNECT message must be received, and the CONNECT_ACK must be sent in response, before any other message-types can be sent on this connection. In addition, only one CONNECT message is allowed on a connection." })";
inline constexpr std::string_view missing_operation_name =
    R"({ "message": "The first message for on a non-zero :stream-id must contain an operation header value."; })";
}  // namespace protocol_errors

// What the Java framework answers a client-sent CONNECT_ACK, PROTOCOL_ERROR or INTERNAL_ERROR
// (malformed JSON, sic).
std::string unrecognized_message_type_payload(std::int32_t type);

namespace fsm_action {

// Write this message on stream 0 (CONNECT_ACK, PING_RESPONSE, PROTOCOL_ERROR, INTERNAL_ERROR).
struct send {
    protocol::message message;
};
// Close the connection once everything queued so far has been written.
struct close_after_flush {};
// The handshake succeeded: the connection now speaks for `component`.
struct authenticated {
    std::string component;
};
// The handshake failed (the rejected CONNECT_ACK is in a preceding `send`). `reason` is for logs.
struct rejected {
    std::string reason;
};
// A new stream with its first message: dispatch `operation`.
struct open_stream {
    std::int32_t stream_id = 0;
    std::string operation;
    protocol::message request;
};
// A further message on an open stream that does not close it.
struct stream_message {
    std::int32_t stream_id = 0;
    protocol::message message;
};
// The client closed an open stream (TERMINATE_STREAM): release what the stream holds.
struct stream_closed {
    std::int32_t stream_id = 0;
};

}  // namespace fsm_action

using fsm_action_t =
    std::variant<fsm_action::send, fsm_action::close_after_flush, fsm_action::authenticated,
                 fsm_action::rejected, fsm_action::open_stream, fsm_action::stream_message,
                 fsm_action::stream_closed>;

class connection_fsm {
public:
    enum class state { awaiting_connect, connected, closing };

    // Decides who a CONNECT payload speaks for. Called at most once per connection.
    using authenticator = std::function<authentication(std::string_view connect_payload)>;

    explicit connection_fsm(authenticator authenticate);

    // Handles one decoded message; appends the resulting actions to `out` in execution order.
    void on_message(protocol::message msg, std::vector<fsm_action_t>& out);

    // The server wrote a message with TERMINATE_STREAM on `stream_id`: the stream is closed.
    void on_server_terminated(std::int32_t stream_id);

    state current_state() const noexcept { return state_; }
    bool is_open(std::int32_t stream_id) const { return open_streams_.contains(stream_id); }
    std::size_t open_stream_count() const noexcept { return open_streams_.size(); }
    std::int32_t last_stream_id() const noexcept { return last_stream_id_; }

private:
    void protocol_error(std::string_view payload, std::vector<fsm_action_t>& out);
    void on_connection_message(std::int32_t type, protocol::message msg, std::vector<fsm_action_t>& out);
    void on_connect(const protocol::message& msg, std::vector<fsm_action_t>& out);
    void on_stream_message(std::int32_t type, std::int32_t flags, std::int32_t stream_id,
                           protocol::message msg, std::vector<fsm_action_t>& out);

    authenticator authenticate_;
    state state_ = state::awaiting_connect;
    std::int32_t last_stream_id_ = 0;
    std::unordered_set<std::int32_t> open_streams_;
};

}  // namespace standin::server
