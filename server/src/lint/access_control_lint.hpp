// SPDX-License-Identifier: Apache-2.0
// The accessControl checks of `standin lint` (semantics.md §2): what the nucleus drops, service ids,
// operations, resources that can never match, MQTT wildcards, recipe variables, and for the lite
// target the operations nucleus lite does not serve. Internal to lint/.
#pragma once

#include "lint/lint_support.hpp"
#include "lint/recipe_lint.hpp"

namespace standin::server::lint::detail {

// Adds the findings of `parsed`'s accessControl, whose source is under `root`, to `out`.
void lint_access_control(const recipe& parsed, const YAML::Node& root, lint_target target,
                         reporter& out);

}  // namespace standin::server::lint::detail
