// SPDX-License-Identifier: Apache-2.0
// Every shape of the metrics service (model/metrics.hpp: PutComponentMetric), requests, responses and
// events alike, decoded from one payload and re-encoded (model_fuzz.hpp).
#include <cstddef>
#include <cstdint>

#include "model_fuzz.hpp"
#include "standin/model/metrics.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace standin::model;
    return standin::fuzz::fuzz_model<metric, put_component_metric_request,
                                     put_component_metric_response>(data, size);
}
