// SPDX-License-Identifier: Apache-2.0
#include "services/cli/local_deployments.hpp"

#include "deployments/deployment_id.hpp"

namespace standin::server::cli_service {

namespace {

model::deployment_status wire_status(deployments::deployment_status status) {
    using deployments::deployment_status;
    switch (status) {
        case deployment_status::queued:
            return model::deployment_status::queued;
        case deployment_status::in_progress:
            return model::deployment_status::in_progress;
        case deployment_status::succeeded:
            return model::deployment_status::succeeded;
        case deployment_status::failed:
            return model::deployment_status::failed;
        case deployment_status::canceled:
            return model::deployment_status::canceled;
    }
    return model::deployment_status::queued;
}

model::detailed_deployment_status wire_detailed(deployments::detailed_status status) {
    using deployments::detailed_status;
    switch (status) {
        case detailed_status::successful:
            return model::detailed_deployment_status::successful;
        case detailed_status::failed_no_state_change:
            return model::detailed_deployment_status::failed_no_state_change;
        case detailed_status::failed_rollback_not_requested:
            return model::detailed_deployment_status::failed_rollback_not_requested;
        case detailed_status::failed_rollback_complete:
            return model::detailed_deployment_status::failed_rollback_complete;
    }
    return model::detailed_deployment_status::successful;
}

}  // namespace

std::optional<model::ipc_error> require_uuid(const std::optional<std::string>& deployment_id) {
    if (deployment_id && deployments::is_uuid(*deployment_id)) return std::nullopt;
    return model::ipc_error::invalid_arguments(
        "Invalid deploymentId format received. DeploymentId is a UUID");
}

model::local_deployment wire_deployment(const deployments::deployment_record& record, bool details) {
    model::local_deployment out;
    out.deploymentId = record.id;
    out.status = wire_status(record.status);
    out.createdOn = deployments::created_on_text(record.created_on_ms);
    if (details && record.detailed) {
        model::deployment_status_details status_details;
        status_details.detailedDeploymentStatus = wire_detailed(*record.detailed);
        if (record.failure) {
            status_details.deploymentErrorStack = record.failure->error_stack;
            status_details.deploymentErrorTypes = record.failure->error_types;
            status_details.deploymentFailureCause = record.failure->cause;
        }
        out.deploymentStatusDetails = std::move(status_details);
    }
    return out;
}

}  // namespace standin::server::cli_service
