// SPDX-License-Identifier: Apache-2.0
// aws.greengrass#PutComponentMetric, in the nucleus's order: the caller must be an aws.* component
// (the table's caller rule); an empty list is InvalidArgumentsError; then metric by metric, the
// metric is checked (name non-empty and at most 32 UTF-8 bytes, a unit, a value >= 0) and its name
// authorized, so an unauthorized metric before an invalid one is UnauthorizedError and the other
// way round InvalidArgumentsError. A metric without a value fails the nucleus on a null: a
// ServiceError without a message. Last, units are translated; an unknown one is
// InvalidArgumentsError (the metrics before it are already emitted, as in the nucleus).
#include <chrono>

#include "services/metrics/metrics_service.hpp"
#include "util/log.hpp"

namespace standin::server::metrics_service {

namespace {

constexpr std::size_t max_name_bytes = 32;

enum class metric_check { ok, invalid, no_value };

metric_check check(const model::metric& m) {
    if (!m.name || m.name->empty() || m.name->size() > max_name_bytes) return metric_check::invalid;
    const auto unit = m.unit.text();
    if (!unit || unit->empty()) return metric_check::invalid;
    if (!m.value) return metric_check::no_value;
    if (*m.value < 0) return metric_check::invalid;
    return metric_check::ok;
}

struct put_component_metric_op {
    using row = model::operation<"PutComponentMetric">;
    using state = metrics_state;

    // The names of the metrics up to the first one that fails its check: those are authorized
    // before validate() reports that one.
    static resource_result resources(metrics_state&, const call_context&, const row::request& r) {
        if (!r.metrics || r.metrics->empty()) {
            return model::ipc_error::invalid_arguments(
                "Null or Empty list of metrics found in PutComponentMetricRequest");
        }
        resource_list names;
        for (const auto& m : *r.metrics) {
            if (check(m) != metric_check::ok) break;
            names.emplace_back(*m.name);
        }
        return names;
    }

    static std::optional<model::ipc_error> validate(const row::request& r) {
        for (const auto& m : *r.metrics) {
            switch (check(m)) {
                case metric_check::ok:
                    continue;
                case metric_check::invalid:
                    return model::ipc_error::invalid_arguments(
                        "Invalid argument found in PutComponentMetricRequest");
                case metric_check::no_value:
                    return model::ipc_error::service("");
            }
        }
        return std::nullopt;
    }

    static answer<row::response> handle(metrics_state& s, const call_context& call, row::request& r) {
        const auto log = logger("metrics");
        const auto now = std::chrono::duration_cast<std::chrono::milliseconds>(
                             std::chrono::system_clock::now().time_since_epoch())
                             .count();
        for (const auto& m : *r.metrics) {
            std::string unit = telemetry_unit(*m.unit.text());
            if (unit.empty()) {
                return model::ipc_error::invalid_arguments(
                    "Invalid telemetry unit: No matching TelemetryUnit type found");
            }
            log->info("metric {}/{} = {} {} (Sum)", call.caller, *m.name, *m.value, unit);
            s.recorded.push_back({std::string{call.caller}, *m.name, std::move(unit), *m.value, now});
        }
        return row::response{};
    }
};

}  // namespace

operation_entry put_component_metric(metrics_state& state) {
    return make_operation<put_component_metric_op>(state);
}

}  // namespace standin::server::metrics_service
