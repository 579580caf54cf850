// SPDX-License-Identifier: Apache-2.0
// The standin executable: collects the subcommands (one file each under cli/), parses the command
// line and runs the chosen one. Each command handles its own errors and returns its exit code.
#include <csignal>
#include <iostream>
#include <vector>

#include <CLI/CLI.hpp>

#include "cli/command.hpp"
#include "cli/component_command.hpp"
#include "cli/deployment_command.hpp"
#include "cli/env_command.hpp"
#include "cli/lint_command.hpp"
#include "cli/policy_command.hpp"
#include "cli/pubsub_command.hpp"
#include "cli/run_command.hpp"
#include "cli/serve_command.hpp"

int main(int argc, char** argv) {
    using namespace standin::server;
    // Writes to a peer that has gone are reported as errors; the process must not die of them.
    std::signal(SIGPIPE, SIG_IGN);

    CLI::App app{
        "standin: a stand-in for the AWS IoT Greengrass v2 nucleus's IPC, for off-device tests"};
    app.require_subcommand(1);
    app.set_version_flag("--version", "standin 0.1.0");

    // One command per line (clang-format would bin-pack them), in the order --help lists them.
    // clang-format off
    const std::vector<command> commands{
        add_serve_command(app),
        add_env_command(app),
        add_policy_command(app),
        add_lint_command(app),
        add_pubsub_command(app),
        add_component_command(app),
        add_deployment_command(app),
        add_run_command(app),
    };
    // clang-format on

    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        // CLI11 prints help and version to stdout with code 0; errors get one line plus usage of
        // the deepest subcommand that was recognised.
        if (e.get_exit_code() == 0) return app.exit(e);
        const CLI::App* context = &app;
        while (!context->get_subcommands().empty())
            context = context->get_subcommands().front();
        std::cerr << "standin: " << e.what() << "\n\n" << context->help();
        return exit_usage_error;
    }
    for (const auto& command : commands) {
        if (*command.app) return command.run();
    }
    return exit_usage_error;  // unreachable: require_subcommand(1)
}
