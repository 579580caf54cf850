// SPDX-License-Identifier: Apache-2.0
#include "cli/component_command.hpp"

#include <iostream>
#include <memory>
#include <optional>

#include "cli/daemon_connection.hpp"
#include "standin/client/connection.hpp"
#include "standin/model/service_ids.hpp"

namespace standin::server {

namespace {

struct component_flags {
    identity_flags identity{".standin", std::string{model::service_ids::cli}};
    std::string name;   // details
    std::string names;  // restart, stop
};

std::optional<client::connection> connect(const component_flags& flags,
                                          const std::string& command_name) {
    return connect_as(flags.identity, command_name);
}

int run_list(const component_flags& flags) {
    const std::string name = "standin component list";
    auto connection = connect(flags, name);
    if (!connection) return exit_runtime_error;
    const auto listed = connection->call(model::list_components_request{});
    if (!listed) {
        std::cerr << name << ": " << listed.error() << '\n';
        return exit_runtime_error;
    }
    std::cout << "Components currently running in Greengrass:\n";
    for (const auto& details : listed->components.value_or(std::vector<model::component_details>{}))
        std::cout << component_block(details);
    return exit_success;
}

int run_details(const component_flags& flags) {
    const std::string name = "standin component details";
    auto connection = connect(flags, name);
    if (!connection) return exit_runtime_error;
    const auto found =
        connection->call(model::get_component_details_request{.componentName = flags.name});
    if (!found) {
        std::cerr << name << ": " << found.error() << '\n';
        return exit_runtime_error;
    }
    if (found->componentDetails) std::cout << component_block(*found->componentDetails);
    return exit_success;
}

// Restart or stop each named component; every one is tried, the exit code says if all went well.
template <class Request>
int run_each(const component_flags& flags, const std::string& verb) {
    const std::string name = "standin component " + verb;
    const auto names = split_names(flags.names);
    if (names.empty()) {
        std::cerr << name << ": --names needs at least one component name\n";
        return exit_usage_error;
    }
    auto connection = connect(flags, name);
    if (!connection) return exit_runtime_error;
    int exit_code = exit_success;
    for (const auto& component : names) {
        const auto answered = connection->call(Request{.componentName = component});
        if (!answered) {
            std::cerr << name << ": " << component << ": " << answered.error() << '\n';
            exit_code = exit_runtime_error;
            continue;
        }
        std::optional<std::string_view> status;
        if constexpr (requires { answered->restartStatus; }) {
            status = answered->restartStatus.text();
        } else {
            status = answered->stopStatus.text();
        }
        std::cout << verb << " " << component << ": " << status.value_or("(no status)") << '\n';
        if (status != "SUCCEEDED") exit_code = exit_runtime_error;
    }
    return exit_code;
}

}  // namespace

std::string component_block(const model::component_details& details) {
    std::string out = "Component Name: " + details.componentName.value_or("") + "\n";
    out += "    Version: " + details.version.value_or("") + "\n";
    out += "    State: " + std::string{details.state.text().value_or("")} + "\n";
    out +=
        "    Configuration: " + (details.configuration ? details.configuration->dump() : "null") + "\n";
    return out;
}

std::vector<std::string> split_names(const std::string& names) {
    std::vector<std::string> out;
    std::size_t begin = 0;
    while (begin <= names.size()) {
        auto end = names.find(',', begin);
        if (end == std::string::npos) end = names.size();
        auto part = names.substr(begin, end - begin);
        const auto first = part.find_first_not_of(" \t");
        const auto last = part.find_last_not_of(" \t");
        if (first != std::string::npos) out.push_back(part.substr(first, last - first + 1));
        begin = end + 1;
    }
    return out;
}

command add_component_command(CLI::App& app) {
    auto flags = std::make_shared<component_flags>();
    auto* component = app.add_subcommand(
        "component",
        "List, inspect, restart and stop the running daemon's components (as greengrass-cli)");
    component->require_subcommand(1);
    const auto add_root = [&](CLI::App* sub) {
        sub->add_option("--root", flags->identity.root, "Root directory of the running daemon")
            ->capture_default_str();
    };
    auto* list =
        component->add_subcommand("list", "Every component with its version, state and configuration");
    add_root(list);
    auto* details =
        component->add_subcommand("details", "One component's version, state and configuration");
    add_root(details);
    details->add_option("-n,--name", flags->name, "Component name")->required();
    auto* restart = component->add_subcommand("restart", "Restart components");
    add_root(restart);
    restart->add_option("-n,--names", flags->names, "Comma-separated component names")->required();
    auto* stop = component->add_subcommand("stop", "Stop components");
    add_root(stop);
    stop->add_option("-n,--names", flags->names, "Comma-separated component names")->required();
    return {component, [flags, list, details, restart, stop] {
                if (*list) return run_list(*flags);
                if (*details) return run_details(*flags);
                if (*restart) return run_each<model::restart_component_request>(*flags, "restart");
                if (*stop) return run_each<model::stop_component_request>(*flags, "stop");
                return exit_usage_error;
            }};
}

}  // namespace standin::server
