// SPDX-License-Identifier: Apache-2.0
// Every shape of the tokens service (model/tokens.hpp: ValidateAuthorizationToken), requests, responses
// and events alike, decoded from one payload and re-encoded (model_fuzz.hpp).
#include <cstddef>
#include <cstdint>

#include "model_fuzz.hpp"
#include "standin/model/tokens.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace standin::model;
    return standin::fuzz::fuzz_model<validate_authorization_token_request,
                                     validate_authorization_token_response>(data, size);
}
