// SPDX-License-Identifier: Apache-2.0
// The contract between an operation and the dispatcher. Each served operation is one struct in its
// own file under services/<service>/, turned into a registry entry by make_operation<Op>(state):
//
//   struct get_thing_shadow_op {
//       using row = model::operation<"GetThingShadow">;  // the table row: types, auth, errors
//       using state = shadow_store;                      // the one service state it may touch
//
//       // Optional, in the order the dispatcher runs them (semantics.md §1.4):
//       static std::optional<model::ipc_error> precheck(state&, const call_context&,
//                                                       const row::request&);  // before authz
//       static resource_result resources(state&, const call_context&,
//                                        const row::request&);  // only for the rules the
//                                        // table marks secret_arn / metric_names; may fail
//                                        // (e.g. ResourceNotFoundError before authorization)
//       static std::optional<model::ipc_error> validate(const row::request&);  // after authz;
//                                        // or validate(state&, const call_context&, request)
//       static void denied(state&, const call_context&, const row::request&);  // after a policy
//                                        // denial, before the UnauthorizedError goes out
//
//       // Required, one of:
//       static answer<row::response> handle(state&, const call_context&, row::request&);
//       static void handle(state&, const call_context&, row::request&,
//                          responder<row::response> reply);  // answers later, on the I/O thread
//   };
//
// Everything else comes from the operation's table row: the caller rule, the resource (a request
// member, "*", the shadow path), the service id, the trusted callers, the shapes. The dispatcher
// runs: decode -> caller rule -> precheck -> resources -> authorize each -> validate -> handle.
// The shadow manager's handlers, for one, publish <op>/rejected when they are denied: `denied` is
// where an operation does what its plugin does on an authorization failure.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <variant>

#include <boost/container/small_vector.hpp>
#include <boost/describe/members.hpp>
#include <boost/mp11/algorithm.hpp>
#include <boost/system/result.hpp>
#include <nlohmann/json.hpp>

#include "core/stream_sink.hpp"
#include "standin/model/codec.hpp"
#include "standin/model/errors.hpp"
#include "standin/model/operations.hpp"

namespace standin::server {

// A reply in wire form: the response body (JSON text) or a modeled error, and for a streaming
// operation that succeeded, what its stream holds.
struct reply_body {
    std::variant<std::string, model::ipc_error> result;
    std::unique_ptr<stream_resource> stream;
};

// A connection as the RPC layer sees it: a stream sink that also takes replies delivered after
// the dispatcher returned. Implemented by the session.
class call_sink : public stream_sink {
public:
    // The reply to the pending request on `stream_id` of operation `op`. Dropped (and its stream
    // resource released) when that stream is no longer open.
    virtual void complete_call(std::int32_t stream_id, const model::operation_info& op,
                               reply_body reply) = 0;
};

// Who calls, on which stream of which connection.
struct call_context {
    std::string_view caller;  // the component the connection authenticated as
    std::int32_t stream_id = 0;
    std::uint64_t connection_id = 0;
    // The connection; valid for the duration of the call (subscriptions made during the call may
    // keep it: the connection releases them before it goes).
    stream_sink* sink = nullptr;
    // The connection for later: events and replies after the call returned.
    std::weak_ptr<call_sink> connection;
};

// What a handler answers: a response (plus, for a streaming operation, what keeps the stream
// alive) or a modeled error.
template <class Response>
struct answer {
    answer(Response response, std::unique_ptr<stream_resource> stream_held = nullptr)
        : result(std::move(response)), stream(std::move(stream_held)) {}
    answer(model::ipc_error error) : result(std::move(error)) {}  // NOLINT: implicit by design

    std::variant<Response, model::ipc_error> result;
    std::unique_ptr<stream_resource> stream;

    reply_body to_body() && {
        if (auto* error = std::get_if<model::ipc_error>(&result)) return {std::move(*error), nullptr};
        return {model::encode(std::get<Response>(result)), std::move(stream)};
    }
};

// The one-shot completion of an operation that answers later. Call it on the I/O thread (post
// there from other threads; blocking_work does). When destroyed unanswered, the caller gets a
// ServiceError rather than waiting for ever.
template <class Response>
class responder {
public:
    responder(std::weak_ptr<call_sink> connection, std::int32_t stream_id,
              const model::operation_info& op)
        : connection_(std::move(connection)), stream_id_(stream_id), op_(&op) {}
    responder(responder&& other) noexcept
        : connection_(std::move(other.connection_)), stream_id_(other.stream_id_), op_(other.op_) {
        other.op_ = nullptr;
    }
    responder& operator=(responder&&) = delete;
    responder(const responder&) = delete;
    responder& operator=(const responder&) = delete;
    ~responder() {
        if (op_ != nullptr) {
            deliver(
                model::ipc_error::service(std::string{op_->short_name()} + " ended without an answer"));
        }
    }

