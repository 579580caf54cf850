// SPDX-License-Identifier: Apache-2.0
#include "standin/model/metrics.hpp"

#include <gtest/gtest.h>

#include "model_test_support.hpp"

namespace standin::model {
namespace {

using test::round_trip;

TEST(model_metrics, put_component_metric) {
    const auto request = round_trip<put_component_metric_request>(
        R"({"metrics":[{"name":"ProcessedRecords","unit":"COUNT","value":42.0},)"
        R"({"name":"Latency","unit":"SECONDS","value":0.25},{"name":"Throughput","unit":"BYTES_PER_SECOND","value":1048576.0}]})");
    ASSERT_EQ(request.metrics->size(), 3u);
    EXPECT_EQ(request.metrics->at(0).unit, metric_unit_type::count);
    EXPECT_EQ(request.metrics->at(1).value, 0.25);
    round_trip<put_component_metric_response>("{}");
    round_trip<put_component_metric_request>(R"({"metrics":[]})");
    round_trip<metric>(R"({"name":"m","unit":"MEGABYTES","value":1.5})");
}

}  // namespace
}  // namespace standin::model
