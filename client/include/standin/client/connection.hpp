// SPDX-License-Identifier: Apache-2.0
// A Greengrass IPC client connection: eventstream-RPC over the nucleus's Unix socket, authenticated
// with the component's SVCUID token. Generic over operation name and JSON payload; typed
// per-operation calls are built on top.
//
// Two ways to run it:
//   - Blocking: `connection conn{config}` owns an io_context and one thread that runs it. Call
//     connect(), call(), subscribe(), ping(), close() from any thread but that one.
//   - Asynchronous: `connection conn{executor, config}` runs on the given executor (inside a strand
//     of it), which the caller runs. async_connect(), async_call(), ... take any Asio completion
//     token: a callback, boost::asio::use_awaitable, boost::asio::use_future, deferred, ...
//     Every completion signature has one argument, a result<T>: errors arrive as values (with the
//     server's message and body), not as exceptions; result<T>::value() throws client::exception.
//     Asynchronous operations support per-operation cancellation (terminal, partial and total, all
//     with the same effect): a cancelled call or subscription completes with errc::cancelled and its
//     stream is closed.
//
// Thread safety: every member function may be called from any thread, concurrently; the state lives
// on the strand and public calls only post to it. Completion handlers run on their associated
// executor (by default the connection's strand); stream handlers always run on the strand. No handler
// ever runs while the client holds a lock. On the connection's own thread (its strand, or in blocking
// mode the thread it owns), the blocking calls fail at once with errc::would_deadlock: use the async_
// calls from handlers. (In asynchronous mode, a blocking call from another handler of a
// single-threaded io_context that also runs the connection would deadlock; that is the caller's
// responsibility, and so is running the executor: the blocking calls wait for it.) A completion
// handler that throws ends the connection with errc::handler_failed; a stream handler that throws
// ends its stream with it.
//
// Lifetime: a connection connects once; after close() or a disconnect, make a new one. Destroying it
// closes it at once (pending calls fail with errc::closed) and, in blocking mode, joins its thread
// (unless destroyed on that thread, from a handler: the thread is then left to finish by itself).
//
// Example (blocking):
//   standin::client::connection conn;  // SVCUID and the socket path from the environment
//   if (auto r = conn.connect(); !r) return fail(r.error().what());
//   auto reply = conn.call("PublishToTopic",
//       {{"topic", "t"}, {"publishMessage", {{"jsonMessage", {{"message", {{"a", 1}}}}}}}});
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include <boost/asio/any_completion_handler.hpp>
#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/async_result.hpp>
#include <nlohmann/json.hpp>

#include "standin/client/config.hpp"
#include "standin/client/error.hpp"
#include "standin/client/stream.hpp"
#include "standin/client/typed.hpp"
#include "standin/model/codec.hpp"

namespace standin::client {

namespace detail {
class owned_thread;

using void_handler = boost::asio::any_completion_handler<void(result<void>)>;
using call_handler = boost::asio::any_completion_handler<void(result<nlohmann::json>)>;
using subscribe_handler = boost::asio::any_completion_handler<void(result<stream>)>;

// The non-template halves of the asynchronous operations. A null `impl` (a moved-from connection)
// completes with errc::not_connected.
void start_connect(const std::shared_ptr<connection_impl>& impl, void_handler handler);
void start_call(const std::shared_ptr<connection_impl>& impl, std::string operation, std::string payload,
                std::optional<std::chrono::milliseconds> timeout, call_handler handler);
void start_subscribe(const std::shared_ptr<connection_impl>& impl, std::string operation,
                     std::string payload, stream_handler events,
                     std::optional<std::chrono::milliseconds> timeout, subscribe_handler handler);
void start_ping(const std::shared_ptr<connection_impl>& impl, std::string payload,
                std::optional<std::chrono::milliseconds> timeout, void_handler handler);
void start_close(const std::shared_ptr<connection_impl>& impl, void_handler handler);
}  // namespace detail

// "PublishToTopic" -> "aws.greengrass#PublishToTopic"; a name with a '#' is kept as it is.
std::string qualified_operation_name(std::string_view operation);

class connection {
public:
    using executor_type = boost::asio::any_io_executor;

    // Blocking mode: owns an io_context and the one thread that runs it.
    explicit connection(connection_config config = connection_config::from_environment());
    // Asynchronous mode: runs on a strand of `executor`; the caller runs the executor's context.
    explicit connection(executor_type executor,
                        connection_config config = connection_config::from_environment());
    connection(connection&&) noexcept;
    connection& operator=(connection&&) noexcept;
    connection(const connection&) = delete;
    connection& operator=(const connection&) = delete;
    ~connection();

    // The strand the connection's state, the stream handlers and (by default) completions run on.
    executor_type get_executor() const;
    const connection_config& config() const;
    // True between a successful connect and the end of the connection.
    bool is_connected() const noexcept;

