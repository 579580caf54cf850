// SPDX-License-Identifier: Apache-2.0
// `standin serve`: load recipes and fixture, listen on the IPC socket, serve until SIGINT/SIGTERM.
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "iotcore/mosquitto_connection.hpp"
#include "net/connection_limits.hpp"

namespace standin::server {

// Which nucleus standin stands in for.
enum class nucleus_profile : std::uint8_t {
    full,  // the Java nucleus and its plugins
    lite,  // Greengrass nucleus lite: only the operations it serves (the table's `lite` column)
};

struct daemon_options {
    std::filesystem::path root = ".standin";
    std::vector<std::filesystem::path> recipe_dirs;  // empty: ./recipes when it exists
    std::optional<std::filesystem::path> fixture;
    std::optional<std::filesystem::path> socket;  // default: <root>/ipc.socket
    std::optional<std::string> thing_name;        // overrides the fixture's
    std::optional<std::string> region;            // overrides the fixture's
    unsigned socket_mode = 0600;                  // owner-only unless asked otherwise
    std::optional<std::filesystem::path> audit;   // JSON line per authorization decision
    // A policy the nucleus would drop with a log line (semantics.md §2.2) stops startup instead.
    bool strict_policies = false;
    // The nucleus's interpolateComponentConfiguration (default false): the system recipe variables
    // ({iot:thingName}, ...) are replaced in each component's configuration, accessControl included.
    bool interpolate_component_configuration = false;
    // Run each component's lifecycle scripts; false (--no-launch): declare them only.
    bool launch = true;
    // standin run: one component in the foreground; the daemon ends with it, with its exit code.
    struct foreground_run {
        std::vector<std::string> command;  // run as the component instead of its lifecycle
    };
    std::optional<foreground_run> foreground;
    // --artifacts: <dir>/<component>/<version>/ (default: beside the recipes, else the root's).
    std::optional<std::filesystem::path> artifacts;
    // How long a deployment waits for configuration validity reports (the nucleus gives local
    // deployments 20 s).
    std::chrono::milliseconds validation_timeout{20000};
    nucleus_profile profile = nucleus_profile::full;
    connection_limits limits;  // --profile lite also lowers max_frame_size to lite's
    // --iot-broker: a real MQTT broker instead of the loopback IoT Core (client id: the thing name).
    std::optional<iotcore::broker_settings> iot_broker;
};

// A problem that stops the daemon from starting: bad recipe, fixture, root or socket.
struct startup_error : std::runtime_error {
    using std::runtime_error::runtime_error;
};

// Runs the daemon until a signal stops it. Throws startup_error before the socket is ready;
// returns the process exit code after a clean shutdown.
int run_daemon(const daemon_options& options);

}  // namespace standin::server
