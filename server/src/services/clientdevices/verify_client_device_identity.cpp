// SPDX-License-Identifier: Apache-2.0
// aws.greengrass#VerifyClientDeviceIdentity ([CDA] VerifyClientDeviceIdentityOperationHandler):
// after authorization, a credential and a non-empty certificate are required; a certificate
// without the PEM header is read as base64 and re-wrapped (malformed base64 is
// InvalidArgumentsError). A certificate that does not parse is simply not valid.
#include "services/clientdevices/clientdevices_service.hpp"
#include "util/log.hpp"

namespace standin::server::clientdevices_service {

namespace {

struct verify_client_device_identity_op {
    using row = model::operation<"VerifyClientDeviceIdentity">;
    using state = client_devices_state;

    static std::optional<model::ipc_error> validate(const row::request& r) {
        if (!r.credential)
            return model::ipc_error::invalid_arguments("Client device credential is required");
        const auto& certificate = r.credential->clientDeviceCertificate;
        if (!certificate || certificate->empty()) {
            return model::ipc_error::invalid_arguments("Client device certificate is required");
        }
        if (!clientdevices::certificate_pem_from_client(*certificate)) {
            return model::ipc_error::invalid_arguments("Unable to convert certificate PEM");
        }
        return std::nullopt;
    }

    static answer<row::response> handle(client_devices_state& s, const call_context& call,
                                        row::request& r) {
        if (auto error = ensure_started(s)) return *error;
        const auto pem =
            clientdevices::certificate_pem_from_client(*r.credential->clientDeviceCertificate);
        const bool valid = s.auth->verify(*pem);
        logger("clientdevices")
            ->info("{} verified a client device certificate: {}", call.caller,
                   valid ? "valid" : "not valid");
        return row::response{.isValidClientDevice = valid};
    }
};

}  // namespace

operation_entry verify_client_device_identity(client_devices_state& state) {
    return make_operation<verify_client_device_identity_op>(state);
}

}  // namespace standin::server::clientdevices_service
