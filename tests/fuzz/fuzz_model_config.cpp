// SPDX-License-Identifier: Apache-2.0
// Every shape of the config service (model/config.hpp: GetConfiguration, UpdateConfiguration,
// SubscribeToConfigurationUpdate, SubscribeToValidateConfigurationUpdates,
// SendConfigurationValidityReport), requests, responses and events alike, decoded from one payload and
// re-encoded (model_fuzz.hpp).
#include <cstddef>
#include <cstdint>

#include "model_fuzz.hpp"
#include "standin/model/config.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace standin::model;
    return standin::fuzz::fuzz_model<
        configuration_update_event, configuration_update_events, validate_configuration_update_event,
        validate_configuration_update_events, configuration_validity_report, get_configuration_request,
        get_configuration_response, update_configuration_request, update_configuration_response,
        subscribe_to_configuration_update_request, subscribe_to_configuration_update_response,
        subscribe_to_validate_configuration_updates_request,
        subscribe_to_validate_configuration_updates_response, send_configuration_validity_report_request,
        send_configuration_validity_report_response>(data, size);
}
