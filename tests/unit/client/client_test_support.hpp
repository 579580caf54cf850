// SPDX-License-Identifier: Apache-2.0
// Builders for the server's side of the conversation, for tests of the client's sans-io core.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "standin/protocol/frame_decoder.hpp"
#include "standin/protocol/frame_encoder.hpp"
#include "standin/protocol/message.hpp"
#include "standin/protocol/rpc.hpp"

namespace standin::client::test {

namespace rpc = protocol::rpc;
using rpc::message_type;

// A server message: `extra` headers first, then the three RPC headers (as the Java nucleus orders
// them), and `payload`.
inline protocol::message server_message(message_type type, std::int32_t flags, std::int32_t stream_id,
                                        std::vector<protocol::header> extra = {},
                                        std::string payload = {}) {
    protocol::message msg{std::move(extra), std::move(payload)};
    rpc::append_rpc_headers(msg.headers, type, flags, stream_id);
    return msg;
}

inline protocol::message connect_ack(bool accepted) {
    return server_message(message_type::connect_ack, accepted ? rpc::flag_connection_accepted : 0, 0);
}

// The response of protocol.md §4.2: :content-type, service-model-type, then the RPC headers.
inline protocol::message response(std::int32_t stream_id, std::string_view shape, std::string payload,
                                  std::int32_t flags = rpc::flag_terminate_stream) {
    return server_message(
        message_type::application_message, flags, stream_id,
        {{":content-type", std::string{"application/json"}}, {"service-model-type", std::string{shape}}},
        std::move(payload));
}

inline protocol::message event(std::int32_t stream_id, std::string payload,
                               std::string_view shape = "aws.greengrass#SubscriptionResponseMessage",
                               std::int32_t flags = 0) {
    return response(stream_id, shape, std::move(payload), flags);
}

// The modeled error of protocol.md §4.4 with the four keys (plus `extra` members).
inline std::string error_body(std::string_view code, std::string_view message,
                              nlohmann::ordered_json extra = nlohmann::ordered_json::object()) {
    nlohmann::ordered_json body;
    body["message"] = message;
    for (auto& [k, v] : extra.items())
        body[k] = v;
    body["_service"] = "aws.greengrass#GreengrassCoreIPC";
    body["_message"] = message;
    body["_errorCode"] = code;
    return body.dump();
}

inline protocol::message modeled_error(std::int32_t stream_id, std::string_view code,
                                       std::string_view message,
                                       nlohmann::ordered_json extra = nlohmann::ordered_json::object(),
                                       std::int32_t flags = rpc::flag_terminate_stream) {
    return server_message(message_type::application_error, flags, stream_id,
                          {{":content-type", std::string{"application/json"}},
                           {"service-model-type", "aws.greengrass#" + std::string{code}}},
                          error_body(code, message, std::move(extra)));
}

inline protocol::message internal_server_error(std::int32_t stream_id) {
    return server_message(message_type::application_error, rpc::flag_terminate_stream, stream_id,
                          {{":content-type", std::string{"text/plain"}}}, "InternalServerError");
}

// The Java framework's answer to an unknown operation name (protocol.md §4.4).
inline protocol::message unsupported_operation(std::int32_t stream_id, std::string_view operation) {
    return server_message(message_type::application_error, rpc::flag_terminate_stream, stream_id,
                          {{":content-type", std::string{"application/json"}}},
                          R"({ "error": "Unsupported Operation", "message": ")" +
                              std::string{operation} + R"( is an unsupported operation." })");
}

// The server's empty close (protocol.md §4.3).
inline protocol::message empty_terminate(std::int32_t stream_id) {
    return server_message(message_type::application_message, rpc::flag_terminate_stream, stream_id);
}

inline std::span<const std::uint8_t> as_bytes(const std::string& s) {
    return {reinterpret_cast<const std::uint8_t*>(s.data()), s.size()};
}

// Decodes one frame the client produced.
inline protocol::message decode(const protocol::encoded_frame& frame) {
    const auto bytes = frame.to_string();
    protocol::message out;
    if (auto ec = protocol::decode_frame(as_bytes(bytes), {}, out)) {
        throw std::runtime_error("the client's frame does not decode: " + ec.message());
    }
    return out;
}

// Encodes `msg` into one frame (for byte comparisons).
inline std::string encode(const protocol::message& msg) {
    auto bytes = protocol::encode_message(msg);
    if (!bytes) throw std::runtime_error("encode failed");
    return *bytes;
}

inline std::vector<std::string> header_names(const protocol::message& msg) {
    std::vector<std::string> names;
    for (const auto& h : msg.headers)
        names.push_back(h.name);
    return names;
}

}  // namespace standin::client::test
