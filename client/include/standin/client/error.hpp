// SPDX-License-Identifier: Apache-2.0
// Errors of the Greengrass IPC client: one value type, `error`, for everything a call, a stream or
// the connection can fail with, and `result<T>` (boost::system::result) to return it.
//
// `error::code` says what happened, as a std::error_code in client_category():
//   - configuring and connecting: missing_socket_path ... access_denied;
//   - the connection going away: closed (by this client), disconnected (by the server or the socket),
//     protocol_error / server_internal_error (the server ended it with a connection-level error);
//   - local limits and misuse: outbound_queue_full ... cancelled;
//   - framework errors of an operation: internal_server_error (the text/plain InternalServerError),
//     unsupported_operation (an operation name the server does not know), unexpected_response,
//     stream_closed_by_server;
//   - modeled errors of an operation (APPLICATION_ERROR with a `service-model-type`): service_error
//     ... invalid_client_device_auth_token_error, or other_modeled_error for a shape this client
//     does not know by name. is_modeled() tells these apart.
#pragma once

#include <iosfwd>
#include <optional>
#include <string>
#include <string_view>
#include <system_error>

#include <boost/assert/source_location.hpp>
#include <boost/system/result.hpp>
#include <nlohmann/json.hpp>

#include "standin/model/errors.hpp"

namespace standin::client {

enum class errc {
    // Configuring and connecting
    missing_socket_path = 1,  // no socket path configured and none in the environment
    missing_token,            // no SVCUID configured and none in the environment
    invalid_socket_path,      // the path does not fit in a Unix socket address (107 bytes)
    socket_not_found,         // nothing exists at the socket path (ENOENT)
    socket_refused,           // the path exists but nothing accepts connections on it (ECONNREFUSED)
    socket_access_denied,     // no permission to connect to the socket (EACCES, EPERM)
    socket_error,             // any other connect, read or write failure; the message has the cause
    connect_timeout,          // no CONNECT_ACK within connection_config::connect_timeout
    access_denied,            // the server rejected CONNECT (CONNECT_ACK without CONNECTION_ACCEPTED)
    already_connected,        // connect() on a connection that is connecting, connected or finished

    // The connection going away
    not_connected,          // a call before connect() completed
    closed,                 // this client closed the connection
    disconnected,           // the server closed the connection, or the socket failed
    protocol_error,         // PROTOCOL_ERROR from the server, or a server message breaking the protocol
    server_internal_error,  // INTERNAL_ERROR from the server on stream 0

    // Local limits and misuse
    outbound_queue_full,  // connection_config::max_outbound_bytes already queued
    request_too_large,    // the request frame is over connection_config::max_frame_size
    would_deadlock,       // a blocking call on the connection's own thread (use the async_ calls there)
    timeout,              // a blocking call's timeout expired
    cancelled,            // the asynchronous operation was cancelled (cancellation slot)
    handler_failed,       // a stream handler threw; the stream was closed

    // Framework errors of an operation
    internal_server_error,  // APPLICATION_ERROR text/plain (the nucleus's InternalServerError)
    unsupported_operation,  // the server does not know the operation name (or aws#UnsupportedOperation)
    unexpected_response,    // a reply that is not the operation's response, an event or an error
    stream_closed_by_server,  // the server ended the stream (empty TERMINATE_STREAM)
    framework_access_denied,  // modeled framework error aws#AccessDenied
    validation_error,         // modeled framework error aws#ValidationException

    // Modeled errors of the Greengrass IPC service (`_errorCode` / service-model-type)
    service_error,
    unauthorized_error,
    invalid_arguments_error,
    resource_not_found_error,
    component_not_found_error,
    conflict_error,
    failed_update_condition_check_error,
    invalid_token_error,
    invalid_recipe_directory_path_error,
    invalid_artifacts_directory_path_error,
    invalid_credential_error,
    invalid_client_device_auth_token_error,
    other_modeled_error,  // a modeled error shape not in the list above
};

const std::error_category& client_category() noexcept;
std::error_code make_error_code(errc e) noexcept;

// True for the modeled IPC errors (service_error ... other_modeled_error).
bool is_modeled(errc e) noexcept;

// The modeled error code for an `_errorCode` / shape name ("UnauthorizedError"), or
// errc::other_modeled_error for a name this client does not know.
errc modeled_error_from_name(std::string_view name) noexcept;

// The errc of a modeled error of the IPC model (errc::service_error for
// model::error_kind::service_error).
errc to_errc(model::error_kind kind) noexcept;

struct error {
    std::error_code code;
    // For modeled errors the server's `message` (else `_message`); for InternalServerError the
    // plain-text payload; otherwise a sentence naming the cause (the path, the environment variable,
    // what the server sent).
    std::string message;
    // The `service-model-type` of an error reply ("aws.greengrass#UnauthorizedError"), else empty.
    std::string shape;
    // The reply's JSON body (all of it: message, _errorCode, resourceType, context, ...); null when
    // the error did not come with a JSON body.
    nlohmann::json body;

    // Modeled error name: "UnauthorizedError" (from `_errorCode`, else the shape); empty otherwise.
    std::string error_code() const;
    bool is_modeled() const noexcept;
    // The model's kind of a modeled error the model names (nullopt for other_modeled_error and the
    // non-modeled errors): compare with an operation's model::operation_info::errors.
    std::optional<model::error_kind> kind() const noexcept;
    // "UnauthorizedError: <message>", or "<category message>: <message>" for the others.
    std::string what() const;

    static error make(errc e, std::string message);
};

bool operator==(const error& e, errc code) noexcept;
// Writes e.what().
std::ostream& operator<<(std::ostream& out, const error& e);

// What result<T>::value() throws when it holds an error.
class exception : public std::system_error {
public:
    explicit exception(client::error e);
    const client::error& details() const noexcept { return error_; }
    // details().what()
    const char* what() const noexcept override { return what_.c_str(); }

private:
    client::error error_;
    std::string what_;
};

// Found by boost::system::result<T, error>::value() through ADL.
[[noreturn]] void throw_exception_from_error(const error& e, const boost::source_location& loc);

template <class T>
using result = boost::system::result<T, error>;

}  // namespace standin::client

template <>
struct std::is_error_code_enum<standin::client::errc> : std::true_type {};
