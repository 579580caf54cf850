// SPDX-License-Identifier: Apache-2.0
// The CLI plugin's local deployments (semantics.md §8.1-8.3; [CLI] CLIEventStreamAgent):
// CreateLocalDeployment, GetLocalDeploymentStatus, ListLocalDeployments, CancelLocalDeployment.
// Their state is the deployment queue; the daemon attaches it to the components before serving.
#pragma once

#include <filesystem>

#include "deployments/deployment_engine.hpp"
#include "rpc/operation.hpp"
#include "standin/model/cli.hpp"

namespace standin::server {

struct local_deployments {
    deployments::deployment_engine engine;
    std::filesystem::path root;  // the nucleus root (absolute), for the artifacts-directory check
};

namespace cli_service {
operation_entry create_local_deployment(local_deployments& state);
operation_entry get_local_deployment_status(local_deployments& state);
operation_entry list_local_deployments(local_deployments& state);
operation_entry cancel_local_deployment(local_deployments& state);

// The CLI's check of a deploymentId, before authorization.
std::optional<model::ipc_error> require_uuid(const std::optional<std::string>& deployment_id);
// A record as the CLI answers it; with its status details (Get) or without (List).
model::local_deployment wire_deployment(const deployments::deployment_record& record, bool details);
}  // namespace cli_service

}  // namespace standin::server
