// SPDX-License-Identifier: Apache-2.0
#include "cli/serve_command.hpp"

#include <chrono>
#include <cstdint>
#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include "daemon/daemon.hpp"
#include "util/log.hpp"

namespace standin::server {

namespace {

// What the flags are parsed into before they become daemon_options: CLI11 wants plain values.
struct serve_flags {
    daemon_options options;
    std::vector<std::string> recipe_dirs;
    std::string fixture, socket, thing_name, region, audit, artifacts;
    std::string iot_broker, iot_ca, iot_cert, iot_key;
    bool no_launch = false;
    std::string log_level = "info";
    std::string profile = "full";
    std::string socket_mode = "600";
    double connect_timeout_s = std::chrono::duration<double>(options.limits.connect_timeout).count();
    double write_stall_timeout_s =
        std::chrono::duration<double>(options.limits.write_stall_timeout).count();
    double validation_timeout_s = std::chrono::duration<double>(options.validation_timeout).count();
};

daemon_options to_options(serve_flags& flags) {
    auto options = flags.options;
    for (const auto& dir : flags.recipe_dirs)
        options.recipe_dirs.emplace_back(dir);
    if (!flags.fixture.empty()) options.fixture = flags.fixture;
    if (!flags.audit.empty()) options.audit = flags.audit;
    if (!flags.artifacts.empty()) options.artifacts = flags.artifacts;
    options.launch = !flags.no_launch;
    if (!flags.socket.empty()) options.socket = flags.socket;
    if (!flags.thing_name.empty()) options.thing_name = flags.thing_name;
    if (!flags.region.empty()) options.region = flags.region;
    options.socket_mode = static_cast<unsigned>(std::stoul(flags.socket_mode, nullptr, 8));
    options.limits.connect_timeout = to_milliseconds(flags.connect_timeout_s);
    options.limits.write_stall_timeout = to_milliseconds(flags.write_stall_timeout_s);
    options.validation_timeout = to_milliseconds(flags.validation_timeout_s);
    if (flags.profile == "lite") {
        options.profile = nucleus_profile::lite;
        options.limits.max_frame_size = protocol::lite_max_frame_size;
    }
    if (!flags.iot_broker.empty()) {
        auto broker = iotcore::parse_broker_url(flags.iot_broker);  // checked by the flag already
        if (!broker->tls && !(flags.iot_ca.empty() && flags.iot_cert.empty() && flags.iot_key.empty()))
            throw startup_error("--iot-ca, --iot-cert and --iot-key need an mqtts:// --iot-broker");
        if (!flags.iot_ca.empty()) broker->ca_file = flags.iot_ca;
        if (!flags.iot_cert.empty()) broker->cert_file = flags.iot_cert;
        if (!flags.iot_key.empty()) broker->key_file = flags.iot_key;
        options.iot_broker = std::move(*broker);
    }
    return options;
}

const CLI::Validator broker_url(
    [](std::string& value) -> std::string {
        const auto parsed = iotcore::parse_broker_url(value);
        return parsed ? std::string{} : "not a broker URL (" + parsed.error() + "): " + value;
    },
    "URL");

const CLI::Validator octal_mode(
    [](std::string& value) -> std::string {
        if (value.empty() || value.size() > 4 ||
            value.find_first_not_of("01234567") != std::string::npos) {
            return "not an octal mode: " + value;
        }
        return {};
    },
    "OCTAL");

}  // namespace

command add_serve_command(CLI::App& app) {
    auto flags = std::make_shared<serve_flags>();
    auto& limits = flags->options.limits;
    auto* serve = app.add_subcommand("serve", "Run the IPC daemon on the given recipes");
    serve->add_option("--root", flags->options.root, "Nucleus root directory (created if missing)")
        ->capture_default_str();
    serve->add_option("--recipes", flags->recipe_dirs,
                      "Directory of recipe files, or one recipe file (repeatable; default ./recipes)");
    serve->add_option("--fixture", flags->fixture, "Fake cloud and device state (YAML or JSON)")
        ->check(CLI::ExistingFile);
    serve->add_option("--socket", flags->socket, "IPC socket path (default ROOT/ipc.socket)");
    serve->add_option("--thing-name", flags->thing_name,
                      "Thing name (overrides the fixture; default standin-thing)");
    serve->add_option("--region", flags->region,
                      "AWS region (overrides the fixture; default us-east-1)");
    serve
        ->add_option("--log-level", flags->log_level, "trace, debug, info, warn, error, critical or off")
        ->transform(CLI::IsMember({"trace", "debug", "info", "warn", "error", "critical", "off"},
                                  CLI::ignore_case))
        ->capture_default_str();
    serve
        ->add_option("--profile", flags->profile,
                     "full (the nucleus) or lite (nucleus lite: its operations and 10,000-byte frames)")
        ->transform(CLI::IsMember({"full", "lite"}, CLI::ignore_case))
        ->capture_default_str();
    serve
        ->add_option("--socket-mode", flags->socket_mode,
                     "Octal permission bits of the socket (666 = everyone)")
        ->check(octal_mode)
        ->capture_default_str();
    serve
        ->add_option("--max-outbound-bytes", limits.max_outbound_bytes,
                     "Stream events queued per connection before a slow subscriber's stream is closed")
        ->check(CLI::PositiveNumber)
        ->capture_default_str();
    serve
        ->add_option("--max-outbound-messages", limits.max_outbound_messages,
                     "Frames queued per connection before a slow subscriber's stream is closed")
        ->check(CLI::PositiveNumber)
        ->capture_default_str();
    serve
        ->add_option("--connect-timeout", flags->connect_timeout_s,
                     "Seconds a new connection has to complete CONNECT before it is closed")
        ->check(CLI::PositiveNumber)
        ->capture_default_str();
    serve
        ->add_option("--write-stall-timeout", flags->write_stall_timeout_s,
                     "Seconds a client may leave a pending write unread before its connection is "
                     "closed (0 = never)")
        ->check(CLI::NonNegativeNumber)
        ->capture_default_str();
    serve
        ->add_option("--max-streams-per-connection", limits.max_streams_per_connection,
                     "Streams (subscriptions, calls in flight) open at once on one connection")
        ->check(CLI::PositiveNumber)
        ->capture_default_str();
    serve
        ->add_option("--max-connections", limits.max_connections,
                     "Connections served at once; more are closed as soon as they are accepted")
        ->check(CLI::PositiveNumber)
        ->capture_default_str();
    serve->add_option("--audit", flags->audit,
                      "Append every authorization decision to FILE as a JSON line (time, component, "
                      "service id, operation, resource, decision, policy)");

    serve->add_flag("--strict-policies", flags->options.strict_policies,
                    "Refuse to start when an accessControl policy is malformed (the nucleus logs "
                    "it and drops it)");
    serve->add_flag("--interpolate-component-configuration",
                    flags->options.interpolate_component_configuration,
                    "Replace the system recipe variables ({iot:thingName}, {kernel:rootPath}, ...) in "
                    "each component's configuration and policies, as the nucleus does with "
                    "interpolateComponentConfiguration: true (default off, as in the nucleus)");
    serve->add_flag("--no-launch", flags->no_launch,
                    "Declare the components (RUNNING) without running their lifecycle scripts, for "
                    "programs that connect as them on their own");
    serve
        ->add_option("--validation-timeout", flags->validation_timeout_s,
                     "Seconds a deployment waits for a component's configuration validity report "
                     "(the nucleus's local-deployment default)")
        ->check(CLI::PositiveNumber)
        ->capture_default_str();
    auto* broker = serve
                       ->add_option("--iot-broker", flags->iot_broker,
                                    "Bridge PublishToIoTCore / SubscribeToIoTCore to the MQTT broker at "
                                    "mqtt://HOST[:PORT] or mqtts://HOST[:PORT] (client id: the thing "
                                    "name) instead of the loopback IoT Core")
                       ->check(broker_url);
    serve
        ->add_option("--iot-ca", flags->iot_ca,
                     "mqtts: CA certificate of the broker (default: the system's)")
        ->check(CLI::ExistingFile)
        ->needs(broker);
    auto* cert =
        serve->add_option("--iot-cert", flags->iot_cert, "mqtts: the device's certificate (PEM)")
            ->check(CLI::ExistingFile)
            ->needs(broker);
    auto* key = serve->add_option("--iot-key", flags->iot_key, "mqtts: the device's private key (PEM)")
                    ->check(CLI::ExistingFile)
                    ->needs(broker);
    cert->needs(key);
    key->needs(cert);
    serve->add_option("--artifacts", flags->artifacts,
                      "Artifacts directory, laid out DIR/<component>/<version>/ (default: an "
                      "artifacts folder beside the recipes folder, else ROOT/packages/artifacts)");

    return {serve, [flags] {
                try {
                    set_log_level(flags->log_level);
                    return run_daemon(to_options(*flags));
                } catch (const startup_error& e) {
                    std::cerr << "standin serve: " << e.what() << '\n';
                } catch (const std::exception& e) {
                    std::cerr << "standin serve: unexpected error: " << e.what() << '\n';
                }
                return exit_runtime_error;
            }};
}

}  // namespace standin::server
