// SPDX-License-Identifier: Apache-2.0
// <root>/daemon.json: what `standin env` needs to hand a component its identity while the daemon
// runs (socket, device identity, tokens). Owner-readable only, removed on shutdown.
#pragma once

#include <filesystem>
#include <map>
#include <string>

namespace standin::server {

inline constexpr const char* daemon_info_file_name = "daemon.json";

struct daemon_info {
    long pid = 0;
    std::filesystem::path socket;
    // What clients connect to: `socket`, or a short alias of it when its path does not fit in
    // sockaddr_un (see run_daemon).
    std::filesystem::path client_socket;
    std::string thing_name;
    std::string region;
    std::string root_ca_path;                   // empty when none is set
    std::map<std::string, std::string> tokens;  // component -> SVCUID
    // Built-in components without a recipe (aws.greengrass.Cli, as whom standin's own commands
    // call the daemon) -> SVCUID.
    std::map<std::string, std::string> builtin_tokens;
};

// Writes atomically with mode 0600. Throws std::runtime_error.
void write_daemon_info(const std::filesystem::path& root, const daemon_info& info);
// Throws std::runtime_error with a one-line reason when there is no running daemon for `root`.
daemon_info read_running_daemon_info(const std::filesystem::path& root);
void remove_daemon_info(const std::filesystem::path& root) noexcept;

// The SVCUID of `component` (a recipe's or a built-in). Throws std::runtime_error naming the components
// the daemon knows.
const std::string& component_token(const daemon_info& info, const std::string& component);

}  // namespace standin::server
