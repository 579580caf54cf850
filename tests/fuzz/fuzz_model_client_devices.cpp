// SPDX-License-Identifier: Apache-2.0
// Every shape of the client_devices service (model/client_devices.hpp: GetClientDeviceAuthToken,
// VerifyClientDeviceIdentity, AuthorizeClientDeviceAction, SubscribeToCertificateUpdates), requests,
// responses and events alike, decoded from one payload and re-encoded (model_fuzz.hpp).
#include <cstddef>
#include <cstdint>

#include "model_fuzz.hpp"
#include "standin/model/client_devices.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace standin::model;
    return standin::fuzz::fuzz_model<
        mqtt_credential, credential_document, client_device_credential, certificate_options,
        certificate_update, certificate_update_event, get_client_device_auth_token_request,
        get_client_device_auth_token_response, verify_client_device_identity_request,
        verify_client_device_identity_response, authorize_client_device_action_request,
        authorize_client_device_action_response, subscribe_to_certificate_updates_request,
        subscribe_to_certificate_updates_response>(data, size);
}
