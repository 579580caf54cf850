// SPDX-License-Identifier: Apache-2.0
#include "services/clientdevices/clientdevices_service.hpp"

#include "util/log.hpp"

namespace standin::server {

model::certificate_update_event client_devices_state::current_update() const {
    model::certificate_update update;
    update.privateKey = server_certificate.private_key_pem;
    update.publicKey = server_certificate.public_key_pem;
    update.certificate = server_certificate.certificate_pem;
    if (auth) update.caCertificates = std::vector<std::string>{auth->authority().certificate_pem()};
    return {.certificateUpdate = std::move(update)};
}

namespace clientdevices_service {

std::optional<model::ipc_error> ensure_started(client_devices_state& state) {
    if (!state.auth && state.start) {
        // Once: a failure is not retried on every call.
        const auto start = std::move(state.start);
        state.start = nullptr;
        try {
            start(state);
            logger("clientdevices")->info("local certificate authority and server certificate made");
        } catch (const std::exception& e) {
            logger("clientdevices")->error("client device auth could not start: {}", e.what());
        }
    }
    if (state.auth) return std::nullopt;
    return model::ipc_error::service("Client device auth is not available");
}

}  // namespace clientdevices_service

void register_clientdevices_service(operation_registry& registry, client_devices_state& state) {
    registry.add(clientdevices_service::verify_client_device_identity(state));
    registry.add(clientdevices_service::get_client_device_auth_token(state));
    registry.add(clientdevices_service::authorize_client_device_action(state));
    registry.add(clientdevices_service::subscribe_to_certificate_updates(state));
}

}  // namespace standin::server
