// SPDX-License-Identifier: Apache-2.0
// What the typed calls of `connection` are made of, all derived from the operation table
// (standin/model/operations.hpp): which row a request type belongs to, the typed event handler of a
// streaming operation, and the decoding of responses and events into the row's types.
//
// Nothing here lists operations: a row is found by its request type, and every row's request,
// response and event types come from the table.
#pragma once

#include <cstddef>
#include <functional>
#include <optional>
#include <string>
#include <tuple>
#include <type_traits>
#include <utility>

#include <boost/asio/associator.hpp>
#include <nlohmann/json.hpp>

#include "standin/client/error.hpp"
#include "standin/client/stream.hpp"
#include "standin/model/model.hpp"
#include "standin/model/operations.hpp"

namespace standin::client {

namespace detail {

using table_type = std::remove_cvref_t<decltype(model::operation_table)>;
inline constexpr std::size_t no_row = static_cast<std::size_t>(-1);

template <class T, std::size_t... I>
consteval std::size_t find_row(std::index_sequence<I...>) {
    std::size_t found = no_row;
    std::size_t matches = 0;
    (((std::is_same_v<T, typename std::tuple_element_t<I, table_type>::request>) ? (found = I, ++matches)
                                                                                 : 0),
     ...);
    return matches == 1 ? found : no_row;
}

template <class Row, std::size_t... I>
consteval bool is_table_row(std::index_sequence<I...>) {
    return (std::is_same_v<std::remove_cv_t<Row>, std::tuple_element_t<I, table_type>> || ...);
}

}  // namespace detail

// A row of model::operation_table, e.g. model::operation<"PublishToTopic"> (a const type, as the
// table is a constant; both are accepted).
template <class Row>
concept operation_row = detail::is_table_row<Row>(std::make_index_sequence<model::operation_count>{});

// A row of a streaming operation (SubscribeToTopic, SubscribeToConfigurationUpdate, ...).
template <class Row>
concept streaming_row = operation_row<Row> && !std::is_void_v<typename Row::event>;

// A request shape of exactly one row of the table (model::publish_to_topic_request, ...).
template <class Request>
concept operation_request = detail::find_row<Request>(std::make_index_sequence<model::operation_count>{})
!= detail::no_row;

// The row whose request is `Request`: row_of<model::publish_to_topic_request> is
// model::operation<"PublishToTopic">.
template <operation_request Request>
using row_of =
    std::tuple_element_t<detail::find_row<Request>(std::make_index_sequence<model::operation_count>{}),
                         detail::table_type>;

// The handler of a typed stream: as stream_handler (same threading and ordering), with each event
// decoded into the row's event type. An event that is not of the row's event shape, or does not
// decode, ends the stream with errc::unexpected_response (on_end gets it; the stream is closed).
template <class Event>
struct event_handler {
    std::function<void(Event)> on_event;
    std::function<void(std::optional<error>)> on_end;
};

namespace detail {

// `body` as the row's response, or errc::unexpected_response naming the operation and the problem.
template <class Row>
result<typename Row::response> decode_response(const nlohmann::json& body) {
    auto decoded = model::decode<typename Row::response>(body);
    if (decoded) return std::move(*decoded);
    error e = error::make(errc::unexpected_response,
                          std::string{Row::name} + ": the response does not fit " +
                              std::string{Row::response_shape} + ": " + decoded.error().message());
    e.body = body;
    return e;
}

template <class Row>
result<typename Row::response> decode_response(result<nlohmann::json> reply) {
    if (!reply) return std::move(reply).error();
    return decode_response<Row>(*reply);
}

// A typed subscription: the response must decode too; else the stream is closed (by the handle's
// destructor) and the subscription fails with errc::unexpected_response.
template <class Row>
result<stream> check_subscription(result<stream> opened) {
    if (!opened) return opened;
    if (auto decoded = decode_response<Row>(opened->response()); !decoded) return decoded.error();
    return opened;
}

// The event as the row's event type. Throws client::exception (errc::unexpected_response), which the
// connection turns into the end of the stream with that error.
template <class Row>
typename Row::event decode_event(const stream_event& event) {
    if (event.shape != Row::event_shape) {
        error e = error::make(errc::unexpected_response,
                              std::string{Row::name} + ": expected an event of shape " +
                                  std::string{Row::event_shape} + ", got " +
                                  (event.shape.empty() ? std::string{"no service-model-type"}
                                                       : "\"" + event.shape + "\""));
        e.body = event.body;
        throw exception(std::move(e));
    }
    auto decoded = model::decode<typename Row::event>(event.body);
    if (!decoded) {
        error e = error::make(errc::unexpected_response,
                              std::string{Row::name} + ": the event does not fit " +
                                  std::string{Row::event_shape} + ": " + decoded.error().message());
        e.body = event.body;
        throw exception(std::move(e));
    }
    return std::move(*decoded);
}

template <class Row>
stream_handler untyped_handler(event_handler<typename Row::event> typed) {
    stream_handler out;
    if (typed.on_event) {
        out.on_event = [on_event = std::move(typed.on_event)](stream_event e) {
            on_event(decode_event<Row>(e));
        };
    }
    out.on_end = std::move(typed.on_end);
    return out;
}

// A completion handler that converts its argument before calling `handler`, keeping all of
// `handler`'s associated characteristics (executor, cancellation slot, allocator, immediate
// executor): see the boost::asio::associator specialization below.
template <class Handler, class Convert>
struct converting_handler {
    Handler handler;
    Convert convert;

    template <class Arg>
    void operator()(Arg&& arg) {
        std::move(handler)(convert(std::forward<Arg>(arg)));
    }
};

template <class Handler, class Convert>
converting_handler<std::decay_t<Handler>, Convert> convert_with(Handler&& handler, Convert convert) {
    return {std::forward<Handler>(handler), std::move(convert)};
}

}  // namespace detail
}  // namespace standin::client

template <template <class, class> class Associator, class Handler, class Convert, class DefaultCandidate>
struct boost::asio::associator<Associator, standin::client::detail::converting_handler<Handler, Convert>,
                               DefaultCandidate> : Associator<Handler, DefaultCandidate> {
    static typename Associator<Handler, DefaultCandidate>::type get(
        const standin::client::detail::converting_handler<Handler, Convert>& h) noexcept {
        return Associator<Handler, DefaultCandidate>::get(h.handler);
    }
    static auto get(const standin::client::detail::converting_handler<Handler, Convert>& h,
                    const DefaultCandidate& c) noexcept
        -> decltype(Associator<Handler, DefaultCandidate>::get(h.handler, c)) {
        return Associator<Handler, DefaultCandidate>::get(h.handler, c);
    }
};
