// SPDX-License-Identifier: Apache-2.0
#include "client_fsm.hpp"

#include <memory>
#include <utility>

#include "standin/protocol/rpc.hpp"

namespace standin::client::detail {
namespace {

namespace rpc = protocol::rpc;

constexpr std::int32_t type_of(rpc::message_type t) noexcept {
    return static_cast<std::int32_t>(t);
}

std::optional<std::string_view> string_header(const protocol::message& msg, std::string_view name) {
    // The SDKs look these up by exact (lowercase) name (protocol.md §2.1); Python ignores case. Be as
    // lenient as Python: it costs nothing and the server's names are lowercase anyway.
    for (const auto& h : msg.headers) {
        if (const auto* v = std::get_if<std::string>(&h.value);
            v != nullptr && protocol::ascii_iequals(h.name, name)) {
            return std::string_view{*v};
        }
    }
    return std::nullopt;
}

std::optional<nlohmann::json> parse_json(std::string_view text) {
    auto value = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
    if (value.is_discarded()) return std::nullopt;
    return value;
}

std::string quote(std::string_view text, std::size_t limit = 200) {
    std::string out{"'"};
    out.append(text.substr(0, limit));
    if (text.size() > limit) out += "...";
    out += "'";
    return out;
}

std::string string_member(const nlohmann::json& body, const char* key) {
    if (body.is_object()) {
        if (auto it = body.find(key); it != body.end() && it->is_string()) return it->get<std::string>();
    }
    return {};
}

// A frame the FSM built itself: its headers and sizes are known to fit, so encoding cannot fail.
protocol::encoded_frame must_encode(const std::vector<protocol::header>& headers, std::string payload) {
    auto shared =
        payload.empty() ? protocol::shared_payload{} : protocol::make_payload(std::move(payload));
    auto frame = protocol::encode_frame(headers, std::move(shared), UINT32_MAX);
    return std::move(frame).value();
}

}  // namespace

error classify_application_error(const protocol::message& msg) {
    error e;
    const auto content_type = string_header(msg, rpc::header_content_type);
    if (content_type && *content_type == rpc::content_type_text) {
        e.code = errc::internal_server_error;
        e.message = msg.payload;
        return e;
    }
    auto body = parse_json(msg.payload);
    if (body) e.body = std::move(*body);
    if (const auto shape = string_header(msg, rpc::header_service_model_type)) {
        e.shape = std::string{*shape};
        const auto hash = shape->find('#');
        const std::string_view name = hash == std::string_view::npos ? *shape : shape->substr(hash + 1);
        const std::string_view prefix = hash == std::string_view::npos ? "" : shape->substr(0, hash);
        std::string code = string_member(e.body, "_errorCode");
        if (code.empty()) code = std::string{name};
        if (prefix == "aws") {
            // Framework errors the Java client knows (protocol.md §4.4).
            if (name == "AccessDenied") {
                e.code = errc::framework_access_denied;
            } else if (name == "UnsupportedOperation") {
                e.code = errc::unsupported_operation;
            } else if (name == "ValidationException") {
                e.code = errc::validation_error;
            } else {
                e.code = errc::other_modeled_error;
            }
        } else {
            e.code = modeled_error_from_name(code);
        }
        e.message = string_member(e.body, "message");
        if (e.message.empty()) e.message = string_member(e.body, "_message");
        return e;
    }
    if (string_member(e.body, "error") == "Unsupported Operation") {
        e.code = errc::unsupported_operation;
        e.message = string_member(e.body, "message");
        return e;
    }
    e.code = errc::unexpected_response;
    e.message = "APPLICATION_ERROR without service-model-type: " + quote(msg.payload);
    return e;
}

client_fsm::client_fsm(options opts) noexcept : options_(opts) {}

result<protocol::encoded_frame> client_fsm::connect(std::string_view auth_token) {
    if (state_ != state::idle) return error::make(errc::already_connected, "CONNECT was already sent");
    // Header order and payload as the JS SDK writes them (protocol.md §3.2): :version (the only user
    // header), then the three RPC headers; JSON.stringify({authToken}).
    std::vector<protocol::header> headers;
    headers.push_back({std::string{rpc::header_version}, std::string{rpc::protocol_version}});
    rpc::append_rpc_headers(headers, rpc::message_type::connect, 0, 0);
    nlohmann::ordered_json payload;
    payload["authToken"] = auth_token;
    auto shared = protocol::make_payload(payload.dump());
    auto frame = protocol::encode_frame(headers, std::move(shared), options_.max_frame_size);
    if (!frame) {
        return error::make(errc::request_too_large,
                           "the CONNECT frame does not fit: " + frame.error().message());
    }
    state_ = state::awaiting_ack;
    return std::move(*frame);
}

result<outgoing> client_fsm::open_stream(std::string_view operation, std::string_view payload,
                                         stream_kind kind) {
    if (state_ == state::closed) return error::make(errc::closed, "the connection is closed");
    if (state_ != state::connected) return error::make(errc::not_connected, "not connected yet");
    if (last_stream_id_ == INT32_MAX) {
        return error::make(errc::request_too_large, "stream ids are exhausted on this connection");
    }
    const std::int32_t id = last_stream_id_ + 1;
    std::vector<protocol::header> headers;
    if (options_.headers == request_headers::python_sdk) {
        headers.push_back({std::string{rpc::header_content_type}, std::string{rpc::content_type_json}});
        headers.push_back(
            {std::string{rpc::header_service_model_type}, std::string{operation} + "Request"});
    }
    rpc::append_rpc_headers(headers, rpc::message_type::application_message, 0, id);
    headers.push_back({std::string{rpc::header_operation}, std::string{operation}});
    auto shared = protocol::make_payload(std::string{payload});
    auto frame = protocol::encode_frame(headers, std::move(shared), options_.max_frame_size);
    if (!frame) {
        return error::make(errc::request_too_large, "the request for " + std::string{operation} +
                                                        " cannot be sent: " + frame.error().message());
    }
    last_stream_id_ = id;
    streams_.emplace(id, stream_record{kind, std::string{operation} + "Response", false});
    return outgoing{id, std::move(*frame)};
}

protocol::encoded_frame client_fsm::terminate_frame(std::int32_t stream_id) const {
    // The SDKs' close (protocol.md §4.3): type 0, flags TERMINATE, no other header, no payload.
    std::vector<protocol::header> headers;
    rpc::append_rpc_headers(headers, rpc::message_type::application_message, rpc::flag_terminate_stream,
                            stream_id);
    return must_encode(headers, {});
}

std::optional<protocol::encoded_frame> client_fsm::close_stream(std::int32_t stream_id) {
    if (streams_.erase(stream_id) == 0 || state_ != state::connected) return std::nullopt;
    return terminate_frame(stream_id);
}

result<protocol::encoded_frame> client_fsm::ping(std::string_view payload) {
    if (state_ == state::closed) return error::make(errc::closed, "the connection is closed");
    if (state_ != state::connected) return error::make(errc::not_connected, "not connected yet");
    std::vector<protocol::header> headers;
    rpc::append_rpc_headers(headers, rpc::message_type::ping, 0, 0);
    auto shared =
        payload.empty() ? protocol::shared_payload{} : protocol::make_payload(std::string{payload});
    auto frame = protocol::encode_frame(headers, std::move(shared), options_.max_frame_size);
    if (!frame) return error::make(errc::request_too_large, "the PING does not fit");
    ++pending_pings_;
    return std::move(*frame);
}

void client_fsm::fail(errc code, std::string message, std::vector<action_t>& out) {
    out.emplace_back(action::connection_failed{error::make(code, std::move(message))});
}

void client_fsm::on_message(const protocol::message& msg, std::vector<action_t>& out) {
    if (state_ == state::idle || state_ == state::closed) return;
    const auto meta = rpc::extract_metadata(msg);
    if (!meta) {
        fail(errc::protocol_error,
             "the server sent a message without :message-type, :message-flags or :stream-id", out);
        return;
    }
    if (meta->stream_id == 0) {
        on_connection_message(msg, meta->type, meta->flags, out);
    } else {
        on_stream_message(msg, meta->type, meta->flags, meta->stream_id, out);
    }
}

void client_fsm::on_connection_message(const protocol::message& msg, std::int32_t type,
                                       std::int32_t flags, std::vector<action_t>& out) {
    const auto server_message = [&] {
        auto body = parse_json(msg.payload);
        std::string text = body ? string_member(*body, "message") : std::string{};
        return text.empty() ? quote(msg.payload) : text;
    };
    if (type == type_of(rpc::message_type::protocol_error)) {
        fail(errc::protocol_error, "the server sent PROTOCOL_ERROR: " + server_message(), out);
        return;
    }
    if (type == type_of(rpc::message_type::internal_error)) {
        fail(errc::server_internal_error, "the server sent INTERNAL_ERROR: " + server_message(), out);
        return;
    }
    if (state_ == state::awaiting_ack) {
        if (type != type_of(rpc::message_type::connect_ack)) {
            fail(errc::protocol_error,
                 "the server sent message type " + std::to_string(type) + " before CONNECT_ACK", out);
            return;
        }
        if ((flags & rpc::flag_connection_accepted) != 0) {
            state_ = state::connected;
            out.emplace_back(action::connect_accepted{});
        } else {
            state_ = state::closed;
            out.emplace_back(action::connect_rejected{});
        }
        return;
    }
    if (type == type_of(rpc::message_type::ping_response)) {
        if (pending_pings_ > 0) {
            --pending_pings_;
            out.emplace_back(action::ping_response{msg.payload});
        }
        return;
    }
    if (type == type_of(rpc::message_type::ping)) return;
    fail(errc::protocol_error,
         "the server sent message type " + std::to_string(type) + " on stream 0 after CONNECT_ACK", out);
}

void client_fsm::on_stream_message(const protocol::message& msg, std::int32_t type, std::int32_t flags,
                                   std::int32_t stream_id, std::vector<action_t>& out) {
    if (state_ != state::connected) {
        fail(errc::protocol_error, "the server sent a stream message before CONNECT_ACK", out);
        return;
    }
    if (type != type_of(rpc::message_type::application_message) &&
        type != type_of(rpc::message_type::application_error)) {
        fail(errc::protocol_error,
             "the server sent message type " + std::to_string(type) + " on stream " +
                 std::to_string(stream_id),
             out);
        return;
    }
    if (stream_id < 0 || stream_id > last_stream_id_) {
        fail(errc::protocol_error,
             "the server sent a message on stream " + std::to_string(stream_id) +
                 ", which this client never opened",
             out);
        return;
    }
    const auto it = streams_.find(stream_id);
    if (it == streams_.end()) return;  // closed by us; the server's reply crossed our TERMINATE

    const bool terminate = (flags & rpc::flag_terminate_stream) != 0;
    stream_record& record = it->second;
    const auto finish = [&](bool send_terminate) {
        streams_.erase(it);
        if (send_terminate && !terminate) out.emplace_back(action::send{terminate_frame(stream_id)});
    };
    const auto fail_stream = [&](error e) {
        const bool activated = record.activated;
        finish(true);
        if (activated) {
            out.emplace_back(action::stream_ended{stream_id, std::move(e)});
        } else {
            out.emplace_back(action::call_failed{stream_id, std::move(e)});
        }
    };

    if (type == type_of(rpc::message_type::application_error)) {
        fail_stream(classify_application_error(msg));
        return;
    }

    const auto shape = string_header(msg, rpc::header_service_model_type);
    if (!shape && terminate && msg.payload.empty()) {
        fail_stream(error::make(errc::stream_closed_by_server,
                                record.activated ? "the server closed the stream"
                                                 : "the server closed the stream without a response"));
        return;
    }
    auto body = parse_json(msg.payload);
    if (!record.activated) {
        if (!shape || *shape != record.response_shape || !body) {
            std::string what =
                !shape ? std::string{"no service-model-type"} : "service-model-type " + quote(*shape);
            if (shape && *shape == record.response_shape) what = "a payload that is not JSON";
            fail_stream(error::make(errc::unexpected_response, "expected " + record.response_shape +
                                                                   ", got a reply with " + what + ": " +
                                                                   quote(msg.payload)));
            return;
        }
        if (record.kind == stream_kind::unary) {
            finish(true);
            out.emplace_back(action::response{stream_id, std::move(*body)});
            return;
        }
        record.activated = true;
        out.emplace_back(action::response{stream_id, std::move(*body)});
        if (terminate) {
            finish(false);
            out.emplace_back(action::stream_ended{
                stream_id, error::make(errc::stream_closed_by_server,
                                       "the server closed the stream with its response")});
        }
        return;
    }
    if (!shape || !body) {
        fail_stream(error::make(errc::unexpected_response,
                                std::string{"the server sent a stream event "} +
                                    (!shape ? "without service-model-type" : "that is not JSON") + ": " +
                                    quote(msg.payload)));
        return;
    }
    out.emplace_back(action::event{stream_id, std::string{*shape}, std::move(*body)});
    if (terminate) {
        finish(false);
        out.emplace_back(action::stream_ended{
            stream_id, error::make(errc::stream_closed_by_server, "the server closed the stream")});
    }
}

void client_fsm::on_disconnect(const error& why, std::vector<action_t>& out) {
    for (auto& [id, record] : streams_) {
        if (record.activated) {
            out.emplace_back(action::stream_ended{id, why});
        } else {
            out.emplace_back(action::call_failed{id, why});
        }
    }
    streams_.clear();
    pending_pings_ = 0;
    state_ = state::closed;
}

}  // namespace standin::client::detail
