// SPDX-License-Identifier: Apache-2.0
// aws.greengrass#GetLocalDeploymentStatus (semantics.md §8.3): the deploymentId must be a UUID
// (checked before authorization, whose resource it is), then an unknown one is
// ResourceNotFoundError; the answer carries the status details once the deployment has finished.
#include "services/cli/local_deployments.hpp"

namespace standin::server::cli_service {

namespace {

struct get_local_deployment_status_op {
    using row = model::operation<"GetLocalDeploymentStatus">;
    using state = local_deployments;

    static std::optional<model::ipc_error> precheck(local_deployments&, const call_context&,
                                                    const row::request& r) {
        return require_uuid(r.deploymentId);
    }

    static answer<row::response> handle(local_deployments& state, const call_context&, row::request& r) {
        const auto* record = state.engine.find(*r.deploymentId);
        if (record == nullptr) {
            return model::ipc_error::resource_not_found("Cannot find deployment", "LocalDeployment",
                                                        *r.deploymentId);
        }
        return row::response{.deployment = wire_deployment(*record, true)};
    }
};

}  // namespace

operation_entry get_local_deployment_status(local_deployments& state) {
    return make_operation<get_local_deployment_status_op>(state);
}

}  // namespace standin::server::cli_service
