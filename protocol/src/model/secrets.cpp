// SPDX-License-Identifier: Apache-2.0
#include "standin/model/secrets.hpp"

#include "standin/model/detail/mapping.hpp"

namespace standin::model {

STANDIN_MODEL_INSTANTIATE(secret_value);
STANDIN_MODEL_INSTANTIATE(get_secret_value_request);
STANDIN_MODEL_INSTANTIATE(get_secret_value_response);

}  // namespace standin::model
