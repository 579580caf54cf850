// SPDX-License-Identifier: Apache-2.0
#include "cli/deployment_command.hpp"

#include <chrono>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <memory>
#include <optional>
#include <sstream>
#include <thread>

#include "cli/component_command.hpp"
#include "cli/daemon_connection.hpp"
#include "standin/client/connection.hpp"
#include "standin/model/service_ids.hpp"

namespace standin::server {

namespace {

namespace fs = std::filesystem;

struct deployment_flags {
    identity_flags identity{".standin", std::string{model::service_ids::cli}};
    // create
    std::string recipe_dir, artifact_dir, update_config, group_id, failure_handling_policy;
    std::string system_limits;
    std::vector<std::string> merge, remove, run_with;
    bool wait = false;
    double wait_timeout_s = 300;
    // status, cancel
    std::string deployment_id;
};

// A path as the daemon, whose working directory is not ours, must see it: ~ expanded, absolute.
std::string daemon_path(const std::string& path) {
    std::string expanded = path;
    if (expanded == "~" || expanded.starts_with("~/")) {
        if (const char* home = std::getenv("HOME")) expanded = home + expanded.substr(1);
    }
    return fs::absolute(expanded).lexically_normal().string();
}

// A flag that takes a JSON file when the path exists, else JSON text, as greengrass-cli reads
// --update-config and --systemLimits. Discarded when it does not parse.
nlohmann::json json_file_or_text(const std::string& value) {
    std::string text = value;
    std::error_code ec;
    if (fs::is_regular_file(value, ec)) {
        std::ifstream in{value};
        std::ostringstream read;
        read << in.rdbuf();
        text = read.str();
    }
    return nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
}

// --update-config: an object of component -> {"MERGE": {...}, "RESET": [...]}.
std::optional<std::map<std::string, nlohmann::json>> configuration_update(const std::string& value,
                                                                          std::string& why) {
    const auto parsed = json_file_or_text(value);
    if (parsed.is_discarded() || !parsed.is_object()) {
        why = "Update configuration parameter is not a properly formatted JSON file or a JSON string";
        return std::nullopt;
    }
    return parsed.get<std::map<std::string, nlohmann::json>>();
}

// --runWith COMPONENT:posixUser=USER[:GROUP] (or :windowsUser=USER), as greengrass-cli reads it
// (picocli splits KEY=VALUE at the first '='), and --systemLimits, a JSON file or JSON text
// {"<component>": {"memory": KiB, "cpus": N}}: together componentToRunWithInfo.
// Answers exit_success, or the exit code with `why`: a malformed --runWith is a usage error; a
// --systemLimits that is not JSON is a runtime error, as a bad --update-config is.
int add_run_with(const std::vector<std::string>& entries, const std::string& system_limits,
                 model::create_local_deployment_request& request, std::string& why) {
    std::map<std::string, model::run_with_info> out;
    for (const auto& entry : entries) {
        const auto equals = entry.find('=');
        const auto key = entry.substr(0, equals);
        const auto colon = key.find(':');
        if (equals == std::string::npos || colon == std::string::npos || colon == 0 ||
            key.find(':', colon + 1) != std::string::npos) {
            why =
                "--runWith must be in the following format "
                "<component>:{posixUser|windowsUser}=<user>[:<group>]";
            return exit_usage_error;
        }
        const auto option = key.substr(colon + 1);
        auto& info = out[key.substr(0, colon)];
        if (option == "posixUser") {
            info.posixUser = entry.substr(equals + 1);
        } else if (option == "windowsUser") {
            info.windowsUser = entry.substr(equals + 1);
        } else {
            why = "Invalid --runWith option: " + option;
            return exit_usage_error;
        }
    }
    if (!system_limits.empty()) {
        const auto parsed = json_file_or_text(system_limits);
        const auto fail = [&why] {
            why = "systemLimits parameter file is not a properly formatted JSON";
            return exit_runtime_error;
        };
        if (parsed.is_discarded() || !parsed.is_object()) return fail();
        for (const auto& [component, limits] : parsed.items()) {
            if (!limits.is_object()) return fail();
            model::system_resource_limits converted;
            for (const auto& [key, value] : limits.items()) {
                if (key == "memory" && value.is_number_integer()) {
                    converted.memory = value.get<std::int64_t>();
                } else if (key == "cpus" && value.is_number()) {
                    converted.cpus = value.get<double>();
                } else {
                    return fail();
                }
            }
            out[component].systemResourceLimits = converted;
        }
    }
    if (!out.empty()) request.componentToRunWithInfo = std::move(out);
    return exit_success;
}

bool is_finished(const model::local_deployment& deployment) {
    const auto status = deployment.status.known();
    return status && *status != model::deployment_status::queued &&
           *status != model::deployment_status::in_progress;
}

std::string joined(const std::vector<std::string>& parts) {
    std::string out;
    for (const auto& part : parts)
        out += (out.empty() ? "" : ", ") + part;
    return out;
}

int run_create(const deployment_flags& flags) {
    const std::string name = "standin deployment create";
    model::create_local_deployment_request request;
    if (!flags.group_id.empty()) request.groupName = flags.group_id;
    if (!flags.recipe_dir.empty()) request.recipeDirectoryPath = daemon_path(flags.recipe_dir);
    if (!flags.artifact_dir.empty()) request.artifactsDirectoryPath = daemon_path(flags.artifact_dir);
    if (!flags.merge.empty()) {
        request.rootComponentVersionsToAdd.emplace();
        for (const auto& entry : flags.merge) {
            const auto equals = entry.find('=');
            if (equals == std::string::npos || equals == 0 || equals + 1 == entry.size()) {
                std::cerr << name << ": --merge takes COMPONENT=VERSION, not '" << entry << "'\n";
                return exit_usage_error;
            }
            (*request.rootComponentVersionsToAdd)[entry.substr(0, equals)] = entry.substr(equals + 1);
        }
    }
    for (const auto& entry : flags.remove) {
        for (auto& component : split_names(entry)) {
            if (!request.rootComponentsToRemove) request.rootComponentsToRemove.emplace();
            request.rootComponentsToRemove->push_back(std::move(component));
        }
    }
    if (!flags.update_config.empty()) {
        std::string why;
        request.componentToConfiguration = configuration_update(flags.update_config, why);
        if (!request.componentToConfiguration) {
            std::cerr << name << ": " << why << '\n';
            return exit_runtime_error;
        }
    }
    if (std::string problem;
        const int code = add_run_with(flags.run_with, flags.system_limits, request, problem)) {
        std::cerr << name << ": " << problem << '\n';
        return code;
    }
    if (flags.failure_handling_policy == "ROLLBACK") {
        request.failureHandlingPolicy = model::failure_handling_policy::rollback;
    } else if (flags.failure_handling_policy == "DO_NOTHING") {
        request.failureHandlingPolicy = model::failure_handling_policy::do_nothing;
    }

    auto connection = connect_as(flags.identity, name);
    if (!connection) return exit_runtime_error;
    const auto created = connection->call(request);
    if (!created) {
        std::cerr << name << ": " << created.error() << '\n';
        return exit_runtime_error;
    }
    const std::string id = created->deploymentId.value_or("");
    std::cout << "Local deployment submitted! Deployment Id: " << id << std::endl;
    if (!flags.wait) return exit_success;

    // The nucleus publishes no event a client could wait on: ask, a few times a second.
    const auto deadline = std::chrono::steady_clock::now() +
                          std::chrono::milliseconds{static_cast<long>(flags.wait_timeout_s * 1000)};
    for (;;) {
        const auto status =
            connection->call(model::get_local_deployment_status_request{.deploymentId = id});
        if (!status) {
            std::cerr << name << ": " << status.error() << '\n';
            return exit_runtime_error;
        }
        const auto& deployment = status->deployment.value_or(model::local_deployment{});
        if (is_finished(deployment)) {
            std::cout << deployment_status_text(deployment);
            if (deployment.status.known() == model::deployment_status::succeeded) return exit_success;
            std::string why = std::string{deployment.status.text().value_or("")};
            if (deployment.deploymentStatusDetails &&
                deployment.deploymentStatusDetails->deploymentFailureCause)
                why += ": " + *deployment.deploymentStatusDetails->deploymentFailureCause;
            std::cerr << name << ": deployment " << id << " " << why << '\n';
            return exit_runtime_error;
        }
        if (std::chrono::steady_clock::now() >= deadline) {
            std::cerr << name << ": deployment " << id << " still "
                      << deployment.status.text().value_or("") << " after " << flags.wait_timeout_s
                      << " s\n";
            return exit_runtime_error;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds{100});
    }
}

int run_status(const deployment_flags& flags) {
    const std::string name = "standin deployment status";
    auto connection = connect_as(flags.identity, name);
    if (!connection) return exit_runtime_error;
    const auto status = connection->call(
        model::get_local_deployment_status_request{.deploymentId = flags.deployment_id});
    if (!status) {
        std::cerr << name << ": " << status.error() << '\n';
        return exit_runtime_error;
    }
    std::cout << deployment_status_text(status->deployment.value_or(model::local_deployment{}));
    return exit_success;
}

int run_list(const deployment_flags& flags) {
    const std::string name = "standin deployment list";
    auto connection = connect_as(flags.identity, name);
    if (!connection) return exit_runtime_error;
    const auto listed = connection->call(model::list_local_deployments_request{});
    if (!listed) {
        std::cerr << name << ": " << listed.error() << '\n';
        return exit_runtime_error;
    }
    std::string out;
    for (const auto& d : listed->localDeployments.value_or(std::vector<model::local_deployment>{})) {
        if (!out.empty()) out += "\n";
        out += "Deployment ID: " + d.deploymentId.value_or("") + "\n";
        out += "Created on: " + d.createdOn.value_or("") + "\n";
        out += "Status: " + std::string{d.status.text().value_or("")} + "\n";
    }
    std::cout << out;
    return exit_success;
}

int run_cancel(const deployment_flags& flags) {
    const std::string name = "standin deployment cancel";
    auto connection = connect_as(flags.identity, name);
    if (!connection) return exit_runtime_error;
    const auto canceled =
        connection->call(model::cancel_local_deployment_request{.deploymentId = flags.deployment_id});
    if (!canceled) {
        std::cerr << name << ": " << canceled.error() << '\n';
        return exit_runtime_error;
    }
    std::cout << canceled->message.value_or("") << '\n';
    return exit_success;
}

}  // namespace

std::string deployment_status_text(const model::local_deployment& deployment) {
    std::string out = deployment.deploymentId.value_or("") + ": " +
                      std::string{deployment.status.text().value_or("")} + "\n";
    out += "Created on: " + deployment.createdOn.value_or("") + "\n";
    if (deployment.status.known() != model::deployment_status::failed ||
        !deployment.deploymentStatusDetails)
        return out;
    const auto& details = *deployment.deploymentStatusDetails;
    if (const auto detailed = details.detailedDeploymentStatus.text(); detailed && !detailed->empty())
        out += "Detailed Status: " + std::string{*detailed} + "\n";
    if (details.deploymentErrorStack && !details.deploymentErrorStack->empty())
        out += "Deployment Error Stack: " + joined(*details.deploymentErrorStack) + "\n";
    if (details.deploymentErrorTypes && !details.deploymentErrorTypes->empty())
        out += "Deployment Error Types: " + joined(*details.deploymentErrorTypes) + "\n";
    if (details.deploymentFailureCause && !details.deploymentFailureCause->empty())
        out += "Deployment Failure Cause: " + *details.deploymentFailureCause + "\n";
    return out;
}

command add_deployment_command(CLI::App& app) {
    auto flags = std::make_shared<deployment_flags>();
    auto* deployment = app.add_subcommand(
        "deployment", "Create, inspect, list and cancel local deployments (as greengrass-cli)");
    deployment->require_subcommand(1);
    const auto add_root = [&](CLI::App* sub) {
        sub->add_option("--root", flags->identity.root, "Root directory of the running daemon")
            ->capture_default_str();
    };
    auto* create = deployment->add_subcommand(
        "create", "Deploy components from a recipe folder, change their configuration, remove some");
    add_root(create);
    create->add_option("-r,--recipeDir", flags->recipe_dir, "Folder of recipes (read recursively)");
    create->add_option("-a,--artifactDir", flags->artifact_dir,
                       "Folder of artifacts, laid out <component>/<version>/");
    create->add_option("-m,--merge", flags->merge, "Root component to add or update: COMPONENT=VERSION")
        ->allow_extra_args(false);
    create->add_option("--remove", flags->remove, "Root component to remove (comma-separated allowed)")
        ->allow_extra_args(false);
    create->add_option("-c,--update-config", flags->update_config,
                       "Configuration changes, a JSON file or JSON text: "
                       "{\"<component>\": {\"MERGE\": {...}, \"RESET\": [\"/path\", ...]}}");
    create->add_option("-g,--groupId", flags->group_id, "Thing group of the deployment");
    create
        ->add_option("--runWith", flags->run_with,
                     "Who a component's scripts run as: COMPONENT:posixUser=USER[:GROUP] (applies "
                     "when the daemon runs as root)")
        ->allow_extra_args(false);
    create->add_option("--systemLimits", flags->system_limits,
                       "Resource limits, a JSON file or JSON text: "
                       "{\"<component>\": {\"memory\": KiB, \"cpus\": N}} (recorded, not enforced)");
    create
        ->add_option("--failure-handling-policy", flags->failure_handling_policy,
                     "What a failed deployment does (default DO_NOTHING, as the nucleus)")
        ->check(CLI::IsMember({"ROLLBACK", "DO_NOTHING"}));
    create->add_flag("--wait", flags->wait,
                     "Wait for the deployment to finish; exit 1 unless it succeeded");
    create->add_option("--wait-timeout", flags->wait_timeout_s, "Seconds --wait waits at most")
        ->check(CLI::PositiveNumber)
        ->capture_default_str();
    auto* status = deployment->add_subcommand("status", "One deployment's status");
    add_root(status);
    status->add_option("-i,--deploymentId", flags->deployment_id, "Deployment ID")->required();
    auto* list = deployment->add_subcommand("list", "Every local deployment's status");
    add_root(list);
    auto* cancel = deployment->add_subcommand("cancel", "Cancel a deployment that has not applied yet");
    add_root(cancel);
    cancel->add_option("-i,--deploymentId", flags->deployment_id, "Deployment ID")->required();
    return {deployment, [flags, create, status, list, cancel] {
                if (*create) return run_create(*flags);
                if (*status) return run_status(*flags);
                if (*list) return run_list(*flags);
                if (*cancel) return run_cancel(*flags);
                return exit_usage_error;
            }};
}

}  // namespace standin::server
