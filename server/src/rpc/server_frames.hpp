// SPDX-License-Identifier: Apache-2.0
// The application frames the server writes on a stream, exactly as the Java nucleus lays them out:
// its own headers first (:content-type, service-model-type), then the three RPC headers.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

#include "standin/model/errors.hpp"
#include "standin/protocol/frame_encoder.hpp"
#include "standin/protocol/message.hpp"

namespace standin::server::frames {

// Encodes a message the server builds itself. Its headers are known to be valid, so only the size
// can fail, and the caller decides what an oversize frame means.
boost::system::result<protocol::encoded_frame> encode(const protocol::message& msg,
                                                      std::uint32_t max_frame_size);

// Response or stream event: APPLICATION_MESSAGE with :content-type application/json and
// service-model-type `shape`.
boost::system::result<protocol::encoded_frame> application_message(std::int32_t stream_id,
                                                                   std::string_view shape,
                                                                   protocol::shared_payload payload,
                                                                   bool terminate,
                                                                   std::uint32_t max_frame_size);

// The heads of the APPLICATION_MESSAGE frames of one shape and TERMINATE flag (the responses of an
// operation, or the events of a stream), byte for byte as application_message() encodes them,
// without building a header list per frame: every such frame has the same header block but for the
// stream id, the last header's value. So the block is encoded once, and each frame copies it, sets
// those four bytes and checksums; the payload's CRC is combined, not recomputed. This is the
// per-delivery work of a fan-out, and the per-response work of every call.
class message_head_encoder {
public:
    message_head_encoder(std::string_view shape, bool terminate);

    std::string_view shape() const noexcept { return shape_; }
    // The bytes before the payload (prelude and headers): the same for every stream and payload,
    // so that a queued event's size is known before its head is encoded.
    std::size_t head_size() const noexcept;
    // The whole frame's size with `payload_size` bytes of payload.
    std::size_t frame_size(std::size_t payload_size) const noexcept;
    // Appends the head of the frame on `stream_id` carrying `payload` (null: empty) to `out`, and
    // returns the frame's trailer (its message CRC, big-endian). The caller has checked the frame's
    // size against the connection's limit.
    std::array<std::uint8_t, 4> append_head(std::string& out, std::int32_t stream_id,
                                            const protocol::payload_buffer* payload) const;
    // The whole frame; errc::frame_too_long past `max_frame_size`.
    boost::system::result<protocol::encoded_frame> encode(std::int32_t stream_id,
                                                          protocol::shared_payload payload,
                                                          std::uint32_t max_frame_size) const;

private:
    std::string_view shape_;    // a shape id of the operation table: static
    std::string header_block_;  // encoded with stream id 0
    // Only the prelude and the stream id change from one frame to the next, so the CRC of the
    // headers before the stream id is worked out once, and each frame's message CRC joins it to
    // its prelude's instead of reading the ~140 bytes of headers again.
    std::uint32_t fixed_headers_crc_ = 0;
    std::uint32_t fixed_headers_combine_ = 0;  // crc32_combine_operator(length of those headers)
};

// APPLICATION_ERROR + TERMINATE with the modeled error body.
protocol::encoded_frame modeled_error(std::int32_t stream_id, const model::ipc_error& error);

// APPLICATION_ERROR + TERMINATE, text/plain "InternalServerError": the Java framework's answer to a
// request it cannot deserialize or a handler that fails unexpectedly.
protocol::encoded_frame internal_server_error(std::int32_t stream_id);

// APPLICATION_MESSAGE + TERMINATE with no other headers and no payload: how the Java framework's
// closeStream() ends a stream without an error (protocol.md §4.3).
protocol::encoded_frame close_stream(std::int32_t stream_id);

// The Java framework's answer to an operation name it has no handler for at all.
protocol::encoded_frame unsupported_operation(std::int32_t stream_id, std::string_view operation);

}  // namespace standin::server::frames
