// SPDX-License-Identifier: Apache-2.0
// How a command that talks IPC reaches the running daemon, and as whom: the component whose
// environment it runs in (SVCUID and the socket variables, as the nucleus sets them), or the
// component named with --component, whose token it reads from the owner-only daemon.json under
// --root (as `standin env` does).
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

#include <CLI/CLI.hpp>

#include "standin/client/config.hpp"
#include "standin/client/connection.hpp"

namespace standin::server {

struct identity_flags {
    std::string root = ".standin";
    std::string component;  // empty: the component environment
};

// Adds --root and --component to `command`.
void add_identity_flags(CLI::App& command, identity_flags& flags);

// The connection configuration for `flags`. Throws std::runtime_error with a one-line reason (no
// daemon under --root, an unknown component, no component environment).
client::connection_config connection_config_for(const identity_flags& flags);

// Connects as `flags` says, with `call_timeout` as the blocking calls' default; nullopt after
// printing "<command_name>: <why>" on stderr.
std::optional<client::connection> connect_as(
    const identity_flags& flags, std::string_view command_name,
    std::optional<std::chrono::milliseconds> call_timeout = std::nullopt);

}  // namespace standin::server
