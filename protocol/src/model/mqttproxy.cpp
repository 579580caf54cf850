// SPDX-License-Identifier: Apache-2.0
#include "standin/model/mqttproxy.hpp"

#include "standin/model/detail/mapping.hpp"

namespace standin::model {

STANDIN_MODEL_INSTANTIATE(user_property);
STANDIN_MODEL_INSTANTIATE(mqtt_message);
STANDIN_MODEL_INSTANTIATE(iot_core_message);
STANDIN_MODEL_INSTANTIATE(publish_to_iot_core_request);
STANDIN_MODEL_INSTANTIATE(publish_to_iot_core_response);
STANDIN_MODEL_INSTANTIATE(subscribe_to_iot_core_request);
STANDIN_MODEL_INSTANTIATE(subscribe_to_iot_core_response);

}  // namespace standin::model
