// SPDX-License-Identifier: Apache-2.0
// Authorization tokens (nucleus; only aws.greengrass.StreamManager may call):
// ValidateAuthorizationToken.
#pragma once

#include <array>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "standin/model/codec.hpp"
#include "standin/model/types.hpp"

namespace standin::model {

struct validate_authorization_token_request {
    static constexpr std::string_view shape_id = "aws.greengrass#ValidateAuthorizationTokenRequest";
    std::optional<std::string> token{};
};
BOOST_DESCRIBE_STRUCT(validate_authorization_token_request, (), (token))

struct validate_authorization_token_response {
    static constexpr std::string_view shape_id = "aws.greengrass#ValidateAuthorizationTokenResponse";
    std::optional<bool> isValid{};
};
BOOST_DESCRIBE_STRUCT(validate_authorization_token_response, (), (isValid))

}  // namespace standin::model
