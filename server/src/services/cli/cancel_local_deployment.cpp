// SPDX-License-Identifier: Apache-2.0
// aws.greengrass#CancelLocalDeployment (semantics.md §8.3): the deploymentId must be a UUID
// (before authorization, which only the CLI's own callers pass: the nucleus does not register the
// operation); an unknown id is ResourceNotFoundError; a finished deployment is answered with a
// message and left alone; otherwise the cancel is submitted (it takes effect until the deployment
// applies its change).
#include "services/cli/local_deployments.hpp"

namespace standin::server::cli_service {

namespace {

struct cancel_local_deployment_op {
    using row = model::operation<"CancelLocalDeployment">;
    using state = local_deployments;

    static std::optional<model::ipc_error> precheck(local_deployments&, const call_context&,
                                                    const row::request& r) {
        return require_uuid(r.deploymentId);
    }

    static answer<row::response> handle(local_deployments& state, const call_context&, row::request& r) {
        const std::string& id = *r.deploymentId;
        switch (state.engine.cancel(id)) {
            case deployments::deployment_engine::cancel_outcome::not_found:
                return model::ipc_error::resource_not_found(
                    "Cannot find the deployment id provided " + id, "LocalDeployment", id);
            case deployments::deployment_engine::cancel_outcome::already_finished:
                return row::response{
                    .message =
                        "Cancellation request is not processed because deployment is already "
                        "finished"};
            case deployments::deployment_engine::cancel_outcome::submitted:
                break;
        }
        return row::response{.message = "Cancel request submitted. Deployment ID: " + id};
    }
};

}  // namespace

operation_entry cancel_local_deployment(local_deployments& state) {
    return make_operation<cancel_local_deployment_op>(state);
}

}  // namespace standin::server::cli_service
