// SPDX-License-Identifier: Apache-2.0
// What Greengrass nucleus lite serves and reads, for `standin lint --target lite`
// (semantics.md §13; field.md §1.1.2 and §4.1, from aws-greengrass-lite 326e992b: ggipcd's
// services, docs/RECIPE_SUPPORT_CHANGES.md).
#pragma once

#include <string_view>

#include "standin/model/operations.hpp"

namespace standin::server::lint {

// Whether lite's ggipcd serves `operation` (a full name): the table's `lite` column.
constexpr bool lite_serves(std::string_view operation) noexcept {
    const model::operation_info* op = model::find_operation(operation);
    return op != nullptr && op->lite;
}

// Lite's Platform key that selects a manifest for it: "aws_nucleus_lite" or "*" is required.
inline constexpr std::string_view lite_runtime_key = "runtime";
inline constexpr std::string_view lite_runtime_value = "aws_nucleus_lite";

// The only component type lite runs.
inline constexpr std::string_view lite_component_type = "aws.greengrass.generic";

}  // namespace standin::server::lint
