// SPDX-License-Identifier: Apache-2.0
// Every shape of the shadow service (model/shadow.hpp: GetThingShadow, UpdateThingShadow,
// DeleteThingShadow, ListNamedShadowsForThing), requests, responses and events alike, decoded from one
// payload and re-encoded (model_fuzz.hpp).
#include <cstddef>
#include <cstdint>

#include "model_fuzz.hpp"
#include "standin/model/shadow.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace standin::model;
    return standin::fuzz::fuzz_model<
        get_thing_shadow_request, get_thing_shadow_response, update_thing_shadow_request,
        update_thing_shadow_response, delete_thing_shadow_request, delete_thing_shadow_response,
        list_named_shadows_for_thing_request, list_named_shadows_for_thing_response>(data, size);
}
