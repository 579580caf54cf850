// SPDX-License-Identifier: Apache-2.0
// What a service may do with the streams of the connections that call it, without knowing
// sessions: send events on an open stream and end one from the server's side. Shared by the RPC
// layer (which implements it) and the services (which use it), so neither includes the other.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

#include "standin/model/errors.hpp"
#include "standin/protocol/frame_encoder.hpp"

namespace standin::server {

class stream_sink {
public:
    virtual ~stream_sink() = default;

    // Queues a stream event of `shape` (a shape id of the operation table: static storage, as it
    // may be kept until the event is written) on the open stream `stream_id`. False when it was not
    // queued: the stream is not open (any more), the connection is closing, or the connection's outbound
    // limit was reached (the stream is then closed with a ServiceError and its resource released).
    virtual bool send_event(std::int32_t stream_id, std::string_view shape,
                            const protocol::shared_payload& payload) = 0;

    // Ends the open stream `stream_id` from the server's side: with `error` as a modeled error
    // frame, or without one as the nucleus's closeStream() does (an empty TERMINATE_STREAM
    // message). Releases the stream's resource. No effect when the stream is not open.
    virtual void close_stream(std::int32_t stream_id, std::optional<model::ipc_error> error) = 0;

    // For log lines.
    virtual std::uint64_t connection_id() const noexcept = 0;
};

// What a streaming operation keeps alive while its stream is open (a subscription). Destroyed when
// the stream closes from either side or the connection ends.
class stream_resource {
public:
    virtual ~stream_resource() = default;
};

}  // namespace standin::server
