// SPDX-License-Identifier: Apache-2.0
// Component metrics (aws.greengrass.ipc.componentmetric): PutComponentMetric.
#pragma once

#include <array>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "standin/model/codec.hpp"
#include "standin/model/types.hpp"

namespace standin::model {

enum class metric_unit_type { bytes, bytes_per_second, count, count_per_second, megabytes, seconds };
BOOST_DESCRIBE_ENUM(metric_unit_type, bytes, bytes_per_second, count, count_per_second, megabytes,
                    seconds)
template <>
struct enum_traits<metric_unit_type> {
    static constexpr std::string_view shape_id = "aws.greengrass#MetricUnitType";
    static constexpr std::array<std::pair<metric_unit_type, std::string_view>, 6> values{{
        {metric_unit_type::bytes, "BYTES"},
        {metric_unit_type::bytes_per_second, "BYTES_PER_SECOND"},
        {metric_unit_type::count, "COUNT"},
        {metric_unit_type::count_per_second, "COUNT_PER_SECOND"},
        {metric_unit_type::megabytes, "MEGABYTES"},
        {metric_unit_type::seconds, "SECONDS"},
    }};
};

struct metric {
    static constexpr std::string_view shape_id = "aws.greengrass#Metric";
    std::optional<std::string> name{};
    wire_enum<metric_unit_type> unit{};
    std::optional<double> value{};
};
BOOST_DESCRIBE_STRUCT(metric, (), (name, unit, value))

struct put_component_metric_request {
    static constexpr std::string_view shape_id = "aws.greengrass#PutComponentMetricRequest";
    std::optional<std::vector<metric>> metrics{};
};
BOOST_DESCRIBE_STRUCT(put_component_metric_request, (), (metrics))

struct put_component_metric_response {
    static constexpr std::string_view shape_id = "aws.greengrass#PutComponentMetricResponse";
};
BOOST_DESCRIBE_STRUCT(put_component_metric_response, (), ())

}  // namespace standin::model
