// SPDX-License-Identifier: Apache-2.0
// aws.greengrass.clientdevices.Auth (semantics.md §9; [CDA] ipc/*OperationHandler.java):
// VerifyClientDeviceIdentity, GetClientDeviceAuthToken, AuthorizeClientDeviceAction,
// SubscribeToCertificateUpdates. Every operation authorizes "*" (the dispatcher does it); the
// handlers then validate, in the plugin's order, and answer with its messages.
#pragma once

#include <cstdint>
#include <map>
#include <optional>

#include "clientdevices/client_device_auth.hpp"
#include "rpc/operation.hpp"
#include "rpc/operation_registry.hpp"

namespace standin::server {

// The plugin's state: its core (set at start: it needs the local CA) and the broker server
// certificate the CA issued, sent to every SubscribeToCertificateUpdates subscriber.
struct client_devices_state {
    std::optional<clientdevices::client_device_auth> auth;
    clientdevices::issued_certificate server_certificate;
    // The open certificate-update streams, for a later rotation.
    std::map<std::uint64_t, event_stream<model::certificate_update_event>> subscribers;
    std::uint64_t next_subscriber = 0;

    // The CertificateUpdateEvent of the current server certificate.
    model::certificate_update_event current_update() const;
};

namespace clientdevices_service {
operation_entry verify_client_device_identity(client_devices_state& state);
operation_entry get_client_device_auth_token(client_devices_state& state);
operation_entry authorize_client_device_action(client_devices_state& state);
operation_entry subscribe_to_certificate_updates(client_devices_state& state);

// ServiceError when the plugin's core is not set up (a daemon that failed to make its CA).
std::optional<model::ipc_error> require_ready(const client_devices_state& state);
}  // namespace clientdevices_service

void register_clientdevices_service(operation_registry& registry, client_devices_state& state);

}  // namespace standin::server
