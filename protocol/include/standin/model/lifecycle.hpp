// SPDX-License-Identifier: Apache-2.0
// Component lifecycle (nucleus): UpdateState, SubscribeToComponentUpdates (events:
// ComponentUpdatePolicyEvents), DeferComponentUpdate, and aws.greengrass.ipc.lifecycle's PauseComponent,
// ResumeComponent.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "standin/model/codec.hpp"
#include "standin/model/types.hpp"

namespace standin::model {

enum class reported_lifecycle_state { running, errored };
BOOST_DESCRIBE_ENUM(reported_lifecycle_state, running, errored)
template <>
struct enum_traits<reported_lifecycle_state> {
    static constexpr std::string_view shape_id = "aws.greengrass#ReportedLifecycleState";
    static constexpr std::array<std::pair<reported_lifecycle_state, std::string_view>, 2> values{{
        {reported_lifecycle_state::running, "RUNNING"},
        {reported_lifecycle_state::errored, "ERRORED"},
    }};
};

struct pre_component_update_event {
    static constexpr std::string_view shape_id = "aws.greengrass#PreComponentUpdateEvent";
    std::optional<std::string> deploymentId{};
    std::optional<bool> isGgcRestarting{};
};
BOOST_DESCRIBE_STRUCT(pre_component_update_event, (), (deploymentId, isGgcRestarting))

struct post_component_update_event {
    static constexpr std::string_view shape_id = "aws.greengrass#PostComponentUpdateEvent";
    std::optional<std::string> deploymentId{};
};
BOOST_DESCRIBE_STRUCT(post_component_update_event, (), (deploymentId))

// Union; the SubscribeToComponentUpdates stream event.
struct component_update_policy_events {
    static constexpr std::string_view shape_id = "aws.greengrass#ComponentUpdatePolicyEvents";
    static constexpr bool is_union = true;
    std::optional<pre_component_update_event> preUpdateEvent{};
    std::optional<post_component_update_event> postUpdateEvent{};
};
BOOST_DESCRIBE_STRUCT(component_update_policy_events, (), (preUpdateEvent, postUpdateEvent))

struct update_state_request {
    static constexpr std::string_view shape_id = "aws.greengrass#UpdateStateRequest";
    wire_enum<reported_lifecycle_state> state{};
};
BOOST_DESCRIBE_STRUCT(update_state_request, (), (state))

struct update_state_response {
    static constexpr std::string_view shape_id = "aws.greengrass#UpdateStateResponse";
};
BOOST_DESCRIBE_STRUCT(update_state_response, (), ())

struct subscribe_to_component_updates_request {
    static constexpr std::string_view shape_id = "aws.greengrass#SubscribeToComponentUpdatesRequest";
};
BOOST_DESCRIBE_STRUCT(subscribe_to_component_updates_request, (), ())

struct subscribe_to_component_updates_response {
    static constexpr std::string_view shape_id = "aws.greengrass#SubscribeToComponentUpdatesResponse";
};
BOOST_DESCRIBE_STRUCT(subscribe_to_component_updates_response, (), ())

struct defer_component_update_request {
    static constexpr std::string_view shape_id = "aws.greengrass#DeferComponentUpdateRequest";
    std::optional<std::string> deploymentId{};
    std::optional<std::string> message{};
    std::optional<std::int64_t> recheckAfterMs{};
};
BOOST_DESCRIBE_STRUCT(defer_component_update_request, (), (deploymentId, message, recheckAfterMs))

struct defer_component_update_response {
    static constexpr std::string_view shape_id = "aws.greengrass#DeferComponentUpdateResponse";
};
BOOST_DESCRIBE_STRUCT(defer_component_update_response, (), ())

struct pause_component_request {
    static constexpr std::string_view shape_id = "aws.greengrass#PauseComponentRequest";
    std::optional<std::string> componentName{};
};
BOOST_DESCRIBE_STRUCT(pause_component_request, (), (componentName))

struct pause_component_response {
    static constexpr std::string_view shape_id = "aws.greengrass#PauseComponentResponse";
};
BOOST_DESCRIBE_STRUCT(pause_component_response, (), ())

struct resume_component_request {
    static constexpr std::string_view shape_id = "aws.greengrass#ResumeComponentRequest";
    std::optional<std::string> componentName{};
};
BOOST_DESCRIBE_STRUCT(resume_component_request, (), (componentName))

struct resume_component_response {
    static constexpr std::string_view shape_id = "aws.greengrass#ResumeComponentResponse";
};
BOOST_DESCRIBE_STRUCT(resume_component_response, (), ())

}  // namespace standin::model
