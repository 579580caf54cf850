// SPDX-License-Identifier: Apache-2.0
// aws.greengrass.clientdevices.Auth (semantics.md §9; [CDA] ipc/*OperationHandler.java):
// VerifyClientDeviceIdentity, GetClientDeviceAuthToken, AuthorizeClientDeviceAction,
// SubscribeToCertificateUpdates. Every operation authorizes "*" (the dispatcher does it); the
// handlers then validate, in the plugin's order, and answer with its messages.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <optional>

#include "clientdevices/client_device_auth.hpp"
#include "rpc/operation.hpp"
#include "rpc/operation_registry.hpp"

namespace standin::server {

// The plugin's state: its core (set at start: it needs the local CA) and the broker server
// certificate the CA issued, sent to every SubscribeToCertificateUpdates subscriber.
struct client_devices_state {
    // Makes the plugin's core (a fresh CA and the server certificate it issues) into `auth` and
    // `server_certificate`. Run on first use, not at start-up: generating a key pair and
    // certificates takes milliseconds and megabytes of OpenSSL that a daemon whose components
    // never call a client device operation does not need. May throw std::runtime_error.
    std::function<void(client_devices_state&)> start;
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

// Starts the plugin's core on first use; ServiceError when it is not set up (making the CA failed).
std::optional<model::ipc_error> ensure_started(client_devices_state& state);
}  // namespace clientdevices_service

void register_clientdevices_service(operation_registry& registry, client_devices_state& state);

}  // namespace standin::server
