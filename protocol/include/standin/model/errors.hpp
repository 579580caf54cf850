// SPDX-License-Identifier: Apache-2.0
// IPC application errors: the modeled error shapes of the Greengrass IPC service (protocol.md §4.4).
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

namespace standin::model {

enum class error_kind {
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
};

// "ServiceError", "UnauthorizedError", ...: the `_errorCode` value and the shape name.
std::string_view error_code(error_kind kind) noexcept;

// A modeled error as a handler returns it; the dispatcher serializes it.
struct ipc_error {
    error_kind kind = error_kind::service_error;
    std::string message;
    std::optional<std::string> resourceType;  // ResourceNotFoundError only
    std::optional<std::string> resourceName;  // ResourceNotFoundError only
    std::optional<nlohmann::json> context;    // ServiceError only

    // "aws.greengrass#<ErrorCode>": the service-model-type header value.
    std::string shape_id() const;
    // The body the Java nucleus sends: modeled members plus _service, _message, _errorCode.
    std::string to_json() const;

    static ipc_error make(error_kind kind, std::string message) {
        ipc_error e;
        e.kind = kind;
        e.message = std::move(message);
        return e;
    }
    static ipc_error service(std::string message) {
        return make(error_kind::service_error, std::move(message));
    }
    static ipc_error unauthorized(std::string message) {
        return make(error_kind::unauthorized_error, std::move(message));
    }
    static ipc_error invalid_arguments(std::string message) {
        return make(error_kind::invalid_arguments_error, std::move(message));
    }
    static ipc_error resource_not_found(std::string message,
                                        std::optional<std::string> type = std::nullopt,
                                        std::optional<std::string> name = std::nullopt) {
        auto e = make(error_kind::resource_not_found_error, std::move(message));
        e.resourceType = std::move(type);
        e.resourceName = std::move(name);
        return e;
    }
};

// The `_service` value of every error body.
inline constexpr std::string_view service_name = "aws.greengrass#GreengrassCoreIPC";
// Shape ids are "aws.greengrass#" + name.
inline constexpr std::string_view shape_prefix = "aws.greengrass#";

}  // namespace standin::model
