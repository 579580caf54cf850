// SPDX-License-Identifier: Apache-2.0
// What Greengrass nucleus lite serves and reads, for `standin lint --target lite`
// (semantics.md §13; field.md §1.1.2 and §4.1, from aws-greengrass-lite 326e992b: ggipcd's
// services, docs/RECIPE_SUPPORT_CHANGES.md).
#pragma once

#include <algorithm>
#include <array>
#include <string_view>

#include "standin/model/operations.hpp"

namespace standin::server::lint {

// The operations lite's ggipcd serves (11 of 34). Names are checked against the operation table
// below, so a typo here fails the build.
inline constexpr std::array<std::string_view, 11> lite_operations = {
    "aws.greengrass#CreateLocalDeployment",      "aws.greengrass#GetConfiguration",
    "aws.greengrass#PublishToIoTCore",           "aws.greengrass#PublishToTopic",
    "aws.greengrass#RestartComponent",           "aws.greengrass#SubscribeToConfigurationUpdate",
    "aws.greengrass#SubscribeToIoTCore",         "aws.greengrass#SubscribeToTopic",
    "aws.greengrass#UpdateConfiguration",        "aws.greengrass#UpdateState",
    "aws.greengrass#ValidateAuthorizationToken",
};
// (Compares names rather than find_operation() with nullptr: GCC 12 cannot constant-evaluate
// that pointer comparison under -fsanitize=undefined.)
consteval bool names_an_operation(std::string_view name) {
    return std::any_of(model::operations.begin(), model::operations.end(),
                       [&](const model::operation_info& op) { return op.name == name; });
}
static_assert(std::all_of(lite_operations.begin(), lite_operations.end(), names_an_operation),
              "lite_operations: every name is an operation of the table");

constexpr bool lite_serves(std::string_view operation) noexcept {
    return std::find(lite_operations.begin(), lite_operations.end(), operation) != lite_operations.end();
}

// Lite's Platform key that selects a manifest for it: "aws_nucleus_lite" or "*" is required.
inline constexpr std::string_view lite_runtime_key = "runtime";
inline constexpr std::string_view lite_runtime_value = "aws_nucleus_lite";

// The only component type lite runs.
inline constexpr std::string_view lite_component_type = "aws.greengrass.generic";

}  // namespace standin::server::lint
