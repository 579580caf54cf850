// SPDX-License-Identifier: Apache-2.0
// The standin executable: argument parsing and the process's only top-level error handling.
#include <chrono>
#include <csignal>
#include <cstdint>
#include <iostream>

#include <CLI/CLI.hpp>

#include "cli/env_command.hpp"
#include "cli/policy_command.hpp"
#include "daemon/daemon.hpp"
#include "util/log.hpp"

namespace {

constexpr int exit_runtime_error = 1;
constexpr int exit_usage_error = 2;

}  // namespace

int main(int argc, char** argv) {
    using namespace standin::server;
    // Writes to a peer that has gone are reported as errors; the process must not die of them.
    std::signal(SIGPIPE, SIG_IGN);

    CLI::App app{
        "standin: a stand-in for the AWS IoT Greengrass v2 nucleus's IPC, for off-device tests"};
    app.require_subcommand(1);
    app.set_version_flag("--version", "standin 0.1.0");

    daemon_options serve;
    std::vector<std::string> recipe_dirs;
    std::string fixture, socket, thing_name, region, log_level = "info", profile = "full",
                                                     socket_mode = "600";
    auto* serve_cmd = app.add_subcommand("serve", "Run the IPC daemon on the given recipes");
    serve_cmd->add_option("--root", serve.root, "Nucleus root directory (created if missing)")
        ->capture_default_str();
    serve_cmd->add_option(
        "--recipes", recipe_dirs,
        "Directory of recipe files, or one recipe file (repeatable; default ./recipes)");
    serve_cmd->add_option("--fixture", fixture, "Fake cloud and device state (YAML or JSON)")
        ->check(CLI::ExistingFile);
    serve_cmd->add_option("--socket", socket, "IPC socket path (default ROOT/ipc.socket)");
    serve_cmd->add_option("--thing-name", thing_name,
                          "Thing name (overrides the fixture; default standin-thing)");
    serve_cmd->add_option("--region", region, "AWS region (overrides the fixture; default us-east-1)");
    serve_cmd->add_option("--log-level", log_level, "trace, debug, info, warn, error, critical or off")
        ->transform(CLI::IsMember({"trace", "debug", "info", "warn", "error", "critical", "off"},
                                  CLI::ignore_case))
        ->capture_default_str();
    serve_cmd
        ->add_option("--profile", profile,
                     "full (nucleus limits) or lite (nucleus lite's 10,000-byte frames)")
        ->transform(CLI::IsMember({"full", "lite"}, CLI::ignore_case))
        ->capture_default_str();
    serve_cmd
        ->add_option("--socket-mode", socket_mode,
                     "Octal permission bits of the socket (666 = everyone)")
        ->check(CLI::Validator(
            [](std::string& value) -> std::string {
                if (value.empty() || value.size() > 4 ||
                    value.find_first_not_of("01234567") != std::string::npos) {
                    return "not an octal mode: " + value;
                }
                return {};
            },
            "OCTAL"))
        ->capture_default_str();
    serve_cmd
        ->add_option("--max-outbound-bytes", serve.limits.max_outbound_bytes,
                     "Stream events queued per connection before a slow subscriber's stream is closed")
        ->check(CLI::PositiveNumber)
        ->capture_default_str();

    double connect_timeout_s = std::chrono::duration<double>(serve.limits.connect_timeout).count();
    double write_stall_timeout_s =
        std::chrono::duration<double>(serve.limits.write_stall_timeout).count();
    serve_cmd
        ->add_option("--connect-timeout", connect_timeout_s,
                     "Seconds a new connection has to complete CONNECT before it is closed")
        ->check(CLI::PositiveNumber)
        ->capture_default_str();
    serve_cmd
        ->add_option("--write-stall-timeout", write_stall_timeout_s,
                     "Seconds a client may leave a pending write unread before its connection is "
                     "closed (0 = never)")
        ->check(CLI::NonNegativeNumber)
        ->capture_default_str();
    serve_cmd
        ->add_option("--max-streams-per-connection", serve.limits.max_streams_per_connection,
                     "Streams (subscriptions, calls in flight) open at once on one connection")
        ->check(CLI::PositiveNumber)
        ->capture_default_str();
    serve_cmd
        ->add_option("--max-connections", serve.limits.max_connections,
                     "Connections served at once; more are closed as soon as they are accepted")
        ->check(CLI::PositiveNumber)
        ->capture_default_str();

    std::string audit;
    serve_cmd->add_option("--audit", audit,
                          "Append every authorization decision to FILE as a JSON line (time, component, "
                          "service id, operation, resource, decision, policy)");

    std::string env_root = ".standin", env_component;
    auto* env_cmd = app.add_subcommand("env", "Print the environment of a component as shell exports");
    env_cmd->add_option("--root", env_root, "Root directory of the running daemon")
        ->capture_default_str();
    env_cmd->add_option("COMPONENT", env_component, "Component name (from its recipe)")->required();

    policy_check_request policy_check;
    std::vector<std::string> policy_recipe_dirs;
    auto* policy_cmd = app.add_subcommand("policy", "Explain authorization decisions offline");
    policy_cmd->require_subcommand(1);
    auto* check_cmd = policy_cmd->add_subcommand(
        "check",
        "Whether COMPONENT may perform OPERATION on RESOURCE, which policy decides, and the "
        "accessControl that would allow it (exit 0 allowed, 1 denied, 2 usage)");
    check_cmd
        ->add_option("--recipes", policy_recipe_dirs,
                     "Directory of recipe files, or one recipe file (repeatable; default ./recipes)")
        ->allow_extra_args(false);  // one value per --recipes, so that positionals stay positional
    check_cmd->add_flag("--json", policy_check.json, "One JSON object on stdout, for tools");
    check_cmd->add_option("COMPONENT", policy_check.component, "The calling component")->required();
    check_cmd
        ->add_option("OPERATION", policy_check.operation,
                     "PublishToTopic or aws.greengrass#PublishToTopic")
        ->required();
    check_cmd->add_option("RESOURCE", policy_check.resource,
                          "What the operation is authorized against (topic, shadow path, secret ARN, "
                          "component name...); may be left out where the operation fixes it");

    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        // CLI11 prints help and version to stdout with code 0; errors get one line plus usage.
        if (e.get_exit_code() == 0) return app.exit(e);
        std::cerr << "standin: " << e.what() << "\n\n"
                  << (app.get_subcommands().empty() ? app.help()
                                                    : app.get_subcommands().front()->help());
        return exit_usage_error;
    }

    if (*env_cmd) {
        try {
            print_component_env(env_root, env_component, std::cout);
            return 0;
        } catch (const std::exception& e) {
            std::cerr << "standin env: " << e.what() << '\n';
            return exit_runtime_error;
        }
    }

    if (*check_cmd) {
        for (const auto& dir : policy_recipe_dirs)
            policy_check.recipe_dirs.emplace_back(dir);
        try {
            return run_policy_check(policy_check, std::cout, std::cerr);
        } catch (const std::exception& e) {
            std::cerr << "standin policy check: " << e.what() << '\n';
            return policy_usage_error;
        }
    }

    for (const auto& dir : recipe_dirs)
        serve.recipe_dirs.emplace_back(dir);
    if (!fixture.empty()) serve.fixture = fixture;
    if (!audit.empty()) serve.audit = audit;
    if (!socket.empty()) serve.socket = socket;
    if (!thing_name.empty()) serve.thing_name = thing_name;
    if (!region.empty()) serve.region = region;
    serve.socket_mode = static_cast<unsigned>(std::stoul(socket_mode, nullptr, 8));
    const auto to_ms = [](double seconds) {
        return std::chrono::milliseconds{static_cast<std::int64_t>(seconds * 1000.0 + 0.5)};
    };
    serve.limits.connect_timeout = to_ms(connect_timeout_s);
    serve.limits.write_stall_timeout = to_ms(write_stall_timeout_s);
    if (profile == "lite") serve.limits.max_frame_size = standin::protocol::lite_max_frame_size;
    try {
        set_log_level(log_level);
        return run_daemon(serve);
    } catch (const startup_error& e) {
        std::cerr << "standin serve: " << e.what() << '\n';
        return exit_runtime_error;
    } catch (const std::exception& e) {
        std::cerr << "standin serve: unexpected error: " << e.what() << '\n';
        return exit_runtime_error;
    }
}
