// SPDX-License-Identifier: Apache-2.0
#include "standin/model/cli.hpp"

#include <gtest/gtest.h>

#include "model_test_support.hpp"

namespace standin::model {
namespace {

using test::round_trip;

constexpr std::string_view sensor_details =
    R"({"componentName":"com.example.Sensor","version":"1.0.0","state":"RUNNING","configuration":{"interval":10}})";

TEST(model_cli, component_details) {
    round_trip<get_component_details_request>(R"({"componentName":"com.example.Sensor"})");
    const auto response = round_trip<get_component_details_response>(R"({"componentDetails":)" +
                                                                     std::string{sensor_details} + "}");
    EXPECT_EQ(response.componentDetails->state, lifecycle_state::running);
    round_trip<component_details>(R"({"componentName":"c","version":"1.0.0","state":"NEW"})");
}

TEST(model_cli, list_components) {
    round_trip<list_components_request>("{}");
    const auto response = round_trip<list_components_response>(
        R"({"components":[)" + std::string{sensor_details} +
        R"(,{"componentName":"aws.greengrass.Cli","version":"2.12.0","state":"FINISHED"}]})");
    ASSERT_EQ(response.components->size(), 2u);
    EXPECT_EQ(response.components->at(1).state, lifecycle_state::finished);
}

TEST(model_cli, restart_and_stop) {
    round_trip<restart_component_request>(R"({"componentName":"com.example.Sensor"})");
    EXPECT_EQ(round_trip<restart_component_response>(R"({"restartStatus":"SUCCEEDED"})").restartStatus,
              request_status::succeeded);
    round_trip<restart_component_response>(
        R"({"restartStatus":"FAILED","message":"Component is broken"})");
    round_trip<stop_component_request>(R"({"componentName":"com.example.Sensor"})");
    EXPECT_EQ(round_trip<stop_component_response>(R"({"stopStatus":"FAILED","message":"timed out"})")
                  .stopStatus,
              request_status::failed);
}

TEST(model_cli, create_local_deployment_with_every_member) {
    const auto request = round_trip<create_local_deployment_request>(
        R"({"groupName":"LOCAL_DEPLOYMENT","rootComponentVersionsToAdd":{"com.example.Sensor":"1.0.1"},)"
        R"("rootComponentsToRemove":["com.example.Old"],)"
        R"("componentToConfiguration":{"com.example.Sensor":{"MERGE":{"interval":5},"RESET":["/threshold"]}},)"
        R"("componentToRunWithInfo":{"com.example.Sensor":{"posixUser":"ggc_user:ggc_group","windowsUser":"ggc_user",)"
        R"("systemResourceLimits":{"memory":102400,"cpus":0.5}}},)"
        R"("recipeDirectoryPath":"/home/me/recipes","artifactsDirectoryPath":"/home/me/artifacts",)"
        R"("failureHandlingPolicy":"DO_NOTHING"})");
    EXPECT_EQ(request.rootComponentVersionsToAdd->at("com.example.Sensor"), "1.0.1");
    EXPECT_EQ(request.componentToConfiguration->at("com.example.Sensor").at("MERGE").at("interval"), 5);
    const auto& limits = *request.componentToRunWithInfo->at("com.example.Sensor").systemResourceLimits;
    EXPECT_EQ(limits.memory, 102400);
    EXPECT_EQ(limits.cpus, 0.5);
    EXPECT_EQ(request.failureHandlingPolicy, failure_handling_policy::do_nothing);
    round_trip<create_local_deployment_response>(
        R"({"deploymentId":"5f5e1f72-8f4e-4a1c-9d4b-0c8e3c6b2a11"})");
    round_trip<run_with_info>(R"({"posixUser":"u"})");
    round_trip<system_resource_limits>(R"({"cpus":2.0})");
}

constexpr std::string_view failed_deployment =
    R"({"deploymentId":"5f5e1f72-8f4e-4a1c-9d4b-0c8e3c6b2a11","status":"FAILED","createdOn":"12/01/2026 09:00:00",)"
    R"("deploymentStatusDetails":{"detailedDeploymentStatus":"FAILED_ROLLBACK_COMPLETE",)"
    R"("deploymentErrorStack":["DEPLOYMENT_FAILURE","COMPONENT_UPDATE_ERROR"],"deploymentErrorTypes":["COMPONENT_ERROR"],)"
    R"("deploymentFailureCause":"com.example.Sensor failed to start"}})";

TEST(model_cli, local_deployment_status_and_list) {
    round_trip<get_local_deployment_status_request>(
        R"({"deploymentId":"5f5e1f72-8f4e-4a1c-9d4b-0c8e3c6b2a11"})");
    const auto status = round_trip<get_local_deployment_status_response>(
        R"({"deployment":)" + std::string{failed_deployment} + "}");
    EXPECT_EQ(status.deployment->status, deployment_status::failed);
    EXPECT_EQ(status.deployment->deploymentStatusDetails->detailedDeploymentStatus,
              detailed_deployment_status::failed_rollback_complete);
    round_trip<list_local_deployments_request>("{}");
    round_trip<list_local_deployments_response>(R"({"localDeployments":[)" +
                                                std::string{failed_deployment} +
                                                R"(,{"deploymentId":"d2","status":"SUCCEEDED"}]})");
    round_trip<deployment_status_details>(R"({"detailedDeploymentStatus":"SUCCESSFUL"})");
    round_trip<local_deployment>(R"({"deploymentId":"d","status":"IN_PROGRESS"})");
}

TEST(model_cli, cancel_local_deployment) {
    round_trip<cancel_local_deployment_request>(
        R"({"deploymentId":"5f5e1f72-8f4e-4a1c-9d4b-0c8e3c6b2a11"})");
    round_trip<cancel_local_deployment_request>("{}");
    round_trip<cancel_local_deployment_response>(R"({"message":"Successfully canceled deployment"})");
}

TEST(model_cli, create_debug_password) {
    round_trip<create_debug_password_request>("{}");
    const auto response = round_trip<create_debug_password_response>(
        R"({"password":"Xw3bq9LkRt","username":"debug","passwordExpiration":1700028800.5,)"
        R"("certificateSHA256Hash":"9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",)"
        R"("certificateSHA1Hash":"a94a8fe5ccb19ba61c4c0873d391e987982fbbd3"})");
    EXPECT_EQ(response.passwordExpiration, timestamp{1700028800.5});
}

}  // namespace
}  // namespace standin::model
