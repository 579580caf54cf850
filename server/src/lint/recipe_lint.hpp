// SPDX-License-Identifier: Apache-2.0
// `standin lint`'s checks of one recipe: the accessControl mistakes the nucleus only logs (or
// silently accepts and never matches), unknown recipe keys, and, for `--target lite`, what nucleus
// lite would not run (semantics.md §2, §10, §13). Pure: input is a parsed recipe and its source
// text, output the findings; reading files and printing is lint_command's job.
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

#include "lint/finding.hpp"
#include "recipes/recipe.hpp"

namespace standin::server::lint {

enum class lint_target : std::uint8_t {
    nucleus,  // the Java nucleus (what standin serve emulates)
    lite,     // also what Greengrass nucleus lite lacks
};

struct lint_options {
    lint_target target = lint_target::nucleus;
};

// Every finding for `parsed`, which parse_recipe made of `source` (parsed.file labels the
// findings; lines come from `source`, YAML or JSON), in source order.
std::vector<finding> lint_recipe(const recipe& parsed, std::string_view source,
                                 const lint_options& options = {});

// A recipe that parse_recipe rejected, as one error.
finding recipe_error_finding(const recipe_error& error);

// One error per recipe whose ComponentName (compared case-insensitively, as the nucleus does) an
// earlier recipe of `recipes` already defines.
std::vector<finding> duplicate_component_findings(const std::vector<recipe>& recipes);

}  // namespace standin::server::lint
