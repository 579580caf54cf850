// SPDX-License-Identifier: Apache-2.0
// `standin policy check`: offline, from recipes alone, whether a component may perform an operation
// on a resource, which policy decides it, why the others do not, and the accessControl that would
// allow it. The same policy engine and operation table as the daemon.
#pragma once

#include <filesystem>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "cli/command.hpp"
#include "core/device_identity.hpp"

namespace standin::server {

struct policy_check_request {
    std::vector<std::filesystem::path> recipe_dirs;  // empty: ./recipes
    std::string component;
    std::string operation;                // "PublishToTopic" or "aws.greengrass#PublishToTopic"
    std::optional<std::string> resource;  // may be left out where the operation's rule fixes it
    bool json = false;
    // As standin serve --strict-policies: a policy the nucleus would drop is a usage error.
    bool strict_policies = false;
    // As standin serve --interpolate-component-configuration: the system recipe variables are
    // replaced in each configuration, with these values.
    bool interpolate_component_configuration = false;
    std::string thing_name = device_identity{}.thing_name;  // {iot:thingName}
    std::string root = ".standin";  // {kernel:rootPath}, {work:path}, artifact paths
};

// Exit codes of the command.
inline constexpr int policy_allowed = 0;
inline constexpr int policy_denied = 1;
inline constexpr int policy_usage_error = 2;

// Writes the verdict to `out` (text or one JSON object) and returns the exit code. Usage problems
// (an unknown operation, a missing resource) go to `err` with policy_usage_error; bad recipes
// throw recipe_error.
int run_policy_check(const policy_check_request& request, std::ostream& out, std::ostream& err);

// `standin policy check ...`.
command add_policy_command(CLI::App& app);

}  // namespace standin::server
