// SPDX-License-Identifier: Apache-2.0
#include "rpc/connection_fsm.hpp"

#include <charconv>

#include "standin/protocol/rpc.hpp"

namespace standin::server {

namespace rpc = protocol::rpc;

namespace {

using rpc::message_type;

constexpr std::int32_t as_int(message_type t) {
    return static_cast<std::int32_t>(t);
}

protocol::message connection_message(message_type type, std::int32_t flags,
                                     std::vector<protocol::header> headers, std::string payload) {
    protocol::message msg{std::move(headers), std::move(payload)};
    rpc::append_rpc_headers(msg.headers, type, flags, 0);
    return msg;
}

protocol::message json_connection_message(message_type type, std::string_view payload) {
    return connection_message(
        type, 0, {{std::string{rpc::header_content_type}, std::string{rpc::content_type_json}}},
        std::string{payload});
}

// The Java server's Version.fromString: three dot-separated decimal numbers compared numerically.
bool is_supported_version(std::string_view text) {
    int parts[3] = {0, 0, 0};
    const char* p = text.data();
    const char* end = text.data() + text.size();
    for (int i = 0; i < 3; ++i) {
        if (p == end || *p < '0' || *p > '9') return false;
        auto [next, ec] = std::from_chars(p, end, parts[i]);
        if (ec != std::errc{}) return false;
        p = next;
        if (i < 2) {
            if (p == end || *p != '.') return false;
            ++p;
        }
    }
    return p == end && parts[0] == 0 && parts[1] == 1 && parts[2] == 0;
}

}  // namespace

std::string unrecognized_message_type_payload(std::int32_t type) {
    return R"({ "error": "Unrecognized Message Type" }"message": " message type value: )" +
           std::to_string(type) + R"( is not recognized as a valid request path." })";
}

connection_fsm::connection_fsm(authenticator authenticate) : authenticate_(std::move(authenticate)) {}

void connection_fsm::protocol_error(std::string_view payload, std::vector<fsm_action_t>& out) {
    out.emplace_back(fsm_action::send{json_connection_message(message_type::protocol_error, payload)});
    out.emplace_back(fsm_action::close_after_flush{});
    state_ = state::closing;
}

void connection_fsm::on_message(protocol::message msg, std::vector<fsm_action_t>& out) {
    if (state_ == state::closing) return;  // the connection is going away; nothing more is read

    const auto meta = rpc::extract_metadata(msg);
    if (!meta) {
        protocol_error(protocol_errors::invalid_message, out);
        return;
    }
    if (state_ == state::awaiting_connect && meta->type != as_int(message_type::connect)) {
        protocol_error(protocol_errors::connect_not_completed, out);
        return;
    }
    if (meta->stream_id != 0) {
        on_stream_message(meta->type, meta->flags, meta->stream_id, std::move(msg), out);
    } else {
        on_connection_message(meta->type, std::move(msg), out);
    }
}

void connection_fsm::on_stream_message(std::int32_t type, std::int32_t flags, std::int32_t stream_id,
                                       protocol::message msg, std::vector<fsm_action_t>& out) {
    // A negative int32 is an id above INT32_MAX on the wire.
    if (type < 0 || type > as_int(message_type::application_error) || stream_id < 0) {
        protocol_error(protocol_errors::invalid_stream_id, out);
        return;
    }
    const bool terminates = (flags & rpc::flag_terminate_stream) != 0;

    if (stream_id <= last_stream_id_) {
        if (!open_streams_.contains(stream_id)) {
            // "Simultaneous close": the client's TERMINATE crossed ours.
            if (!terminates) protocol_error(protocol_errors::invalid_client_stream_id, out);
            return;
        }
        if (terminates) {
            open_streams_.erase(stream_id);
            out.emplace_back(fsm_action::stream_closed{stream_id});
        } else {
            out.emplace_back(fsm_action::stream_message{stream_id, std::move(msg)});
        }
        return;
    }

    if (stream_id != last_stream_id_ + 1) {
        protocol_error(protocol_errors::invalid_new_client_stream_id, out);
        return;
    }
    const auto operation = rpc::operation_of(msg);
    if (!operation || operation->empty()) {
        protocol_error(protocol_errors::missing_operation_name, out);
        return;
    }
    last_stream_id_ = stream_id;
    // The Java framework does not run an operation whose first message already closes the stream.
    if (terminates) return;
    open_streams_.insert(stream_id);
    out.emplace_back(fsm_action::open_stream{stream_id, std::string{*operation}, std::move(msg)});
}

void connection_fsm::on_connection_message(std::int32_t type, protocol::message msg,
                                           std::vector<fsm_action_t>& out) {
    if (type < as_int(message_type::ping) || type > as_int(message_type::internal_error)) {
        protocol_error(protocol_errors::invalid_message_type, out);
        return;
    }
    switch (static_cast<message_type>(type)) {
        case message_type::connect:
            if (state_ != state::awaiting_connect) {
                protocol_error(protocol_errors::connect_not_completed, out);
            } else {
                on_connect(msg, out);
            }
            return;
        case message_type::ping: {
            // Echo everything but the RPC layer's own ':' headers, which it adds back itself.
            std::vector<protocol::header> echoed;
            for (auto& h : msg.headers) {
                if (!h.name.starts_with(':')) echoed.push_back(std::move(h));
            }
            out.emplace_back(fsm_action::send{connection_message(
                message_type::ping_response, 0, std::move(echoed), std::move(msg.payload))});
            return;
        }
        case message_type::ping_response:
            return;
        default:  // CONNECT_ACK, PROTOCOL_ERROR, INTERNAL_ERROR sent by a client
            out.emplace_back(fsm_action::send{json_connection_message(
                message_type::internal_error, unrecognized_message_type_payload(type))});
            out.emplace_back(fsm_action::close_after_flush{});
            state_ = state::closing;
            return;
    }
}

void connection_fsm::on_connect(const protocol::message& msg, std::vector<fsm_action_t>& out) {
    // The Java server looks for the first header named exactly ":version" of type string.
    std::optional<std::string_view> version;
    for (const auto& h : msg.headers) {
        if (h.name == rpc::header_version) {
            if (const auto* text = std::get_if<std::string>(&h.value)) {
                version = *text;
                break;
            }
        }
    }

    authentication result;
    if (!version || !is_supported_version(*version)) {
        result.reason = "client version {" + std::string{version.value_or("null")} +
                        "} mismatches server version {" + std::string{rpc::protocol_version} + "}";
    } else {
        result = authenticate_(msg.payload);
    }

    const bool accepted = result.component.has_value();
    out.emplace_back(fsm_action::send{connection_message(
        message_type::connect_ack, accepted ? rpc::flag_connection_accepted : 0, {}, {})});
    if (accepted) {
        state_ = state::connected;
        out.emplace_back(fsm_action::authenticated{std::move(*result.component)});
    } else {
        state_ = state::closing;
        out.emplace_back(fsm_action::rejected{std::move(result.reason)});
        out.emplace_back(fsm_action::close_after_flush{});
    }
}

void connection_fsm::on_server_terminated(std::int32_t stream_id) {
    open_streams_.erase(stream_id);
}

}  // namespace standin::server
