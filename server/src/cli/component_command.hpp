// SPDX-License-Identifier: Apache-2.0
// `standin component list|details|restart|stop`: greengrass-cli's component commands against the
// running daemon, through the client library, as the built-in aws.greengrass.Cli component (its
// token is in the owner-only daemon.json under --root: whoever can read the root can drive the
// daemon, as greengrass-cli on a device).
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "cli/command.hpp"
#include "standin/model/cli.hpp"

namespace standin::server {

// greengrass-cli's block for one component: "Component Name: X", then Version, State and
// Configuration (compact JSON) indented by four spaces, one per line.
std::string component_block(const model::component_details& details);

// greengrass-cli's --names: comma-separated, blanks around names ignored, empty names dropped.
std::vector<std::string> split_names(const std::string& names);

command add_component_command(CLI::App& app);

}  // namespace standin::server
