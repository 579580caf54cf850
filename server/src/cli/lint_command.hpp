// SPDX-License-Identifier: Apache-2.0
// `standin lint [--target nucleus|lite] [--json] [DIR...]`: checks recipes for the accessControl and
// recipe mistakes the nucleus only logs or silently never matches, and with --target lite what
// nucleus lite would not run. Each finding names file, line, problem and fix.
#pragma once

#include <filesystem>
#include <ostream>
#include <vector>

#include "cli/command.hpp"
#include "lint/recipe_lint.hpp"

namespace standin::server {

struct lint_request {
    std::vector<std::filesystem::path> paths;  // directories or recipe files; empty: ./recipes
    lint::lint_options options;
    bool json = false;
};

// Lints every recipe of `request.paths` and writes the findings to `out` (text, or one JSON object
// with --json). Returns exit_runtime_error (1) when any finding is an error, exit_success
// otherwise; exit_usage_error (2), with the reason on `err`, when a path does not exist.
int run_lint(const lint_request& request, std::ostream& out, std::ostream& err);

// `standin lint ...`.
command add_lint_command(CLI::App& app);

}  // namespace standin::server
