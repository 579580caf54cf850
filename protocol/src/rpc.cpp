// SPDX-License-Identifier: Apache-2.0
#include "standin/protocol/rpc.hpp"

#include <algorithm>

namespace standin::protocol::rpc {
namespace {

// A same-named header of another type does not hide a later int32 one: aws-c-event-stream skips
// it, and the server must accept exactly what the reference accepts.
const std::int32_t* find_int32(const message& msg, std::string_view name) noexcept {
    for (const auto& h : msg.headers) {
        if (const auto* v = std::get_if<std::int32_t>(&h.value);
            v != nullptr && ascii_iequals(h.name, name)) {
            return v;
        }
    }
    return nullptr;
}

}  // namespace

std::optional<metadata> extract_metadata(const message& msg) noexcept {
    const auto* type = find_int32(msg, header_message_type);
    const auto* flags = find_int32(msg, header_message_flags);
    const auto* stream_id = find_int32(msg, header_stream_id);
    if (type == nullptr || flags == nullptr || stream_id == nullptr) {
        return std::nullopt;
    }
    return metadata{*type, *flags, *stream_id};
}

std::optional<std::string_view> operation_of(const message& msg) noexcept {
    for (const auto& h : msg.headers) {
        if (const auto* v = std::get_if<std::string>(&h.value);
            v != nullptr && ascii_iequals(h.name, header_operation)) {
            return std::string_view{*v};
        }
    }
    return std::nullopt;
}

void append_rpc_headers(std::vector<header>& out, message_type type, std::int32_t flags,
                        std::int32_t stream_id) {
    out.push_back(header{std::string{header_message_type}, static_cast<std::int32_t>(type)});
    out.push_back(header{std::string{header_message_flags}, flags});
    out.push_back(header{std::string{header_stream_id}, stream_id});
}

}  // namespace standin::protocol::rpc
