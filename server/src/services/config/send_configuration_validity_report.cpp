// SPDX-License-Identifier: Apache-2.0
// aws.greengrass#SendConfigurationValidityReport (semantics.md §4.5): settles the pending validate
// request of (caller, deploymentId).
#include "services/config/config_service.hpp"

namespace standin::server::config_service {

namespace {

struct send_configuration_validity_report_op {
    using row = model::operation<"SendConfigurationValidityReport">;
    using state = configuration_state;

    static std::optional<model::ipc_error> validate(const row::request& r) {
        // The nucleus dereferences the report unchecked: a NullPointerException that
        // translateExceptions turns into a ServiceError.
        if (!r.configurationValidityReport)
            return model::ipc_error::service("configurationValidityReport is required");
        if (!r.configurationValidityReport->deploymentId) {
            return model::ipc_error::invalid_arguments(
                "Cannot accept configuration validity report, the deployment ID provided was null");
        }
        return std::nullopt;
    }

    static answer<row::response> handle(configuration_state& s, const call_context& call,
                                        row::request& r) {
        if (!s.validation.report(std::string{call.caller}, *r.configurationValidityReport)) {
            return model::ipc_error::invalid_arguments(
                "Validation request either timed out or was never made");
        }
        return row::response{};
    }
};

}  // namespace

operation_entry send_configuration_validity_report(configuration_state& state) {
    return make_operation<send_configuration_validity_report_op>(state);
}

}  // namespace standin::server::config_service
