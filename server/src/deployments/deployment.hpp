// SPDX-License-Identifier: Apache-2.0
// Local deployments as the nucleus runs them (semantics.md §8.1, §8.2; [N] DeploymentService,
// DeploymentDocumentConverter; [CLI] CLIEventStreamAgent): what a deployment asks for, and what
// the queue records about each one. Vocabulary only: no I/O.
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "config/config_tree.hpp"

namespace standin::server::deployments {

// The group of a deployment without groupName ([N] LOCAL_DEPLOYMENT_GROUP_NAME).
inline constexpr const char* local_deployment_group = "LOCAL_DEPLOYMENT";

// How long a local deployment waits for validation reports: the nucleus gives local deployments
// configurationValidationPolicy.timeoutInSeconds = DEFAULT_TIMEOUT_SECOND; compatibility.
inline constexpr std::chrono::seconds local_validation_timeout{20};

// One component's componentToConfiguration entry: RESET (JSON pointers) first, then MERGE.
struct configuration_update {
    nlohmann::json merge = nlohmann::json::object();
    std::vector<std::string> reset;
};

// One componentToRunWithInfo entry ([N] RunWith, DeploymentDocumentConverter): the POSIX user
// ("user" or "user:group") the component's scripts run as, and its system resource limits, which
// standin records and logs but does not enforce.
struct run_with {
    std::optional<std::string> posix_user;
    std::optional<std::string> windows_user;
    std::optional<std::int64_t> memory_kib;
    std::optional<double> cpus;
    bool operator==(const run_with&) const = default;
};

struct deployment_request {
    std::string group_name;                                // empty: LOCAL_DEPLOYMENT
    std::map<std::string, std::string> components_to_add;  // name -> exact version
    std::vector<std::string> components_to_remove;
    std::map<std::string, configuration_update> configuration;
    std::map<std::string, run_with> run_with_info;  // componentToRunWithInfo
    std::optional<std::filesystem::path> recipe_dir;
    std::optional<std::filesystem::path> artifacts_dir;
    // The nucleus's local default is DO_NOTHING (convertFailureHandlingPolicyFromSDK).
    bool rollback = false;
    config_time timestamp = 0;  // the request's time: MERGE is written at it
};

// The group key under which the nucleus keeps a group's root components.
inline std::string group_key(const std::string& group_name) {
    return group_name.empty() ? std::string{local_deployment_group} : "thinggroup/" + group_name;
}

enum class deployment_status { queued, in_progress, succeeded, failed, canceled };
// "QUEUED", "IN_PROGRESS", ...: the IPC DeploymentStatus names.
constexpr const char* status_name(deployment_status status) noexcept {
    switch (status) {
        case deployment_status::queued:
            return "QUEUED";
        case deployment_status::in_progress:
            return "IN_PROGRESS";
        case deployment_status::succeeded:
            return "SUCCEEDED";
        case deployment_status::failed:
            return "FAILED";
        case deployment_status::canceled:
            return "CANCELED";
    }
    return "";
}

enum class detailed_status {
    successful,
    failed_no_state_change,
    failed_rollback_not_requested,
    failed_rollback_complete,
};

// Why a deployment failed, as the nucleus reports it: the failure cause (its exception messages)
// and its error codes (deploymentErrorStack, outermost first) and types.
struct deployment_failure {
    std::string cause;
    std::vector<std::string> error_stack;
    std::vector<std::string> error_types;
};

struct deployment_record {
    std::string id;
    std::int64_t created_on_ms = 0;
    deployment_status status = deployment_status::queued;
    std::optional<detailed_status> detailed;  // once finished (not when canceled)
    std::optional<deployment_failure> failure;
};

}  // namespace standin::server::deployments
