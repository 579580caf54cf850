// SPDX-License-Identifier: Apache-2.0
#include "standin/model/errors.hpp"

namespace standin::model {

std::string_view error_code(error_kind kind) noexcept {
    switch (kind) {
        case error_kind::service_error:
            return "ServiceError";
        case error_kind::unauthorized_error:
            return "UnauthorizedError";
        case error_kind::invalid_arguments_error:
            return "InvalidArgumentsError";
        case error_kind::resource_not_found_error:
            return "ResourceNotFoundError";
        case error_kind::component_not_found_error:
            return "ComponentNotFoundError";
        case error_kind::conflict_error:
            return "ConflictError";
        case error_kind::failed_update_condition_check_error:
            return "FailedUpdateConditionCheckError";
        case error_kind::invalid_token_error:
            return "InvalidTokenError";
        case error_kind::invalid_recipe_directory_path_error:
            return "InvalidRecipeDirectoryPathError";
        case error_kind::invalid_artifacts_directory_path_error:
            return "InvalidArtifactsDirectoryPathError";
        case error_kind::invalid_credential_error:
            return "InvalidCredentialError";
        case error_kind::invalid_client_device_auth_token_error:
            return "InvalidClientDeviceAuthTokenError";
    }
    return "ServiceError";
}

std::string ipc_error::shape_id() const {
    std::string id{shape_prefix};
    id += error_code(kind);
    return id;
}

std::string ipc_error::to_json() const {
    // Key order follows Gson's output for the Java error classes: modeled members first, then the
    // @Expose'd framework fields. Clients parse JSON, so the order is cosmetic but keeps captures
    // comparable.
    nlohmann::ordered_json body;
    body["message"] = message;
    if (resourceType) body["resourceType"] = *resourceType;
    if (resourceName) body["resourceName"] = *resourceName;
    if (context) body["context"] = *context;
    body["_service"] = service_name;
    body["_message"] = message;
    body["_errorCode"] = error_code(kind);
    return body.dump();
}

}  // namespace standin::model
