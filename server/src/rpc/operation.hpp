// SPDX-License-Identifier: Apache-2.0
// What an IPC operation is to the dispatcher: a typed request, the resource it is authorized
// against, argument checks and a handler. Each operation is one struct in its own file under
// services/, turned into a registry entry by make_operation<Op>().
//
// An operation struct provides:
//   static constexpr std::string_view name;        // "aws.greengrass#PublishToTopic"
//   static constexpr std::string_view service_id;  // accessControl namespace, or "" for no policy check
//   using request = ...;                           // with static request from_json(const
//   nlohmann::json&) static std::optional<std::string> resource(const request&);        // what the
//   policy must allow static std::optional<model::ipc_error> validate(const request&);   // argument
//   checks after authorization static operation_outcome handle(operation_call&, request&);
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <variant>

#include <nlohmann/json.hpp>

#include "standin/model/errors.hpp"
#include "standin/model/operations.hpp"
#include "standin/protocol/frame_encoder.hpp"

namespace standin::server {

class server_state;

// The connection an operation was called on, as far as the operation may touch it.
class stream_writer {
public:
    virtual ~stream_writer() = default;
    // Queues a stream event on `stream_id`. False when it could not be queued (the connection's
    // outbound limit was reached, or the connection is closing); the stream is then closed with a
    // ServiceError and its resource released.
    virtual bool send_event(std::int32_t stream_id, std::string_view shape,
                            const protocol::shared_payload& payload) = 0;
    // For log lines.
    virtual std::uint64_t connection_id() const noexcept = 0;
};

// What a streaming operation keeps alive while its stream is open (a subscription). Destroyed when
// the stream closes from either side or the connection ends.
class stream_resource {
public:
    virtual ~stream_resource() = default;
};

struct operation_call {
    server_state& state;
    const std::string& caller;  // the component the connection authenticated as
    std::int32_t stream_id;
    stream_writer& writer;
};

struct operation_outcome {
    std::variant<nlohmann::json, model::ipc_error> reply;  // response body or modeled error
    std::unique_ptr<stream_resource> stream;               // streaming operations that succeeded
};

// A decoded request bound to its operation, ready for the dispatcher's uniform steps.
class pending_call {
public:
    virtual ~pending_call() = default;
    virtual std::optional<std::string> resource() const = 0;
    virtual std::optional<model::ipc_error> validate() const = 0;
    virtual operation_outcome handle(operation_call& call) = 0;
};

struct operation_entry {
    const model::operation_info* info = nullptr;  // name, stream shapes
    std::string_view service_id;                  // empty: the operation needs no policy
    // Throws model::deserialize_error when the body does not fit the request shape.
    std::function<std::unique_ptr<pending_call>(const nlohmann::json& body)> decode;
};

namespace detail {

template <class Op>
class typed_call final : public pending_call {
public:
    explicit typed_call(typename Op::request request) : request_(std::move(request)) {}
    std::optional<std::string> resource() const override { return Op::resource(request_); }
    std::optional<model::ipc_error> validate() const override { return Op::validate(request_); }
    operation_outcome handle(operation_call& call) override { return Op::handle(call, request_); }

private:
    typename Op::request request_;
};

}  // namespace detail

// Builds the registry entry of operation struct `Op` (see the top of this file).
template <class Op>
operation_entry make_operation() {
    const auto* info = model::find_operation(Op::name);
    if (info == nullptr) throw std::logic_error("not a modeled operation: " + std::string{Op::name});
    return {info, Op::service_id, [](const nlohmann::json& body) -> std::unique_ptr<pending_call> {
                return std::make_unique<detail::typed_call<Op>>(Op::request::from_json(body));
            }};
}

}  // namespace standin::server
