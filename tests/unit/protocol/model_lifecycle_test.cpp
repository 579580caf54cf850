// SPDX-License-Identifier: Apache-2.0
#include "standin/model/lifecycle.hpp"

#include <gtest/gtest.h>

#include "model_test_support.hpp"

namespace standin::model {
namespace {

using test::round_trip;

TEST(model_lifecycle, update_state) {
    EXPECT_EQ(round_trip<update_state_request>(R"({"state":"ERRORED"})").state,
              reported_lifecycle_state::errored);
    round_trip<update_state_response>("{}");
}

TEST(model_lifecycle, component_updates_and_their_events) {
    round_trip<subscribe_to_component_updates_request>("{}");
    round_trip<subscribe_to_component_updates_response>("{}");
    const auto pre = round_trip<component_update_policy_events>(
        R"({"preUpdateEvent":{"deploymentId":"5f5e1f72-8f4e-4a1c-9d4b-0c8e3c6b2a11","isGgcRestarting":true}})");
    EXPECT_EQ(pre.preUpdateEvent->isGgcRestarting, true);
    EXPECT_FALSE(pre.postUpdateEvent);
    const auto post = round_trip<component_update_policy_events>(
        R"({"postUpdateEvent":{"deploymentId":"5f5e1f72-8f4e-4a1c-9d4b-0c8e3c6b2a11"}})");
    EXPECT_EQ(post.postUpdateEvent->deploymentId, "5f5e1f72-8f4e-4a1c-9d4b-0c8e3c6b2a11");
    round_trip<pre_component_update_event>(R"({"deploymentId":"d","isGgcRestarting":false})");
    round_trip<post_component_update_event>(R"({"deploymentId":"d"})");
}

TEST(model_lifecycle, defer_component_update) {
    const auto request = round_trip<defer_component_update_request>(
        R"({"deploymentId":"5f5e1f72-8f4e-4a1c-9d4b-0c8e3c6b2a11","message":"busy with a job","recheckAfterMs":60000})");
    EXPECT_EQ(request.recheckAfterMs, 60000);
    round_trip<defer_component_update_response>("{}");
}

TEST(model_lifecycle, pause_and_resume) {
    round_trip<pause_component_request>(R"({"componentName":"com.example.Worker"})");
    round_trip<pause_component_response>("{}");
    round_trip<resume_component_request>(R"({"componentName":"com.example.Worker"})");
    round_trip<resume_component_response>("{}");
}

}  // namespace
}  // namespace standin::model
