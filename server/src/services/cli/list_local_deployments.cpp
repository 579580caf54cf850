// SPDX-License-Identifier: Apache-2.0
// aws.greengrass#ListLocalDeployments (semantics.md §8.3): every local deployment the daemon has
// run or queued, oldest first, with id, status and createdOn (no details), uncapped as in the
// nucleus's code (its docs say the last 10).
#include "services/cli/local_deployments.hpp"

namespace standin::server::cli_service {

namespace {

struct list_local_deployments_op {
    using row = model::operation<"ListLocalDeployments">;
    using state = local_deployments;

    static answer<row::response> handle(local_deployments& state, const call_context&, row::request&) {
        std::vector<model::local_deployment> out;
        out.reserve(state.engine.records().size());
        for (const auto& record : state.engine.records())
            out.push_back(wire_deployment(record, false));
        return row::response{.localDeployments = std::move(out)};
    }
};

}  // namespace

operation_entry list_local_deployments(local_deployments& state) {
    return make_operation<list_local_deployments_op>(state);
}

}  // namespace standin::server::cli_service
