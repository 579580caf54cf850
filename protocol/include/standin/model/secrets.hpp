// SPDX-License-Identifier: Apache-2.0
// Secrets (the aws.greengrass.SecretManager plugin): GetSecretValue.
#pragma once

#include <array>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "standin/model/codec.hpp"
#include "standin/model/types.hpp"

namespace standin::model {

// Union.
struct secret_value {
    static constexpr std::string_view shape_id = "aws.greengrass#SecretValue";
    static constexpr bool is_union = true;
    std::optional<std::string> secretString{};
    std::optional<blob> secretBinary{};
};
BOOST_DESCRIBE_STRUCT(secret_value, (), (secretString, secretBinary))

struct get_secret_value_request {
    static constexpr std::string_view shape_id = "aws.greengrass#GetSecretValueRequest";
    std::optional<std::string> secretId{};
    std::optional<std::string> versionId{};
    std::optional<std::string> versionStage{};
    std::optional<bool> refresh{};
};
BOOST_DESCRIBE_STRUCT(get_secret_value_request, (), (secretId, versionId, versionStage, refresh))

struct get_secret_value_response {
    static constexpr std::string_view shape_id = "aws.greengrass#GetSecretValueResponse";
    std::optional<std::string> secretId{};
    std::optional<std::string> versionId{};
    std::optional<std::vector<std::string>> versionStage{};
    std::optional<secret_value> secretValue{};
};
BOOST_DESCRIBE_STRUCT(get_secret_value_response, (), (secretId, versionId, versionStage, secretValue))

}  // namespace standin::model
