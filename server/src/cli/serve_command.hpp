// SPDX-License-Identifier: Apache-2.0
// `standin serve`: the daemon's flags (contract.md) mapped onto daemon_options.
#pragma once

#include "cli/command.hpp"

namespace standin::server {

command add_serve_command(CLI::App& app);

}  // namespace standin::server
