// SPDX-License-Identifier: Apache-2.0
#include "services/metrics/metrics_service.hpp"

#include <array>
#include <cctype>

namespace standin::server {

namespace metrics_service {

std::string telemetry_unit(std::string_view unit) {
    // The nucleus's TelemetryUnit enum.
    static constexpr std::array<std::string_view, 8> units{
        "Bytes", "BytesPerSecond", "Count", "CountPerSecond", "Megabytes", "None", "Percent", "Seconds"};
    std::string letters;
    for (const char c : unit) {
        if (std::isalnum(static_cast<unsigned char>(c)) && static_cast<unsigned char>(c) < 0x80)
            letters += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    }
    for (const auto candidate : units) {
        std::string lowered;
        for (const char c : candidate)
            lowered += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        if (lowered == letters) return std::string{candidate};
    }
    return {};
}

}  // namespace metrics_service

void register_metrics_service(operation_registry& registry, metrics_state& state) {
    registry.add(metrics_service::put_component_metric(state));
}

}  // namespace standin::server
