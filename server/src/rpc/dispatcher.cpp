// SPDX-License-Identifier: Apache-2.0
#include "rpc/dispatcher.hpp"

#include <spdlog/spdlog.h>

#include "authz/authorizer.hpp"
#include "daemon/server_state.hpp"
#include "rpc/server_frames.hpp"
#include "standin/model/json_read.hpp"
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

// Modeled operations without a service answer like the nucleus's DefaultOperationHandler.
dispatch_result not_supported(const operation_call& call, std::string_view operation) {
    return error_result(call.stream_id, model::ipc_error::service("Operation " + std::string{operation} +
                                                                  " is not supported by Greengrass"));
}

dispatch_result encode_reply(operation_call& call, const operation_entry& entry,
                             operation_outcome outcome) {
    if (auto* error = std::get_if<model::ipc_error>(&outcome.reply)) {
        return error_result(call.stream_id, *error);
    }
    const bool streaming = entry.info->streaming();
    auto body = std::make_shared<const std::string>(std::get<nlohmann::json>(outcome.reply).dump());
    auto frame =
        frames::application_message(call.stream_id, entry.info->response_shape(), std::move(body),
                                    /*terminate=*/!streaming, call.state.limits().max_frame_size);
    if (!frame) {
        dispatch_log()->error("{} response for {} does not fit in a frame: {}", entry.info->name,
                              call.caller, frame.error().message());
        return {frames::internal_server_error(call.stream_id), true, nullptr};
    }
    return {std::move(*frame), !streaming, streaming ? std::move(outcome.stream) : nullptr};
}

}  // namespace

dispatch_result dispatch(operation_call& call, std::string_view operation, std::string_view payload) {
    const auto& log = dispatch_log();
    const operation_entry* entry = call.state.operations().find(operation);
    if (entry == nullptr) {
        if (model::find_operation(operation) != nullptr) {
            log->info("{} called {}, which standin does not serve yet", call.caller, operation);
            return not_supported(call, operation);
        }
        log->info("{} called unknown operation '{}'", call.caller, operation);
        return {frames::unsupported_operation(call.stream_id, operation), true, nullptr};
    }

    std::unique_ptr<pending_call> pending;
    try {
        pending = entry->decode(model::parse_request_payload(payload));
    } catch (const std::exception& e) {
        // The Java framework answers any deserialization failure with the non-modeled error.
        log->info("{} sent a {} request that does not deserialize: {}", call.caller, operation,
                  e.what());
        return {frames::internal_server_error(call.stream_id), true, nullptr};
    }

    if (!entry->service_id.empty()) {
        const auto decision = call.state.authz().check(
            {std::string{entry->service_id}, call.caller, std::string{operation}, pending->resource()});
        if (!decision.allowed) {
            authz_log()->info("{}", decision.to_string());
            return error_result(call.stream_id, model::ipc_error::unauthorized(decision.message));
        }
        // to_string() builds the whole explanation; only pay for it when it is logged.
        if (authz_log()->should_log(spdlog::level::debug)) {
            authz_log()->debug("{}", decision.to_string());
        }
    }

    if (auto invalid = pending->validate()) {
        log->debug("{} {} rejected: {}", call.caller, operation, invalid->message);
        return error_result(call.stream_id, *invalid);
    }

    try {
        return encode_reply(call, *entry, pending->handle(call));
    } catch (const std::exception& e) {
        // The nucleus's translateExceptions turns stray runtime exceptions into ServiceError.
        log->error("{} handler failed for {}: {}", operation, call.caller, e.what());
        return error_result(call.stream_id, model::ipc_error::service(e.what()));
    }
}

}  // namespace standin::server
