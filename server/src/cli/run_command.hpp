// SPDX-License-Identifier: Apache-2.0
// `standin run --recipe FILE [-- COMMAND...]`: the edit-run loop. The daemon serves one component
// in the foreground: its recipe's lifecycle, or COMMAND run as that component (its environment,
// work directory, log and prefixed output); it ends when the component does, with the command's
// exit code (or 0 FINISHED / 1 BROKEN for a lifecycle), or on Ctrl-C.
#pragma once

#include "cli/command.hpp"

namespace standin::server {

command add_run_command(CLI::App& app);

}  // namespace standin::server
