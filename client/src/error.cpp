// SPDX-License-Identifier: Apache-2.0
#include "standin/client/error.hpp"

#include <array>
#include <optional>
#include <ostream>
#include <utility>

namespace standin::client {
namespace {

// The modeled error shapes are the model's (standin/model/errors.hpp): errc::service_error ...
// errc::invalid_client_device_auth_token_error follow model::error_kind, in its order.
constexpr int modeled_count =
    static_cast<int>(model::error_kind::invalid_client_device_auth_token_error) + 1;
static_assert(static_cast<int>(errc::service_error) + modeled_count - 1 ==
                  static_cast<int>(errc::invalid_client_device_auth_token_error),
              "errc's modeled errors mirror model::error_kind");
static_assert(static_cast<int>(errc::invalid_client_device_auth_token_error) + 1 ==
              static_cast<int>(errc::other_modeled_error));

std::optional<model::error_kind> kind_of(errc e) noexcept {
    const int offset = static_cast<int>(e) - static_cast<int>(errc::service_error);
    if (offset < 0 || offset >= modeled_count) return std::nullopt;
    return static_cast<model::error_kind>(offset);
}

class category final : public std::error_category {
public:
    const char* name() const noexcept override { return "standin.client"; }

    std::string message(int value) const override {
        const auto e = static_cast<errc>(value);
        if (const auto kind = kind_of(e)) return std::string{model::error_code(*kind)};
        switch (e) {
            case errc::missing_socket_path:
                return "no IPC socket path";
            case errc::missing_token:
                return "no SVCUID token";
            case errc::invalid_socket_path:
                return "invalid IPC socket path";
            case errc::socket_not_found:
                return "IPC socket not found";
            case errc::socket_refused:
                return "IPC socket refused the connection";
            case errc::socket_access_denied:
                return "no permission to connect to the IPC socket";
            case errc::socket_error:
                return "IPC socket error";
            case errc::connect_timeout:
                return "IPC connect timed out";
            case errc::access_denied:
                return "IPC connection access denied";
            case errc::already_connected:
                return "connect was already called";
            case errc::not_connected:
                return "not connected";
            case errc::closed:
                return "connection closed by the client";
            case errc::disconnected:
                return "disconnected";
            case errc::protocol_error:
                return "eventstream-RPC protocol error";
            case errc::server_internal_error:
                return "server internal error";
            case errc::outbound_queue_full:
                return "outbound queue full";
            case errc::request_too_large:
                return "request too large";
            case errc::would_deadlock:
                return "blocking call on the connection's own thread";
            case errc::timeout:
                return "timed out";
            case errc::cancelled:
                return "cancelled";
            case errc::handler_failed:
                return "stream handler threw";
            case errc::internal_server_error:
                return "InternalServerError";
            case errc::unsupported_operation:
                return "unsupported operation";
            case errc::unexpected_response:
                return "unexpected response";
            case errc::stream_closed_by_server:
                return "stream closed by the server";
            case errc::framework_access_denied:
                return "AccessDenied";
            case errc::validation_error:
                return "ValidationException";
            case errc::other_modeled_error:
                return "modeled error";
            default:
                return "unknown client error";
        }
    }
};

}  // namespace

const std::error_category& client_category() noexcept {
    static const category instance;
    return instance;
}

std::error_code make_error_code(errc e) noexcept {
    return {static_cast<int>(e), client_category()};
}

bool is_modeled(errc e) noexcept {
    return e >= errc::service_error && e <= errc::other_modeled_error;
}

errc modeled_error_from_name(std::string_view name) noexcept {
    for (int i = 0; i < modeled_count; ++i) {
        const auto kind = static_cast<model::error_kind>(i);
        if (model::error_code(kind) == name) return to_errc(kind);
    }
    return errc::other_modeled_error;
}

errc to_errc(model::error_kind kind) noexcept {
    return static_cast<errc>(static_cast<int>(errc::service_error) + static_cast<int>(kind));
}

std::optional<model::error_kind> error::kind() const noexcept {
    if (code.category() != client_category()) return std::nullopt;
    return kind_of(static_cast<errc>(code.value()));
}

std::string error::error_code() const {
    if (!is_modeled()) return {};
    if (body.is_object()) {
        if (auto it = body.find("_errorCode"); it != body.end() && it->is_string()) {
            return it->get<std::string>();
        }
    }
    const auto hash = shape.find('#');
    return hash == std::string::npos ? shape : shape.substr(hash + 1);
}

bool error::is_modeled() const noexcept {
    return code.category() == client_category() && client::is_modeled(static_cast<errc>(code.value()));
}

std::string error::what() const {
    std::string head = is_modeled() ? error_code() : code.message();
    if (head.empty()) head = code.message();
    if (message.empty()) return head;
    return head + ": " + message;
}

error error::make(errc e, std::string message) {
    error out;
    out.code = e;
    out.message = std::move(message);
    return out;
}

bool operator==(const error& e, errc code) noexcept {
    return e.code == make_error_code(code);
}

std::ostream& operator<<(std::ostream& out, const error& e) {
    return out << e.what();
}

exception::exception(client::error e)
    : std::system_error(e.code), error_(std::move(e)), what_(error_.what()) {}

void throw_exception_from_error(const error& e, const boost::source_location&) {
    throw exception(e);
}

}  // namespace standin::client