    // Connects the socket, sends CONNECT and waits for CONNECT_ACK, all within
    // config().connect_timeout. Completion: void(result<void>). Errors: missing_socket_path,
    // missing_token, invalid_socket_path, socket_not_found, socket_refused, socket_access_denied,
    // socket_error, connect_timeout, access_denied, disconnected (closed before the ack),
    // protocol_error, already_connected.
    template <class CompletionToken>
    auto async_connect(CompletionToken&& token) {
        return boost::asio::async_initiate<CompletionToken, void(result<void>)>(
            [](auto handler, std::shared_ptr<detail::connection_impl> impl) {
                detail::start_connect(impl, std::move(handler));
            },
            token, impl_);
    }

    // A request/response operation: sends `request` as the first message of a new stream and
    // completes with the response body. Completion: void(result<nlohmann::json>). `operation` is
    // "aws.greengrass#PublishToTopic" or just "PublishToTopic". The error is a modeled error
    // (errc::unauthorized_error, errc::service_error, ...), a framework error
    // (internal_server_error, unsupported_operation, unexpected_response), or the connection's.
    // Keys of `request` keep their order on the wire (ordered_json; a plain json converts).
    template <class CompletionToken>
    auto async_call(std::string_view operation, const nlohmann::ordered_json& request,
                    CompletionToken&& token) {
        return boost::asio::async_initiate<CompletionToken, void(result<nlohmann::json>)>(
            [](auto handler, std::shared_ptr<detail::connection_impl> impl, std::string op,
               std::string payload) {
                detail::start_call(impl, std::move(op), std::move(payload), std::nullopt,
                                   std::move(handler));
            },
            token, impl_, qualified_operation_name(operation), request.dump());
    }

    // A streaming operation: completes with the open stream once the server's response arrived;
    // events then go to `handler` (see stream_handler for where and how it runs). Completion:
    // void(result<stream>). When the subscription fails, `handler` is never called.
    template <class CompletionToken>
    auto async_subscribe(std::string_view operation, const nlohmann::ordered_json& request,
                         stream_handler handler, CompletionToken&& token) {
        return boost::asio::async_initiate<CompletionToken, void(result<stream>)>(
            [](auto completion, std::shared_ptr<detail::connection_impl> impl, std::string op,
               std::string payload, stream_handler events) {
                detail::start_subscribe(impl, std::move(op), std::move(payload), std::move(events),
                                        std::nullopt, std::move(completion));
            },
            token, impl_, qualified_operation_name(operation), request.dump(), std::move(handler));
    }

    // ---- Typed calls: every operation of model::operation_table ----------------------------
    // The same operations with the model's types: the request is encoded with model::encode, the
    // response (or each event) decoded with model::decode into the row's type; a reply that does not
    // decode fails with errc::unexpected_response (unknown members are ignored). The row is named
    // (async_call<model::operation<"PublishToTopic">>(request, token)) or found from the request's
    // type (async_call(model::publish_to_topic_request{...}, token)). The completion handler's
    // associated executor, cancellation slot and allocator are kept.

    // A request/response operation. Completion: void(result<typename Row::response>).
    template <operation_row Row, class CompletionToken>
    requires(!streaming_row<Row>) auto async_call(const typename Row::request& request,
                                                  CompletionToken&& token) {
        return boost::asio::async_initiate<CompletionToken, void(result<typename Row::response>)>(
            [](auto handler, std::shared_ptr<detail::connection_impl> impl, std::string payload) {
                detail::start_call(
                    impl, std::string{Row::name}, std::move(payload), std::nullopt,
                    detail::convert_with(std::move(handler), [](result<nlohmann::json> r) {
                        return detail::decode_response<Row>(std::move(r));
                    }));
            },
            token, impl_, model::encode(request));
    }
    template <operation_request Request, class CompletionToken>
    auto async_call(const Request& request, CompletionToken&& token) {
        return async_call<row_of<Request>>(request, std::forward<CompletionToken>(token));
    }

    // A streaming operation: completes with the open stream once the server's response arrived (and
    // decoded); each event then reaches `handler` as a typename Row::event. Completion:
    // void(result<stream>).
    template <streaming_row Row, class CompletionToken>
    auto async_subscribe(const typename Row::request& request,
                         event_handler<typename Row::event> handler, CompletionToken&& token) {
        return boost::asio::async_initiate<CompletionToken, void(result<stream>)>(
            [](auto completion, std::shared_ptr<detail::connection_impl> impl, std::string payload,
               stream_handler events) {
                detail::start_subscribe(
                    impl, std::string{Row::name}, std::move(payload), std::move(events), std::nullopt,
                    detail::convert_with(std::move(completion), [](result<stream> r) {
                        return detail::check_subscription<Row>(std::move(r));
                    }));
            },
            token, impl_, model::encode(request), detail::untyped_handler<Row>(std::move(handler)));
    }
    template <operation_request Request, class CompletionToken>
    requires streaming_row<row_of<Request>>
    auto async_subscribe(const Request& request, event_handler<typename row_of<Request>::event> handler,
                         CompletionToken&& token) {
        return async_subscribe<row_of<Request>>(request, std::move(handler),
                                                std::forward<CompletionToken>(token));
    }

