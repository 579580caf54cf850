// SPDX-License-Identifier: Apache-2.0
#include "standin/model/shadow.hpp"

#include "standin/model/detail/mapping.hpp"

namespace standin::model {

STANDIN_MODEL_INSTANTIATE(get_thing_shadow_request);
STANDIN_MODEL_INSTANTIATE(get_thing_shadow_response);
STANDIN_MODEL_INSTANTIATE(update_thing_shadow_request);
STANDIN_MODEL_INSTANTIATE(update_thing_shadow_response);
STANDIN_MODEL_INSTANTIATE(delete_thing_shadow_request);
STANDIN_MODEL_INSTANTIATE(delete_thing_shadow_response);
STANDIN_MODEL_INSTANTIATE(list_named_shadows_for_thing_request);
STANDIN_MODEL_INSTANTIATE(list_named_shadows_for_thing_response);

}  // namespace standin::model
