// SPDX-License-Identifier: Apache-2.0
// The shape of a `standin` subcommand: each command file registers its flags on the CLI11 app and
// returns how to run it once the command line has been parsed. main.cpp only collects commands.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>

#include <CLI/CLI.hpp>

namespace standin::server {

// Exit codes shared by every command (contract.md): 0 success, 1 runtime error, 2 usage error.
inline constexpr int exit_success = 0;
inline constexpr int exit_runtime_error = 1;
inline constexpr int exit_usage_error = 2;

// A duration flag given in seconds (CLI11 reads it as a double), to the nearest millisecond.
inline std::chrono::milliseconds to_milliseconds(double seconds) {
    return std::chrono::milliseconds{static_cast<std::int64_t>(seconds * 1000.0 + 0.5)};
}

struct command {
    CLI::App* app;             // the registered subcommand; selected when `*app` is true after parse
    std::function<int()> run;  // runs it and returns the process exit code
};

}  // namespace standin::server
