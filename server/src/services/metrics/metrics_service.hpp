// SPDX-License-Identifier: Apache-2.0
// aws.greengrass.ipc.componentmetric: PutComponentMetric (semantics.md §9; [N]
// ComponentMetricIPCEventStreamAgent). Callers must be aws.* components (the operation table's
// caller rule); each metric name is authorized in turn. Accepted metrics are recorded in the
// caller's namespace and logged, one info line each.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "rpc/operation.hpp"
#include "rpc/operation_registry.hpp"

namespace standin::server {

// A metric as the nucleus's telemetry keeps it: Sum aggregation, in its namespace.
struct recorded_metric {
    std::string metric_namespace;  // the component that put it
    std::string name;
    std::string unit;  // the telemetry unit's name: "Count", "BytesPerSecond", ...
    double value = 0;
    std::int64_t timestamp_ms = 0;
};

struct metrics_state {
    std::vector<recorded_metric> recorded;
};

namespace metrics_service {
operation_entry put_component_metric(metrics_state& state);

// The nucleus's TelemetryUnit for a request unit: non-alphanumerics dropped, case ignored
// ("BYTES_PER_SECOND" -> "BytesPerSecond"); empty when there is none.
std::string telemetry_unit(std::string_view unit);
}  // namespace metrics_service

void register_metrics_service(operation_registry& registry, metrics_state& state);

}  // namespace standin::server
