// SPDX-License-Identifier: Apache-2.0
#include "cli/env_command.hpp"

#include <iostream>
#include <memory>
#include <stdexcept>

#include "components/component_environment.hpp"
#include "daemon/daemon_info.hpp"

namespace standin::server {

namespace fs = std::filesystem;

namespace {

// Single-quoted for POSIX shells: a quote inside becomes '\''.
std::string shell_quote(const std::string& value) {
    std::string out = "'";
    for (const char c : value) {
        if (c == '\'') {
            out += "'\\''";
        } else {
            out += c;
        }
    }
    return out + "'";
}

}  // namespace

void print_component_env(const fs::path& root, const std::string& component, std::ostream& out) {
    const auto info = read_running_daemon_info(fs::absolute(root));
    const auto& token = component_token(info, component);
    const component_identity id{token,
                                info.client_socket.string(),
                                info.socket.string(),
                                info.thing_name,
                                info.region,
                                info.root_ca_path};
    for (const auto& [name, value] : component_environment(id))
        out << "export " << name << '=' << shell_quote(value) << '\n';
}

command add_env_command(CLI::App& app) {
    struct env_flags {
        std::string root = ".standin";
        std::string component;
    };
    auto flags = std::make_shared<env_flags>();
    auto* env = app.add_subcommand("env", "Print the environment of a component as shell exports");
    env->add_option("--root", flags->root, "Root directory of the running daemon")
        ->capture_default_str();
    env->add_option("COMPONENT", flags->component, "Component name (from its recipe)")->required();
    return {env, [flags] {
                try {
                    print_component_env(flags->root, flags->component, std::cout);
                    return exit_success;
                } catch (const std::exception& e) {
                    std::cerr << "standin env: " << e.what() << '\n';
                    return exit_runtime_error;
                }
            }};
}

}  // namespace standin::server
