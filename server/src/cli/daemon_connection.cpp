// SPDX-License-Identifier: Apache-2.0
#include "cli/daemon_connection.hpp"

#include <filesystem>
#include <iostream>
#include <stdexcept>

#include "daemon/daemon_info.hpp"

namespace standin::server {

void add_identity_flags(CLI::App& command, identity_flags& flags) {
    command.add_option("--root", flags.root, "Root directory of the running daemon (with --component)")
        ->capture_default_str();
    command.add_option("--component", flags.component,
                       "Act as this component (default: the component environment, SVCUID and "
                       "AWS_GG_NUCLEUS_DOMAIN_SOCKET_FILEPATH_FOR_COMPONENT)");
}

client::connection_config connection_config_for(const identity_flags& flags) {
    if (flags.component.empty()) {
        auto config = client::connection_config::from_environment();
        if (config.auth_token.empty() || config.socket_path.empty()) {
            throw std::runtime_error(
                "no component identity: run this as a component (SVCUID and "
                "AWS_GG_NUCLEUS_DOMAIN_SOCKET_FILEPATH_FOR_COMPONENT set, e.g. by `eval \"$(standin "
                "env COMPONENT)\"`) or pass --component NAME [--root DIR]");
        }
        return config;
    }
    const auto info = read_running_daemon_info(std::filesystem::absolute(flags.root));
    client::connection_config config;
    config.socket_path = info.client_socket.string();
    config.auth_token = component_token(info, flags.component);
    return config;
}

std::optional<client::connection> connect_as(const identity_flags& flags, std::string_view command_name,
                                             std::optional<std::chrono::milliseconds> call_timeout) {
    client::connection_config config;
    try {
        config = connection_config_for(flags);
    } catch (const std::exception& e) {
        std::cerr << command_name << ": " << e.what() << '\n';
        return std::nullopt;
    }
    config.call_timeout = call_timeout;
    client::connection connection{std::move(config)};
    if (auto connected = connection.connect(); !connected) {
        std::cerr << command_name << ": cannot connect: " << connected.error() << '\n';
        return std::nullopt;
    }
    return connection;
}

}  // namespace standin::server
