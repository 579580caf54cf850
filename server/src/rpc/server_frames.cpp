// SPDX-License-Identifier: Apache-2.0
#include "rpc/server_frames.hpp"

#include <memory>

#include "standin/protocol/crc32.hpp"
#include "standin/protocol/errc.hpp"
#include "standin/protocol/rpc.hpp"

namespace standin::server::frames {

namespace rpc = protocol::rpc;

namespace {

// The :stream-id header comes last (rpc::append_rpc_headers): its int32 value ends the block.
constexpr std::size_t stream_id_value_size = 4;

protocol::header string_header(std::string_view name, std::string_view value) {
    return {std::string{name}, std::string{value}};
}

boost::system::result<protocol::encoded_frame> stream_frame(
    std::int32_t stream_id, rpc::message_type type, std::vector<protocol::header> headers,
    protocol::shared_payload payload, bool terminate, std::uint32_t max_frame_size) {
    rpc::append_rpc_headers(headers, type, terminate ? rpc::flag_terminate_stream : 0, stream_id);
    return protocol::encode_frame(headers, std::move(payload), max_frame_size);
}

// Error frames are small and made of valid headers; failing to encode one is a bug.
protocol::encoded_frame must(boost::system::result<protocol::encoded_frame> frame) {
    return std::move(frame).value();
}

protocol::shared_payload share(std::string text) {
    return protocol::make_payload(std::move(text));
}

}  // namespace

boost::system::result<protocol::encoded_frame> encode(const protocol::message& msg,
                                                      std::uint32_t max_frame_size) {
    return protocol::encode_frame(msg.headers, share(msg.payload), max_frame_size);
}

message_head_encoder::message_head_encoder(std::string_view shape, bool terminate) : shape_(shape) {
    // Encoded by the general encoder, so that both cannot drift apart; a shape id is short, so the
    // frame always fits.
    const auto frame =
        application_message(0, shape, nullptr, terminate, protocol::default_max_frame_size);
    header_block_ = frame.value().head.substr(protocol::prelude_size);
    const std::string_view fixed{header_block_.data(), header_block_.size() - stream_id_value_size};
    fixed_headers_crc_ = protocol::crc32(0, fixed);
    fixed_headers_combine_ = protocol::crc32_combine_operator(fixed.size());
}

std::size_t message_head_encoder::head_size() const noexcept {
    return protocol::prelude_size + header_block_.size();
}

std::size_t message_head_encoder::frame_size(std::size_t payload_size) const noexcept {
    constexpr std::size_t message_crc_size = protocol::frame_overhead - protocol::prelude_size;
    return head_size() + payload_size + message_crc_size;
}

std::array<std::uint8_t, 4> message_head_encoder::append_head(
    std::string& out, std::int32_t stream_id, const protocol::payload_buffer* payload) const {
    auto put_u32 = [](char* at, std::uint32_t v) {
        at[0] = static_cast<char>(v >> 24);
        at[1] = static_cast<char>(v >> 16);
        at[2] = static_cast<char>(v >> 8);
        at[3] = static_cast<char>(v);
    };
    const std::size_t payload_size = payload != nullptr ? payload->size() : 0;
    const std::size_t start = out.size();
    out.resize(start + head_size());
    char* head = out.data() + start;
    put_u32(head, static_cast<std::uint32_t>(frame_size(payload_size)));
    put_u32(head + 4, static_cast<std::uint32_t>(header_block_.size()));
    const std::uint32_t prelude_crc = protocol::crc32(0, std::string_view{head, 8});
    put_u32(head + 8, prelude_crc);
    header_block_.copy(head + protocol::prelude_size, header_block_.size());
    char* stream_id_value = head + head_size() - stream_id_value_size;
    put_u32(stream_id_value, static_cast<std::uint32_t>(stream_id));
    // The message CRC: the prelude (going on from its first 8 bytes' CRC), then the fixed headers
    // (by their CRC), then the stream id.
    std::uint32_t crc = protocol::crc32(prelude_crc, std::string_view{head + 8, 4});
    crc = protocol::crc32_combine_with(crc, fixed_headers_crc_, fixed_headers_combine_);
    crc = protocol::crc32(crc, std::string_view{stream_id_value, stream_id_value_size});
    if (payload != nullptr) crc = payload->crc_after(crc);
    return {static_cast<std::uint8_t>(crc >> 24), static_cast<std::uint8_t>(crc >> 16),
            static_cast<std::uint8_t>(crc >> 8), static_cast<std::uint8_t>(crc)};
}

boost::system::result<protocol::encoded_frame> message_head_encoder::encode(
    std::int32_t stream_id, protocol::shared_payload payload, std::uint32_t max_frame_size) const {
    if (frame_size(payload ? payload->size() : 0) > max_frame_size)
        return std::error_code{protocol::errc::frame_too_long};
    protocol::encoded_frame frame;
    frame.head.reserve(head_size());
    frame.trailer = append_head(frame.head, stream_id, payload.get());
    frame.payload = std::move(payload);
    return frame;
}

boost::system::result<protocol::encoded_frame> application_message(std::int32_t stream_id,
                                                                   std::string_view shape,
                                                                   protocol::shared_payload payload,
                                                                   bool terminate,
                                                                   std::uint32_t max_frame_size) {
    return stream_frame(stream_id, rpc::message_type::application_message,
                        {string_header(rpc::header_content_type, rpc::content_type_json),
                         string_header(rpc::header_service_model_type, shape)},
                        std::move(payload), terminate, max_frame_size);
}

protocol::encoded_frame modeled_error(std::int32_t stream_id, const model::ipc_error& error) {
    auto frame = stream_frame(stream_id, rpc::message_type::application_error,
                              {string_header(rpc::header_content_type, rpc::content_type_json),
                               string_header(rpc::header_service_model_type, error.shape_id())},
                              share(error.to_json()), true, protocol::default_max_frame_size);
    // A message quoting a near-maximal request (a huge topic, twice) can outgrow a frame.
    return frame ? std::move(*frame) : internal_server_error(stream_id);
}

protocol::encoded_frame internal_server_error(std::int32_t stream_id) {
    return must(stream_frame(stream_id, rpc::message_type::application_error,
                             {string_header(rpc::header_content_type, rpc::content_type_text)},
                             share("InternalServerError"), true, protocol::default_max_frame_size));
}

protocol::encoded_frame close_stream(std::int32_t stream_id) {
    return must(stream_frame(stream_id, rpc::message_type::application_message, {}, share({}), true,
                             protocol::default_max_frame_size));
}

protocol::encoded_frame unsupported_operation(std::int32_t stream_id, std::string_view operation) {
    std::string body = R"({ "error": "Unsupported Operation", "message": ")";
    body += operation;
    body += R"( is an unsupported operation." })";
    return must(stream_frame(stream_id, rpc::message_type::application_error,
                             {string_header(rpc::header_content_type, rpc::content_type_json)},
                             share(std::move(body)), true, protocol::default_max_frame_size));
}

}  // namespace standin::server::frames
