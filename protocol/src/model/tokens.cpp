// SPDX-License-Identifier: Apache-2.0
#include "standin/model/tokens.hpp"

#include "standin/model/detail/mapping.hpp"

namespace standin::model {

STANDIN_MODEL_INSTANTIATE(validate_authorization_token_request);
STANDIN_MODEL_INSTANTIATE(validate_authorization_token_response);

}  // namespace standin::model
