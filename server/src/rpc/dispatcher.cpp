// SPDX-License-Identifier: Apache-2.0
#include "rpc/dispatcher.hpp"

#include <spdlog/spdlog.h>

#include "rpc/server_frames.hpp"
#include "standin/model/codec.hpp"
#include "util/log.hpp"

namespace standin::server {

namespace {

// Looked up once: the registry lookup is a mutex and a map search per call.
const std::shared_ptr<spdlog::logger>& dispatch_log() {
    static const auto log = logger("ipc.dispatch");
    return log;
}
const std::shared_ptr<spdlog::logger>& authz_log() {
    static const auto log = logger("authz");
    return log;
}

dispatch_result error_result(std::int32_t stream_id, const model::ipc_error& error) {
    return {frames::modeled_error(stream_id, error), true, nullptr};
}

dispatch_result internal_error_result(std::int32_t stream_id) {
    return {frames::internal_server_error(stream_id), true, nullptr};
}

}  // namespace

dispatcher::dispatcher(const operation_registry& operations, const access_checker& access,
                       std::uint32_t max_frame_size)
    : operations_(operations), access_(access), max_frame_size_(max_frame_size) {
    response_heads_.reserve(model::operations.size());
    for (const auto& op : model::operations)
        response_heads_.emplace_back(op.response_shape, /*terminate=*/!op.streaming());
}

dispatch_result dispatcher::dispatch(const call_context& call, std::string_view operation,
                                     std::string_view payload) const {
    const auto& log = dispatch_log();
    const model::operation_info* op = model::find_operation(operation);
    if (op == nullptr) {
        log->info("{} called unknown operation '{}'", call.caller, operation);
        return {frames::unsupported_operation(call.stream_id, operation), true, nullptr};
    }
    const operation_entry* entry = operations_.find(*op);
    if (entry == nullptr) {
        // Every modeled operation is registered in the nucleus, with DefaultOperationHandler until a
        // plugin replaces it.
        log->info("{} called {}, which standin does not serve yet", call.caller, operation);
        return error_result(call.stream_id,
                            model::ipc_error::service("Operation " + std::string{operation} +
                                                      " is not supported by Greengrass"));
    }

    // The Java framework answers any deserialization failure with the non-modeled error.
    auto body = model::decode_request_payload(payload);
    if (!body) {
        log->info("{} sent a {} request that is not a JSON object: {}", call.caller, op->short_name(),
                  body.error().message());
        return internal_error_result(call.stream_id);
    }
    auto decoded = entry->decode(std::move(*body));
    if (!decoded) {
        log->info("{} sent a {} request that does not fit its shape: {}", call.caller, op->short_name(),
                  decoded.error().message());
        return internal_error_result(call.stream_id);
    }
    pending_call& pending = **decoded;

    try {
        if (!op->auth.caller.admits(call.caller)) {
            auto denial = model::ipc_error::unauthorized(op->auth.caller.denial_for(call.caller));
            authz_log()->info("denied {} {}: {}", call.caller, op->short_name(), denial.message);
            return error_result(call.stream_id, denial);
        }
        if (auto rejected = pending.precheck(call)) {
            log->debug("{} {} rejected before authorization: {}", call.caller, op->short_name(),
                       rejected->message);
            return error_result(call.stream_id, *rejected);
        }
        auto resources = pending.resources(call);
        if (auto* error = std::get_if<model::ipc_error>(&resources)) {
            log->debug("{} {} rejected: {}", call.caller, op->short_name(), error->message);
            return error_result(call.stream_id, *error);
        }
        if (auto denial = authorize(call, *op, std::get<resource_list>(resources))) {
            pending.denied(call);
            return error_result(call.stream_id, *denial);
        }
        if (auto invalid = pending.validate(call)) {
            log->debug("{} {} rejected: {}", call.caller, op->short_name(), invalid->message);
            return error_result(call.stream_id, *invalid);
        }
        auto reply = pending.handle(call);
        if (!reply) return {std::nullopt, false, nullptr};
        return finish(call, *op, std::move(*reply));
    } catch (const std::exception& e) {
        // The nucleus's translateExceptions turns stray runtime exceptions into ServiceError.
        log->error("{} failed for {}: {}", op->short_name(), call.caller, e.what());
        return error_result(call.stream_id, model::ipc_error::service(e.what()));
    }
}

std::optional<model::ipc_error> dispatcher::authorize(const call_context& call,
                                                      const model::operation_info& op,
                                                      const resource_list& resources) const {
    const auto& auth = op.auth;
    if (!auth.checks_policy() || auth.trusted.trusts(call.caller)) return std::nullopt;
    const auto& log = authz_log();
    const bool explain_allowed = log->should_log(spdlog::level::debug);
    for (const auto& resource : resources) {
        const access_request request{
            auth.service_id, call.caller, op.name,
            resource ? std::optional<std::string_view>{*resource} : std::nullopt};
        // Explaining an allowed decision costs a string build: asked for only when it is logged.
        auto decision = access_.check(request, explain_allowed);
        if (!decision.allowed) {
            log->info("{}", decision.explanation);
            if (!auth.denial.empty()) return model::ipc_error::unauthorized(std::string{auth.denial});
            return model::ipc_error::unauthorized(std::move(decision.message));
        }
        if (explain_allowed) log->debug("{}", decision.explanation);
    }
    return std::nullopt;
}

dispatch_result dispatcher::finish(const call_context& call, const model::operation_info& op,
                                   reply_body reply) const {
    if (auto* error = std::get_if<model::ipc_error>(&reply.result)) {
        // A client drops an error shape outside the operation's list as an unexpected response.
        // The nucleus sends them all the same (its handlers throw what they throw), so this is
        // expected behaviour, worth a debug line only.
        if (!op.errors.contains(error->kind)) {
            dispatch_log()->debug("{} answered {}, which its model does not list", op.short_name(),
                                  error->shape_id());
        }
        return error_result(call.stream_id, *error);
    }
    const bool streaming = op.streaming();
    auto body = protocol::make_payload(std::move(std::get<std::string>(reply.result)));
    auto frame = response_heads_[op.index].encode(call.stream_id, std::move(body), max_frame_size_);
    if (!frame) {
        dispatch_log()->error("{} response for {} does not fit in a frame: {}", op.short_name(),
                              call.caller, frame.error().message());
        return internal_error_result(call.stream_id);
    }
    return {std::move(*frame), !streaming, streaming ? std::move(reply.stream) : nullptr};
}

}  // namespace standin::server
