// SPDX-License-Identifier: Apache-2.0
// Streaming operations (SubscribeToTopic, SubscribeToConfigurationUpdate, ...): the handler that
// receives a stream's events and its end, and the handle that closes it.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "standin/client/error.hpp"

namespace standin::client {

namespace detail {
class connection_impl;
}

// One event of a stream, e.g. shape "aws.greengrass#SubscriptionResponseMessage".
struct stream_event {
    std::string shape;  // the event's service-model-type
    nlohmann::json body;
};

// Called on the connection's executor (its strand), one call at a time and in the order the server
// sent the events, never while the client holds a lock. A handler may call the client again with the
// async_ functions, and may close its own or any other stream. On a connection that owns its thread
// (the blocking API), a blocking call from a handler fails with errc::would_deadlock instead of
// hanging. While a handler runs, the connection reads nothing, so a slow handler slows the server's
// sending to this connection instead of growing a buffer (no event is queued in the client).
struct stream_handler {
    // Each event, after the subscription's response. May be empty (events are then dropped). If it
    // throws, the stream is closed and ends with errc::handler_failed, or, for a client::exception,
    // with that exception's error (how the typed handlers report an event that does not decode).
    std::function<void(stream_event)> on_event;
    // Exactly once, last, for a stream whose subscription succeeded: nullopt when this client closed
    // the stream (stream::close(), its destructor, or closing the connection); otherwise why it ended:
    // errc::stream_closed_by_server, a modeled error sent on the stream (ServiceError, ...), or the
    // connection's end (errc::disconnected, errc::protocol_error, ...). May be empty.
    std::function<void(std::optional<error>)> on_end;
};

// An open stream. Move-only; destroying or closing it sends TERMINATE_STREAM (once). It does not keep
// the connection alive: once the connection is gone, close() does nothing.
class stream {
public:
    stream() = default;
    stream(std::weak_ptr<detail::connection_impl> connection, std::int32_t id, nlohmann::json response);
    stream(stream&& other) noexcept;
    stream& operator=(stream&& other) noexcept;
    stream(const stream&) = delete;
    stream& operator=(const stream&) = delete;
    ~stream();

    // The stream id on the wire (1, 2, 3, ... per connection); 0 for an empty handle.
    std::int32_t id() const noexcept { return id_; }
    // The subscription's response body (often {}).
    const nlohmann::json& response() const noexcept { return response_; }

    // Sends TERMINATE_STREAM and ends the stream: the handler's on_end(nullopt) runs on the
    // connection's executor, unless the stream had already ended. Asynchronous, never blocks; safe
    // from any thread and from the stream's own handler. Idempotent.
    void close() noexcept;
    // Forgets the stream without closing it: it then lives until the server ends it or the
    // connection closes.
    void release() noexcept;

private:
    std::weak_ptr<detail::connection_impl> connection_;
    std::int32_t id_ = 0;
    nlohmann::json response_;
};

}  // namespace standin::client