    // Blocking typed calls (as call() and subscribe() below: not on the connection's own thread;
    // `timeout` defaults to config().call_timeout).
    template <operation_row Row>
    requires(!streaming_row<Row>) result<typename Row::response> call(
        const typename Row::request& request) {
        return detail::decode_response<Row>(call(Row::name, model::encode_json(request)));
    }
    template <operation_row Row>
    requires(!streaming_row<Row>) result<typename Row::response> call(
        const typename Row::request& request, std::chrono::milliseconds timeout) {
        return detail::decode_response<Row>(call(Row::name, model::encode_json(request), timeout));
    }
    template <operation_request Request>
    requires(!streaming_row<row_of<Request>>) auto call(const Request& request) {
        return call<row_of<Request>>(request);
    }
    template <operation_request Request>
    requires(!streaming_row<row_of<Request>>) auto call(const Request& request,
                                                        std::chrono::milliseconds timeout) {
        return call<row_of<Request>>(request, timeout);
    }

    template <streaming_row Row>
    result<stream> subscribe(const typename Row::request& request,
                             event_handler<typename Row::event> handler) {
        return detail::check_subscription<Row>(subscribe(
            Row::name, model::encode_json(request), detail::untyped_handler<Row>(std::move(handler))));
    }
    template <streaming_row Row>
    result<stream> subscribe(const typename Row::request& request,
                             event_handler<typename Row::event> handler,
                             std::chrono::milliseconds timeout) {
        return detail::check_subscription<Row>(
            subscribe(Row::name, model::encode_json(request),
                      detail::untyped_handler<Row>(std::move(handler)), timeout));
    }
    template <operation_request Request>
    requires streaming_row<row_of<Request>> result<stream> subscribe(
        const Request& request, event_handler<typename row_of<Request>::event> handler) {
        return subscribe<row_of<Request>>(request, std::move(handler));
    }
    template <operation_request Request>
    requires streaming_row<row_of<Request>> result<stream> subscribe(
        const Request& request, event_handler<typename row_of<Request>::event> handler,
        std::chrono::milliseconds timeout) {
        return subscribe<row_of<Request>>(request, std::move(handler), timeout);
    }

    // Sends PING and completes on the server's PING_RESPONSE (answers are matched in order).
    // Completion: void(result<void>).
    template <class CompletionToken>
    auto async_ping(CompletionToken&& token) {
        return boost::asio::async_initiate<CompletionToken, void(result<void>)>(
            [](auto handler, std::shared_ptr<detail::connection_impl> impl) {
                detail::start_ping(impl, std::string{}, std::nullopt, std::move(handler));
            },
            token, impl_);
    }

    // Graceful close: open streams are closed (TERMINATE_STREAM, on_end(nullopt)), pending calls
    // fail with errc::closed, what is queued is written, then the socket is shut down and closed.
    // Completion: void(result<void>), once the socket is closed. Closing a closed connection
    // completes at once.
    template <class CompletionToken>
    auto async_close(CompletionToken&& token) {
        return boost::asio::async_initiate<CompletionToken, void(result<void>)>(
            [](auto handler, std::shared_ptr<detail::connection_impl> impl) {
                detail::start_close(impl, std::move(handler));
            },
            token, impl_);
    }

    // Blocking versions of the above. Not on the connection's own thread (errc::would_deadlock).
    // `timeout` defaults to config().call_timeout; on expiry the call fails with errc::timeout and
    // its stream is closed.
    result<void> connect();
    result<nlohmann::json> call(std::string_view operation, const nlohmann::ordered_json& request);
    result<nlohmann::json> call(std::string_view operation, const nlohmann::ordered_json& request,
                                std::chrono::milliseconds timeout);
    result<stream> subscribe(std::string_view operation, const nlohmann::ordered_json& request,
                             stream_handler handler);
    result<stream> subscribe(std::string_view operation, const nlohmann::ordered_json& request,
                             stream_handler handler, std::chrono::milliseconds timeout);
    result<void> ping();
    result<void> ping(std::chrono::milliseconds timeout);
    // Graceful close, waiting for it. From the connection's own thread it only starts the close.
    void close();

private:
    std::shared_ptr<detail::connection_impl> impl_;
    std::shared_ptr<detail::owned_thread> thread_;  // blocking mode only
};

}  // namespace standin::client
