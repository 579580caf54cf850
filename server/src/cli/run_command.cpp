// SPDX-License-Identifier: Apache-2.0
#include "cli/run_command.hpp"

#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include "daemon/daemon.hpp"
#include "util/log.hpp"

namespace standin::server {

namespace {

struct run_flags {
    daemon_options options;
    std::string recipe, fixture, thing_name, region, artifacts;
    std::string log_level = "warn";  // the component's output is what matters here
    std::vector<std::string> command;
};

}  // namespace

command add_run_command(CLI::App& app) {
    auto flags = std::make_shared<run_flags>();
    auto* run = app.add_subcommand(
        "run",
        "Run one component in the foreground (its lifecycle, or COMMAND as that component) with the "
        "daemon serving it; ends when the component does");
    run->add_option("--recipe", flags->recipe, "The component's recipe file")
        ->required()
        ->check(CLI::ExistingFile);
    run->add_option("--root", flags->options.root, "Nucleus root directory (created if missing)")
        ->capture_default_str();
    run->add_option("--fixture", flags->fixture, "Fake cloud and device state (YAML or JSON)")
        ->check(CLI::ExistingFile);
    run->add_option("--thing-name", flags->thing_name, "Thing name (default standin-thing)");
    run->add_option("--region", flags->region, "AWS region (default us-east-1)");
    run->add_option("--artifacts", flags->artifacts, "Artifacts directory, DIR/<component>/<version>/");
    run->add_option("--log-level", flags->log_level, "trace, debug, info, warn, error, critical or off")
        ->transform(CLI::IsMember({"trace", "debug", "info", "warn", "error", "critical", "off"},
                                  CLI::ignore_case))
        ->capture_default_str();
    run->add_option("COMMAND", flags->command,
                    "After --: the program to run as the component instead of its lifecycle");

    return {run, [flags] {
                auto options = flags->options;
                options.recipe_dirs = {flags->recipe};
                if (!flags->fixture.empty()) options.fixture = flags->fixture;
                if (!flags->thing_name.empty()) options.thing_name = flags->thing_name;
                if (!flags->region.empty()) options.region = flags->region;
                if (!flags->artifacts.empty()) options.artifacts = flags->artifacts;
                options.foreground = daemon_options::foreground_run{flags->command};
                try {
                    set_log_level(flags->log_level);
                    return run_daemon(options);
                } catch (const startup_error& e) {
                    std::cerr << "standin run: " << e.what() << '\n';
                } catch (const std::exception& e) {
                    std::cerr << "standin run: unexpected error: " << e.what() << '\n';
                }
                return exit_runtime_error;
            }};
}

}  // namespace standin::server
