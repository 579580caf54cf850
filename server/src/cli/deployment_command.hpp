// SPDX-License-Identifier: Apache-2.0
// `standin deployment create|status|list|cancel`: greengrass-cli's deployment commands, with its
// flags (--recipeDir/-r, --artifactDir/-a, --merge/-m C=V, --remove, --update-config/-c FILE|JSON,
// --groupId/-g, --failure-handling-policy), against the running daemon as the built-in
// aws.greengrass.Cli component (see component_command.hpp). `create --wait` also waits, bounded,
// for the deployment's end and exits 1 when it did not succeed, with the reason on stderr.
#pragma once

#include <string>

#include "cli/command.hpp"
#include "standin/model/cli.hpp"

namespace standin::server {

// greengrass-cli's `deployment status` text: "<id>: <STATUS>", "Created on: ...", and for a
// failed deployment its detailed status, error stack, error types and failure cause, one a line.
std::string deployment_status_text(const model::local_deployment& deployment);

command add_deployment_command(CLI::App& app);

}  // namespace standin::server
