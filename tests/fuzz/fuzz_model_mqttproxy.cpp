// SPDX-License-Identifier: Apache-2.0
// Every shape of the mqttproxy service (model/mqttproxy.hpp: PublishToIoTCore, SubscribeToIoTCore),
// requests, responses and events alike, decoded from one payload and re-encoded (model_fuzz.hpp).
#include <cstddef>
#include <cstdint>

#include "model_fuzz.hpp"
#include "standin/model/mqttproxy.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace standin::model;
    return standin::fuzz::fuzz_model<user_property, mqtt_message, iot_core_message,
                                     publish_to_iot_core_request, publish_to_iot_core_response,
                                     subscribe_to_iot_core_request, subscribe_to_iot_core_response>(
        data, size);
}
