// SPDX-License-Identifier: Apache-2.0
// Every shape of the secrets service (model/secrets.hpp: GetSecretValue), requests, responses and events
// alike, decoded from one payload and re-encoded (model_fuzz.hpp).
#include <cstddef>
#include <cstdint>

#include "model_fuzz.hpp"
#include "standin/model/secrets.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace standin::model;
    return standin::fuzz::fuzz_model<secret_value, get_secret_value_request, get_secret_value_response>(
        data, size);
}
