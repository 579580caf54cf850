// SPDX-License-Identifier: Apache-2.0
// aws.greengrass#GetClientDeviceAuthToken ([CDA] GetClientDeviceAuthTokenOperationHandler,
// MqttSessionFactory, CreateIoTThingSession): after authorization, an MQTT credential is
// required; its certificate is re-wrapped as VerifyClientDeviceIdentity does; then a session is
// made (client_device_auth.hpp has the rules). A failed authentication is InvalidCredentialError
// with the plugin's fixed text (the reason goes to the log, as the plugin logs it); a client id
// that is no thing name is the plugin's unhandled error, a ServiceError. Without a certificate the
// plugin fails on a null (its NullPointerException becomes a ServiceError without a message).
#include "services/clientdevices/clientdevices_service.hpp"
#include "util/log.hpp"

namespace standin::server::clientdevices_service {

namespace {

struct get_client_device_auth_token_op {
    using row = model::operation<"GetClientDeviceAuthToken">;
    using state = client_devices_state;

    static std::optional<model::ipc_error> validate(const row::request& r) {
        if (!r.credential || !r.credential->mqttCredential) {
            return model::ipc_error::invalid_arguments("Invalid client device credentials");
        }
        const auto& certificate = r.credential->mqttCredential->certificatePem;
        if (!certificate) return model::ipc_error::service("");
        if (!clientdevices::certificate_pem_from_client(*certificate)) {
            return model::ipc_error::invalid_arguments("Unable to convert certificate PEM");
        }
        return std::nullopt;
    }

    static answer<row::response> handle(client_devices_state& s, const call_context& call,
                                        row::request& r) {
        if (auto error = ensure_started(s)) return *error;
        const auto& credential = *r.credential->mqttCredential;
        const auto pem = clientdevices::certificate_pem_from_client(*credential.certificatePem);
        std::string reason;
        auto session = s.auth->create_session(credential.clientId, *pem, reason);
        const auto log = logger("clientdevices");
        if (auto* token = std::get_if<std::string>(&session)) {
            log->info("{} got an auth token for client {}", call.caller,
                      credential.clientId.value_or("(none)"));
            return row::response{.clientDeviceAuthToken = std::move(*token)};
        }
        log->warn("{}: unable to authenticate client {}: {}", call.caller,
                  credential.clientId.value_or("(none)"), reason);
        if (std::get<clientdevices::client_device_auth::session_error>(session) ==
            clientdevices::client_device_auth::session_error::invalid_thing_name) {
            return model::ipc_error::service(
                "Getting client device auth token failed. Check Greengrass log for details.");
        }
        return model::ipc_error::make(model::error_kind::invalid_credential_error,
                                      "Unable to authenticate the client device with the given "
                                      "credentials. Check Greengrass log for details.");
    }
};

}  // namespace

operation_entry get_client_device_auth_token(client_devices_state& state) {
    return make_operation<get_client_device_auth_token_op>(state);
}

}  // namespace standin::server::clientdevices_service
