// SPDX-License-Identifier: Apache-2.0
#include "standin/model/client_devices.hpp"

#include "standin/model/detail/mapping.hpp"

namespace standin::model {

STANDIN_MODEL_INSTANTIATE(mqtt_credential);
STANDIN_MODEL_INSTANTIATE(credential_document);
STANDIN_MODEL_INSTANTIATE(client_device_credential);
STANDIN_MODEL_INSTANTIATE(certificate_options);
STANDIN_MODEL_INSTANTIATE(certificate_update);
STANDIN_MODEL_INSTANTIATE(certificate_update_event);
STANDIN_MODEL_INSTANTIATE(get_client_device_auth_token_request);
STANDIN_MODEL_INSTANTIATE(get_client_device_auth_token_response);
STANDIN_MODEL_INSTANTIATE(verify_client_device_identity_request);
STANDIN_MODEL_INSTANTIATE(verify_client_device_identity_response);
STANDIN_MODEL_INSTANTIATE(authorize_client_device_action_request);
STANDIN_MODEL_INSTANTIATE(authorize_client_device_action_response);
STANDIN_MODEL_INSTANTIATE(subscribe_to_certificate_updates_request);
STANDIN_MODEL_INSTANTIATE(subscribe_to_certificate_updates_response);

}  // namespace standin::model
