// SPDX-License-Identifier: Apache-2.0
// The client side of eventstream-RPC as a pure state machine: no sockets, no Asio, no clock.
//
// Outgoing: connect(), open_stream(), close_stream() and ping() return the encoded frame to write
// (and commit the state change only when encoding succeeded, so stream ids on the wire stay
// 1, 2, 3, ... without gaps).
// Incoming: on_message() turns each decoded server message into actions; on_disconnect() fails
// everything still pending. After a connection_failed action, the caller closes the socket and
// calls on_disconnect() with that error.
//
// What each server message means (protocol.md §2.3-2.4, §3.4, §4.2-4.4):
//   stream 0, before CONNECT_ACK:  CONNECT_ACK flags&1 -> connect_accepted, else connect_rejected;
//                                  PROTOCOL_ERROR / INTERNAL_ERROR -> connection_failed;
//                                  anything else -> connection_failed (protocol_error).
//   stream 0, connected:           PING_RESPONSE -> ping_response (oldest ping; ignored when none);
//                                  PING -> ignored (the JS SDK ignores server pings);
//                                  PROTOCOL_ERROR -> connection_failed (protocol_error);
//                                  INTERNAL_ERROR -> connection_failed (server_internal_error);
//                                  any other type -> connection_failed (protocol_error).
//   stream N > 0:                  type > 1 -> connection_failed; N never opened -> connection_failed;
//                                  N already closed -> dropped (a close may cross the server's reply).
//     before the response:         APPLICATION_MESSAGE with service-model-type "<op>Response" and a
//                                  JSON payload -> response (unary: the stream is done, and a
//                                  TERMINATE is sent when the server did not set it; streaming: the
//                                  stream is now open, and ends at once when TERMINATE is set);
//                                  APPLICATION_ERROR -> call_failed with the classified error;
//                                  an empty TERMINATE -> call_failed (stream_closed_by_server);
//                                  anything else -> call_failed (unexpected_response) + TERMINATE.
//     open stream:                 APPLICATION_MESSAGE with a service-model-type and JSON -> event
//                                  (then stream_ended when it carries TERMINATE);
//                                  empty TERMINATE -> stream_ended (stream_closed_by_server);
//                                  APPLICATION_ERROR -> stream_ended with the classified error;
//                                  anything else -> stream_ended (unexpected_response) + TERMINATE.
//   Error classification: `:content-type: text/plain` -> internal_server_error (message = payload);
//   a service-model-type -> the modeled error named by `_errorCode` (else the shape), with the
//   server's message and the whole body; no service-model-type and {"error": "Unsupported
//   Operation"} -> unsupported_operation; otherwise unexpected_response.
//   A missing :message-type/:message-flags/:stream-id -> connection_failed (protocol_error).
#pragma once

#include <cstdint>
#include <deque>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include <nlohmann/json.hpp>

#include "standin/client/config.hpp"
#include "standin/client/error.hpp"
#include "standin/protocol/frame_encoder.hpp"
#include "standin/protocol/limits.hpp"
#include "standin/protocol/message.hpp"

namespace standin::client::detail {

enum class stream_kind {
    unary,      // request/response: done with the response
    streaming,  // subscribe: the response opens the stream
};

namespace action {
struct send {  // write this frame (the FSM's own TERMINATE replies)
    protocol::encoded_frame frame;
};
struct connect_accepted {};
struct connect_rejected {};
struct response {  // the first reply of stream `stream_id`
    std::int32_t stream_id = 0;
    nlohmann::json body;
};
struct call_failed {  // stream `stream_id` failed before its response; it is gone
    std::int32_t stream_id = 0;
    client::error error;
};
struct event {
    std::int32_t stream_id = 0;
    std::string shape;
    nlohmann::json body;
};
struct stream_ended {  // an open stream ended; it is gone
    std::int32_t stream_id = 0;
    client::error error;
};
struct ping_response {
    std::string payload;
};
struct connection_failed {  // close the socket, then call on_disconnect(error)
    client::error error;
};
}  // namespace action

using action_t = std::variant<action::send, action::connect_accepted, action::connect_rejected,
                              action::response, action::call_failed, action::event, action::stream_ended,
                              action::ping_response, action::connection_failed>;

// An outgoing request: the stream id it was given and its frame.
struct outgoing {
    std::int32_t stream_id = 0;
    protocol::encoded_frame frame;
};

class client_fsm {
public:
    enum class state { idle, awaiting_ack, connected, closed };

    struct options {
        request_headers headers = request_headers::js_sdk;
        std::uint32_t max_frame_size = protocol::default_max_frame_size;
    };

    client_fsm() : client_fsm(options{}) {}
    explicit client_fsm(options opts) noexcept;

    // CONNECT with :version 0.1.0 and {"authToken":"<token>"}. Precondition: state() == idle.
    result<protocol::encoded_frame> connect(std::string_view auth_token);

    // The first message of a new stream for `operation` ("aws.greengrass#PublishToTopic") with the JSON
    // text `payload`. Fails with not_connected (or closed) unless connected, request_too_large when
    // the frame does not fit; the id is then not used.
    result<outgoing> open_stream(std::string_view operation, std::string_view payload, stream_kind kind);

    // TERMINATE_STREAM for a stream this client gives up (closed, cancelled, timed out). nullopt when
    // the stream is not pending or open (already ended: nothing to send).
    std::optional<protocol::encoded_frame> close_stream(std::int32_t stream_id);

    // PING with `payload`. Fails unless connected.
    result<protocol::encoded_frame> ping(std::string_view payload = {});

    // Appends what `msg` means to `out`.
    void on_message(const protocol::message& msg, std::vector<action_t>& out);

    // The connection is gone: every pending call and open stream fails with `why` (call_failed /
    // stream_ended, in stream id order) and every pending ping is forgotten. State becomes closed.
    void on_disconnect(const error& why, std::vector<action_t>& out);

    state current_state() const noexcept { return state_; }
    // The id the next open_stream() will use.
    std::int32_t next_stream_id() const noexcept { return last_stream_id_ + 1; }
    // Streams pending a response or open.
    std::size_t stream_count() const noexcept { return streams_.size(); }
    bool has_stream(std::int32_t id) const noexcept { return streams_.count(id) != 0; }
    // Pings sent and not answered yet.
    std::size_t pending_pings() const noexcept { return pending_pings_; }

private:
    struct stream_record {
        stream_kind kind = stream_kind::unary;
        std::string response_shape;  // "<operation>Response"
        bool activated = false;      // the response arrived (streaming only stays after that)
    };

    void on_connection_message(const protocol::message& msg, std::int32_t type, std::int32_t flags,
                               std::vector<action_t>& out);
    void on_stream_message(const protocol::message& msg, std::int32_t type, std::int32_t flags,
                           std::int32_t stream_id, std::vector<action_t>& out);
    void fail(errc code, std::string message, std::vector<action_t>& out);
    protocol::encoded_frame terminate_frame(std::int32_t stream_id) const;

    options options_;
    state state_ = state::idle;
    std::int32_t last_stream_id_ = 0;
    std::map<std::int32_t, stream_record> streams_;
    std::size_t pending_pings_ = 0;
};

// The error an APPLICATION_ERROR message stands for (see the classification above).
error classify_application_error(const protocol::message& msg);

}  // namespace standin::client::detail
