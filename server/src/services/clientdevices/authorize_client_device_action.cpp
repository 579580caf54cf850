// SPDX-License-Identifier: Apache-2.0
// aws.greengrass#AuthorizeClientDeviceAction ([CDA] AuthorizeClientDeviceActionOperationHandler,
// DeviceAuthClient#canDevicePerform, PermissionEvaluationUtils): after authorization, the token,
// the operation and the resource are required, in that order; an unknown token is
// InvalidClientDeviceAuthTokenError; an operation and resource of different services is the
// plugin's unhandled error, answered as its generic ServiceError.
#include "services/clientdevices/clientdevices_service.hpp"
#include "util/log.hpp"

namespace standin::server::clientdevices_service {

namespace {

bool empty(const std::optional<std::string>& text) {
    return !text || text->empty();
}

struct authorize_client_device_action_op {
    using row = model::operation<"AuthorizeClientDeviceAction">;
    using state = client_devices_state;

    static std::optional<model::ipc_error> validate(const row::request& r) {
        if (empty(r.clientDeviceAuthToken))
            return model::ipc_error::invalid_arguments("Auth token is required");
        if (empty(r.operation)) return model::ipc_error::invalid_arguments("Operation is required");
        if (empty(r.resource)) return model::ipc_error::invalid_arguments("Resource is required");
        return std::nullopt;
    }

    static answer<row::response> handle(client_devices_state& s, const call_context& call,
                                        row::request& r) {
        if (auto error = ensure_started(s)) return *error;
        using outcome = clientdevices::client_device_auth::authorization;
        const auto log = logger("clientdevices");
        const auto decision = s.auth->authorize(*r.clientDeviceAuthToken, *r.operation, *r.resource);
        switch (decision) {
            case outcome::allowed:
            case outcome::denied: {
                const bool allowed = decision == outcome::allowed;
                log->info("{}: client device {} {} on {}", call.caller,
                          allowed ? "may do" : "may not do", *r.operation, *r.resource);
                return row::response{.isAuthorized = allowed};
            }
            case outcome::invalid_session:
                log->warn("{}: unable to find a valid session with the given auth token", call.caller);
                return model::ipc_error::make(model::error_kind::invalid_client_device_auth_token_error,
                                              "Unable to find a valid session with the given auth "
                                              "token. Check Greengrass log for details.");
            case outcome::service_mismatch:
                log->error("{}: operation {} service is not same as resource {} service", call.caller,
                           *r.operation, *r.resource);
                break;
        }
        return model::ipc_error::service(
            "Authorizing client device action failed. Check Greengrass log for details.");
    }
};

}  // namespace

operation_entry authorize_client_device_action(client_devices_state& state) {
    return make_operation<authorize_client_device_action_op>(state);
}

}  // namespace standin::server::clientdevices_service
