// SPDX-License-Identifier: Apache-2.0
#include "standin/model/metrics.hpp"

#include "standin/model/detail/mapping.hpp"

namespace standin::model {

STANDIN_MODEL_INSTANTIATE(metric);
STANDIN_MODEL_INSTANTIATE(put_component_metric_request);
STANDIN_MODEL_INSTANTIATE(put_component_metric_response);

}  // namespace standin::model