    void operator()(answer<Response> reply) { deliver(std::move(reply)); }

private:
    void deliver(answer<Response> reply) {
        const auto* op = std::exchange(op_, nullptr);
        if (op == nullptr) return;
        if (auto connection = connection_.lock()) {
            connection->complete_call(stream_id_, *op, std::move(reply).to_body());
        }
    }

    std::weak_ptr<call_sink> connection_;
    std::int32_t stream_id_;
    const model::operation_info* op_;
};

// Events of a streaming operation after its call returned (a subscription that outlives the
// call). Holds the connection weakly: sending on a closed connection or stream returns false.
template <class Event>
class event_stream {
public:
    event_stream() = default;
    event_stream(std::weak_ptr<stream_sink> connection, std::int32_t stream_id, std::string_view shape)
        : connection_(std::move(connection)), stream_id_(stream_id), shape_(shape) {}

    bool send(const Event& event) const {
        return send_payload(protocol::make_payload(model::encode(event)));
    }
    bool send_payload(const protocol::shared_payload& payload) const {
        const auto connection = connection_.lock();
        return connection && connection->send_event(stream_id_, shape_, payload);
    }
    // Ends the stream from the server's side, with or without a modeled error.
    void close(std::optional<model::ipc_error> error = std::nullopt) const {
        if (const auto connection = connection_.lock())
            connection->close_stream(stream_id_, std::move(error));
    }
    std::int32_t stream_id() const noexcept { return stream_id_; }

private:
    std::weak_ptr<stream_sink> connection_;
    std::int32_t stream_id_ = 0;
    std::string_view shape_;
};

// The resources a request is checked against, one authorization each. nullopt is a request that
// carries no resource (the nucleus's null).
using resource_list = boost::container::small_vector<std::optional<std::string>, 1>;
using resource_result = std::variant<resource_list, model::ipc_error>;

// A decoded request bound to its operation and service state, for the dispatcher's uniform steps.
class pending_call {
public:
    virtual ~pending_call() = default;
    virtual std::optional<model::ipc_error> precheck(const call_context& call) = 0;
    virtual resource_result resources(const call_context& call) = 0;
    virtual std::optional<model::ipc_error> validate(const call_context& call) = 0;
    virtual void denied(const call_context& call) = 0;
    // The reply now, or nullopt when the operation answers later through call.connection.
    virtual std::optional<reply_body> handle(const call_context& call) = 0;
};

struct operation_entry {
    const model::operation_info* info = nullptr;
    // Decodes a request body into a call on the operation's state, consuming the body (its
    // strings and documents move into the call).
    std::function<boost::system::result<std::unique_ptr<pending_call>, model::decode_error>(
        nlohmann::json&& body)>
        decode;
};

namespace detail {

template <class Request>
using text_member_list = boost::describe::describe_members<Request, boost::describe::mod_public>;

// Whether Request has a described std::optional<std::string> member called `name`.
template <class Request>
consteval bool has_text_member(std::string_view name) {
    bool found = false;
    boost::mp11::mp_for_each<text_member_list<Request>>([&](auto member) {
        using type = std::remove_cvref_t<decltype(std::declval<const Request&>().*member.pointer)>;
        if constexpr (std::is_same_v<type, std::optional<std::string>>) {
            if (std::string_view{member.name} == name) found = true;
        }
    });
    return found;
}

template <class Request>
std::optional<std::string> text_member(const Request& request, std::string_view name) {
    std::optional<std::string> out;
    boost::mp11::mp_for_each<text_member_list<Request>>([&](auto member) {
        using type = std::remove_cvref_t<decltype(request.*member.pointer)>;
        if constexpr (std::is_same_v<type, std::optional<std::string>>) {
            if (std::string_view{member.name} == name) out = request.*member.pointer;
        }
    });
    return out;
}

template <class Op>
constexpr const model::operation_info& info_of() {
    // By index, not by find_operation()'s pointer: GCC 12 under -fsanitize=undefined cannot
    // compare that pointer with nullptr in a constant expression.
    constexpr std::size_t index =
        model::operation_index(Op::row::name.substr(model::namespace_prefix.size()));
    return model::operations[index];
}

// The resources the table's rule gives for `request`.
template <class Op>
resource_list table_resources(const typename Op::row::request& request) {
    constexpr const model::authorization& auth = info_of<Op>().auth;
    using rule = model::resource_rule;
    if constexpr (auth.resource == rule::none) {
        return {};
    } else if constexpr (auth.resource == rule::any) {
        return {std::string{"*"}};
    } else if constexpr (auth.resource == rule::member) {
        static_assert(has_text_member<typename Op::row::request>(auth.member),
                      "the table names a resource member that the request type lacks");
        return {text_member(request, auth.member)};
    } else if constexpr (auth.resource == rule::shadow_path) {
        static_assert(has_text_member<typename Op::row::request>("thingName") &&
                      has_text_member<typename Op::row::request>("shadowName"));
        std::string path = "$aws/things/" + request.thingName.value_or("") + "/shadow";
        if (request.shadowName && !request.shadowName->empty()) path += "/name/" + *request.shadowName;
        return {std::move(path)};
    } else {
        static_assert(auth.resource != auth.resource, "this rule needs Op::resources()");
    }
}

template <class Op>
class typed_call final : public pending_call {
public:
    using state = typename Op::state;
    using request = typename Op::row::request;
    using response = typename Op::row::response;

