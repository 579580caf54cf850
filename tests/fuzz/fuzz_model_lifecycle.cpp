// SPDX-License-Identifier: Apache-2.0
// Every shape of the lifecycle service (model/lifecycle.hpp: UpdateState, SubscribeToComponentUpdates,
// DeferComponentUpdate, PauseComponent, ResumeComponent), requests, responses and events alike, decoded
// from one payload and re-encoded (model_fuzz.hpp).
#include <cstddef>
#include <cstdint>

#include "model_fuzz.hpp"
#include "standin/model/lifecycle.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace standin::model;
    return standin::fuzz::fuzz_model<
        pre_component_update_event, post_component_update_event, component_update_policy_events,
        update_state_request, update_state_response, subscribe_to_component_updates_request,
        subscribe_to_component_updates_response, defer_component_update_request,
        defer_component_update_response, pause_component_request, pause_component_response,
        resume_component_request, resume_component_response>(data, size);
}
