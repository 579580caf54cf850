// SPDX-License-Identifier: Apache-2.0
// `standin env`: the environment the nucleus gives a component process, as shell exports.
#pragma once

#include <filesystem>
#include <ostream>
#include <string>

#include "cli/command.hpp"

namespace standin::server {

// Writes `export NAME='value'` lines for `component` of the daemon running with `root`.
// Throws std::runtime_error with a one-line message (no daemon, unknown component).
void print_component_env(const std::filesystem::path& root, const std::string& component,
                         std::ostream& out);

// `standin env [--root DIR] COMPONENT`.
command add_env_command(CLI::App& app);

}  // namespace standin::server