    typed_call(state& service, request r) : state_(service), request_(std::move(r)) {}

    std::optional<model::ipc_error> precheck(const call_context& call) override {
        if constexpr (requires { Op::precheck(state_, call, request_); }) {
            return Op::precheck(state_, call, request_);
        } else {
            return std::nullopt;
        }
    }

    resource_result resources(const call_context& call) override {
        using rule = model::resource_rule;
        constexpr rule resource_rule = info_of<Op>().auth.resource;
        constexpr bool op_resolves =
            resource_rule == rule::secret_arn || resource_rule == rule::metric_names;
        constexpr bool op_defines = requires {
            Op::resources(state_, call, request_);
        };
        static_assert(op_resolves == op_defines,
                      "Op::resources() exactly for the rules secret_arn and metric_names");
        if constexpr (op_defines) {
            return Op::resources(state_, call, request_);
        } else {
            return table_resources<Op>(request_);
        }
    }

    std::optional<model::ipc_error> validate(const call_context& call) override {
        if constexpr (requires { Op::validate(state_, call, request_); }) {
            return Op::validate(state_, call, request_);
        } else if constexpr (requires { Op::validate(request_); }) {
            return Op::validate(request_);
        } else {
            return std::nullopt;
        }
    }

    void denied(const call_context& call) override {
        if constexpr (requires { Op::denied(state_, call, request_); })
            Op::denied(state_, call, request_);
    }

    std::optional<reply_body> handle(const call_context& call) override {
        if constexpr (requires {
                          Op::handle(state_, call, request_, std::declval<responder<response>>());
                      }) {
            Op::handle(state_, call, request_,
                       responder<response>{call.connection, call.stream_id, info_of<Op>()});
            return std::nullopt;
        } else {
            answer<response> reply = Op::handle(state_, call, request_);
            return std::move(reply).to_body();
        }
    }

private:
    state& state_;
    request request_;
};

}  // namespace detail

// The events of the streaming operation Op on the stream of `call`, for use after the call.
template <class Op>
event_stream<typename Op::row::event> events_of(const call_context& call) {
    static_assert(!std::is_void_v<typename Op::row::event>, "not a streaming operation");
    return {call.connection, call.stream_id, Op::row::event_shape};
}

// The registry entry of operation struct `Op` (see the top of this file), bound to `service`,
// which must outlive the registry.
template <class Op>
operation_entry make_operation(typename Op::state& service) {
    using request = typename Op::row::request;
    return {&detail::info_of<Op>(),
            [&service](nlohmann::json&& body)
                -> boost::system::result<std::unique_ptr<pending_call>, model::decode_error> {
                auto decoded = model::decode<request>(std::move(body));
                if (!decoded) return decoded.error();
                return std::unique_ptr<pending_call>{
                    std::make_unique<detail::typed_call<Op>>(service, std::move(*decoded))};
            }};
}

}  // namespace standin::server
