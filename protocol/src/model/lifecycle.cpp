// SPDX-License-Identifier: Apache-2.0
#include "standin/model/lifecycle.hpp"

#include "standin/model/detail/mapping.hpp"

namespace standin::model {

STANDIN_MODEL_INSTANTIATE(pre_component_update_event);
STANDIN_MODEL_INSTANTIATE(post_component_update_event);
STANDIN_MODEL_INSTANTIATE(component_update_policy_events);
STANDIN_MODEL_INSTANTIATE(update_state_request);
STANDIN_MODEL_INSTANTIATE(update_state_response);
STANDIN_MODEL_INSTANTIATE(subscribe_to_component_updates_request);
STANDIN_MODEL_INSTANTIATE(subscribe_to_component_updates_response);
STANDIN_MODEL_INSTANTIATE(defer_component_update_request);
STANDIN_MODEL_INSTANTIATE(defer_component_update_response);
STANDIN_MODEL_INSTANTIATE(pause_component_request);
STANDIN_MODEL_INSTANTIATE(pause_component_response);
STANDIN_MODEL_INSTANTIATE(resume_component_request);
STANDIN_MODEL_INSTANTIATE(resume_component_response);

}  // namespace standin::model
