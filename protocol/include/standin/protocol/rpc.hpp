// SPDX-License-Identifier: Apache-2.0
// The eventstream-RPC vocabulary layered on top of event-stream frames (protocol.md §2).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "standin/protocol/message.hpp"

namespace standin::protocol::rpc {

enum class message_type : std::int32_t {
    application_message = 0,
    application_error = 1,
    ping = 2,
    ping_response = 3,
    connect = 4,
    connect_ack = 5,
    protocol_error = 6,
    internal_error = 7,
};

inline constexpr std::int32_t flag_connection_accepted = 0x1;
inline constexpr std::int32_t flag_terminate_stream = 0x2;

inline constexpr std::string_view header_message_type = ":message-type";
inline constexpr std::string_view header_message_flags = ":message-flags";
inline constexpr std::string_view header_stream_id = ":stream-id";
inline constexpr std::string_view header_operation = "operation";
inline constexpr std::string_view header_version = ":version";
inline constexpr std::string_view header_content_type = ":content-type";
inline constexpr std::string_view header_service_model_type = "service-model-type";

inline constexpr std::string_view protocol_version = "0.1.0";
inline constexpr std::string_view content_type_json = "application/json";
inline constexpr std::string_view content_type_text = "text/plain";

// The three required RPC headers of a message.
struct metadata {
    std::int32_t type = 0;  // raw value; may be outside message_type
    std::int32_t flags = 0;
    std::int32_t stream_id = 0;
};

// Reads :message-type, :message-flags and :stream-id, matching names case-insensitively and only
// with type int32, as aws-c-event-stream does. nullopt when any is missing or mistyped.
std::optional<metadata> extract_metadata(const message& msg) noexcept;

// Value of the `operation` header (case-insensitive name, string type), or nullopt.
std::optional<std::string_view> operation_of(const message& msg) noexcept;

// The three RPC headers, in the order the Java nucleus writes them, appended to `out`.
void append_rpc_headers(std::vector<header>& out, message_type type, std::int32_t flags,
                        std::int32_t stream_id);

}  // namespace standin::protocol::rpc
