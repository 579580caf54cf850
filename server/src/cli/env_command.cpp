// SPDX-License-Identifier: Apache-2.0
#include "cli/env_command.hpp"

#include <sys/un.h>

#include <stdexcept>

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

// SDK clients connect to exactly this path, so it must fit in sun_path. The nucleus hands out a
// relative path when the absolute one is too long; we do the same relative to the caller's
// working directory, where the client will run.
std::string socket_path_for_client(const fs::path& socket) {
    constexpr std::size_t max_path = sizeof(sockaddr_un::sun_path) - 1;
    if (socket.native().size() <= max_path) return socket.string();
    std::error_code ec;
    const auto relative = fs::relative(socket, fs::current_path(), ec);
    if (!ec && !relative.empty() && relative.native().size() <= max_path) return relative.string();
    return socket.string();
}

}  // namespace

void print_component_env(const fs::path& root, const std::string& component, std::ostream& out) {
    const auto info = read_running_daemon_info(fs::absolute(root));
    const auto token = info.tokens.find(component);
    if (token == info.tokens.end()) {
        std::string known;
        for (const auto& [name, unused] : info.tokens)
            known += (known.empty() ? "" : ", ") + name;
        throw std::runtime_error("unknown component '" + component + "' (the daemon knows: " +
                                 (known.empty() ? "no components" : known) + ")");
    }
    const auto socket = socket_path_for_client(info.socket);
    const std::pair<const char*, std::string> variables[] = {
        {"SVCUID", token->second},
        {"AWS_CONTAINER_AUTHORIZATION_TOKEN", token->second},
        {"AWS_GG_NUCLEUS_DOMAIN_SOCKET_FILEPATH_FOR_COMPONENT", socket},
        {"AWS_GG_NUCLEUS_DOMAIN_SOCKET_FILEPATH", info.socket.string()},
        {"AWS_IOT_THING_NAME", info.thing_name},
        {"AWS_REGION", info.region},
        {"AWS_DEFAULT_REGION", info.region},
        {"GGC_VERSION", emulated_nucleus_version},
    };
    for (const auto& [name, value] : variables)
        out << "export " << name << '=' << shell_quote(value) << '\n';
    if (!info.root_ca_path.empty())
        out << "export GG_ROOT_CA_PATH=" << shell_quote(info.root_ca_path) << '\n';
}

}  // namespace standin::server
