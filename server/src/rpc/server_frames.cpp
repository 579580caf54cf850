// SPDX-License-Identifier: Apache-2.0
#include "rpc/server_frames.hpp"

#include <memory>

#include "standin/protocol/rpc.hpp"

namespace standin::server::frames {

namespace rpc = protocol::rpc;

namespace {

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

std::size_t application_message_head_size(std::string_view shape) {
    // Built as application_message() builds its frame (an int32 header's value is always 4 bytes).
    std::vector<protocol::header> headers{
        string_header(rpc::header_content_type, rpc::content_type_json),
        string_header(rpc::header_service_model_type, shape)};
    rpc::append_rpc_headers(headers, rpc::message_type::application_message, 0, 0);
    return protocol::prelude_size + protocol::encoded_headers_size(headers);
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
