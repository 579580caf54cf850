// SPDX-License-Identifier: Apache-2.0
// Component management and local deployments (the aws.greengrass.Cli plugin): GetComponentDetails,
// ListComponents, RestartComponent, StopComponent, CreateLocalDeployment, GetLocalDeploymentStatus,
// ListLocalDeployments, CancelLocalDeployment, CreateDebugPassword.
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "standin/model/codec.hpp"
#include "standin/model/types.hpp"

namespace standin::model {

enum class lifecycle_state { running, errored, new_, finished, installed, broken, starting, stopping };
BOOST_DESCRIBE_ENUM(lifecycle_state, running, errored, new_, finished, installed, broken, starting,
                    stopping)
template <>
struct enum_traits<lifecycle_state> {
    static constexpr std::string_view shape_id = "aws.greengrass#LifecycleState";
    static constexpr std::array<std::pair<lifecycle_state, std::string_view>, 8> values{{
        {lifecycle_state::running, "RUNNING"},
        {lifecycle_state::errored, "ERRORED"},
        {lifecycle_state::new_, "NEW"},
        {lifecycle_state::finished, "FINISHED"},
        {lifecycle_state::installed, "INSTALLED"},
        {lifecycle_state::broken, "BROKEN"},
        {lifecycle_state::starting, "STARTING"},
        {lifecycle_state::stopping, "STOPPING"},
    }};
};

enum class deployment_status { queued, in_progress, succeeded, failed, canceled };
BOOST_DESCRIBE_ENUM(deployment_status, queued, in_progress, succeeded, failed, canceled)
template <>
struct enum_traits<deployment_status> {
    static constexpr std::string_view shape_id = "aws.greengrass#DeploymentStatus";
    static constexpr std::array<std::pair<deployment_status, std::string_view>, 5> values{{
        {deployment_status::queued, "QUEUED"},
        {deployment_status::in_progress, "IN_PROGRESS"},
        {deployment_status::succeeded, "SUCCEEDED"},
        {deployment_status::failed, "FAILED"},
        {deployment_status::canceled, "CANCELED"},
    }};
};

enum class detailed_deployment_status {
    successful,
    failed_no_state_change,
    failed_rollback_not_requested,
    failed_rollback_complete,
    rejected
};
BOOST_DESCRIBE_ENUM(detailed_deployment_status, successful, failed_no_state_change,
                    failed_rollback_not_requested, failed_rollback_complete, rejected)
template <>
struct enum_traits<detailed_deployment_status> {
    static constexpr std::string_view shape_id = "aws.greengrass#DetailedDeploymentStatus";
    static constexpr std::array<std::pair<detailed_deployment_status, std::string_view>, 5> values{{
        {detailed_deployment_status::successful, "SUCCESSFUL"},
        {detailed_deployment_status::failed_no_state_change, "FAILED_NO_STATE_CHANGE"},
        {detailed_deployment_status::failed_rollback_not_requested, "FAILED_ROLLBACK_NOT_REQUESTED"},
        {detailed_deployment_status::failed_rollback_complete, "FAILED_ROLLBACK_COMPLETE"},
        {detailed_deployment_status::rejected, "REJECTED"},
    }};
};

enum class request_status { succeeded, failed };
BOOST_DESCRIBE_ENUM(request_status, succeeded, failed)
template <>
struct enum_traits<request_status> {
    static constexpr std::string_view shape_id = "aws.greengrass#RequestStatus";
    static constexpr std::array<std::pair<request_status, std::string_view>, 2> values{{
        {request_status::succeeded, "SUCCEEDED"},
        {request_status::failed, "FAILED"},
    }};
};

enum class failure_handling_policy { rollback, do_nothing };
BOOST_DESCRIBE_ENUM(failure_handling_policy, rollback, do_nothing)
template <>
struct enum_traits<failure_handling_policy> {
    static constexpr std::string_view shape_id = "aws.greengrass#FailureHandlingPolicy";
    static constexpr std::array<std::pair<failure_handling_policy, std::string_view>, 2> values{{
        {failure_handling_policy::rollback, "ROLLBACK"},
        {failure_handling_policy::do_nothing, "DO_NOTHING"},
    }};
};

// memory: kilobytes of RAM; cpus: CPU time, may be fractional (a double).
struct system_resource_limits {
    static constexpr std::string_view shape_id = "aws.greengrass#SystemResourceLimits";
    std::optional<std::int64_t> memory{};
    std::optional<double> cpus{};
};
BOOST_DESCRIBE_STRUCT(system_resource_limits, (), (memory, cpus))

struct run_with_info {
    static constexpr std::string_view shape_id = "aws.greengrass#RunWithInfo";
    std::optional<std::string> posixUser{};
    std::optional<std::string> windowsUser{};
    std::optional<system_resource_limits> systemResourceLimits{};
};
BOOST_DESCRIBE_STRUCT(run_with_info, (), (posixUser, windowsUser, systemResourceLimits))

struct deployment_status_details {
    static constexpr std::string_view shape_id = "aws.greengrass#DeploymentStatusDetails";
    wire_enum<detailed_deployment_status> detailedDeploymentStatus{};
    std::optional<std::vector<std::string>> deploymentErrorStack{};
    std::optional<std::vector<std::string>> deploymentErrorTypes{};
    std::optional<std::string> deploymentFailureCause{};
};
BOOST_DESCRIBE_STRUCT(deployment_status_details, (),
                      (detailedDeploymentStatus, deploymentErrorStack, deploymentErrorTypes,
                       deploymentFailureCause))

// createdOn is text, "MM/dd/yyyy hh:mm:ss" per the model, not a timestamp.
struct local_deployment {
    static constexpr std::string_view shape_id = "aws.greengrass#LocalDeployment";
    std::optional<std::string> deploymentId{};
    wire_enum<deployment_status> status{};
    std::optional<std::string> createdOn{};
    std::optional<deployment_status_details> deploymentStatusDetails{};
};
BOOST_DESCRIBE_STRUCT(local_deployment, (), (deploymentId, status, createdOn, deploymentStatusDetails))

struct component_details {
    static constexpr std::string_view shape_id = "aws.greengrass#ComponentDetails";
    std::optional<std::string> componentName{};
    std::optional<std::string> version{};
    wire_enum<lifecycle_state> state{};
    std::optional<nlohmann::json> configuration{};
};
BOOST_DESCRIBE_STRUCT(component_details, (), (componentName, version, state, configuration))

struct get_component_details_request {
    static constexpr std::string_view shape_id = "aws.greengrass#GetComponentDetailsRequest";
    std::optional<std::string> componentName{};
};
BOOST_DESCRIBE_STRUCT(get_component_details_request, (), (componentName))

struct get_component_details_response {
    static constexpr std::string_view shape_id = "aws.greengrass#GetComponentDetailsResponse";
    std::optional<component_details> componentDetails{};
};
BOOST_DESCRIBE_STRUCT(get_component_details_response, (), (componentDetails))

struct list_components_request {
    static constexpr std::string_view shape_id = "aws.greengrass#ListComponentsRequest";
};
BOOST_DESCRIBE_STRUCT(list_components_request, (), ())

struct list_components_response {
    static constexpr std::string_view shape_id = "aws.greengrass#ListComponentsResponse";
    std::optional<std::vector<component_details>> components{};
};
BOOST_DESCRIBE_STRUCT(list_components_response, (), (components))

struct restart_component_request {
    static constexpr std::string_view shape_id = "aws.greengrass#RestartComponentRequest";
    std::optional<std::string> componentName{};
};
BOOST_DESCRIBE_STRUCT(restart_component_request, (), (componentName))

struct restart_component_response {
    static constexpr std::string_view shape_id = "aws.greengrass#RestartComponentResponse";
    wire_enum<request_status> restartStatus{};
    std::optional<std::string> message{};
};
BOOST_DESCRIBE_STRUCT(restart_component_response, (), (restartStatus, message))

struct stop_component_request {
    static constexpr std::string_view shape_id = "aws.greengrass#StopComponentRequest";
    std::optional<std::string> componentName{};
};
BOOST_DESCRIBE_STRUCT(stop_component_request, (), (componentName))

struct stop_component_response {
    static constexpr std::string_view shape_id = "aws.greengrass#StopComponentResponse";
    wire_enum<request_status> stopStatus{};
    std::optional<std::string> message{};
};
BOOST_DESCRIBE_STRUCT(stop_component_response, (), (stopStatus, message))

// componentToConfiguration: each value is a document (an object), the configuration update of
// that component ({"MERGE": {...}, "RESET": [...]}).
struct create_local_deployment_request {
    static constexpr std::string_view shape_id = "aws.greengrass#CreateLocalDeploymentRequest";
    std::optional<std::string> groupName{};
    std::optional<std::map<std::string, std::string>> rootComponentVersionsToAdd{};
    std::optional<std::vector<std::string>> rootComponentsToRemove{};
    std::optional<std::map<std::string, nlohmann::json>> componentToConfiguration{};
    std::optional<std::map<std::string, run_with_info>> componentToRunWithInfo{};
    std::optional<std::string> recipeDirectoryPath{};
    std::optional<std::string> artifactsDirectoryPath{};
    wire_enum<failure_handling_policy> failureHandlingPolicy{};
};
BOOST_DESCRIBE_STRUCT(create_local_deployment_request, (),
                      (groupName, rootComponentVersionsToAdd, rootComponentsToRemove,
                       componentToConfiguration, componentToRunWithInfo, recipeDirectoryPath,
                       artifactsDirectoryPath, failureHandlingPolicy))

struct create_local_deployment_response {
    static constexpr std::string_view shape_id = "aws.greengrass#CreateLocalDeploymentResponse";
    std::optional<std::string> deploymentId{};
};
BOOST_DESCRIBE_STRUCT(create_local_deployment_response, (), (deploymentId))

struct get_local_deployment_status_request {
    static constexpr std::string_view shape_id = "aws.greengrass#GetLocalDeploymentStatusRequest";
    std::optional<std::string> deploymentId{};
};
BOOST_DESCRIBE_STRUCT(get_local_deployment_status_request, (), (deploymentId))

struct get_local_deployment_status_response {
    static constexpr std::string_view shape_id = "aws.greengrass#GetLocalDeploymentStatusResponse";
    std::optional<local_deployment> deployment{};
};
BOOST_DESCRIBE_STRUCT(get_local_deployment_status_response, (), (deployment))

struct list_local_deployments_request {
    static constexpr std::string_view shape_id = "aws.greengrass#ListLocalDeploymentsRequest";
};
BOOST_DESCRIBE_STRUCT(list_local_deployments_request, (), ())

struct list_local_deployments_response {
    static constexpr std::string_view shape_id = "aws.greengrass#ListLocalDeploymentsResponse";
    std::optional<std::vector<local_deployment>> localDeployments{};
};
BOOST_DESCRIBE_STRUCT(list_local_deployments_response, (), (localDeployments))

struct cancel_local_deployment_request {
    static constexpr std::string_view shape_id = "aws.greengrass#CancelLocalDeploymentRequest";
    std::optional<std::string> deploymentId{};
};
BOOST_DESCRIBE_STRUCT(cancel_local_deployment_request, (), (deploymentId))

struct cancel_local_deployment_response {
    static constexpr std::string_view shape_id = "aws.greengrass#CancelLocalDeploymentResponse";
    std::optional<std::string> message{};
};
BOOST_DESCRIBE_STRUCT(cancel_local_deployment_response, (), (message))

struct create_debug_password_request {
    static constexpr std::string_view shape_id = "aws.greengrass#CreateDebugPasswordRequest";
};
BOOST_DESCRIBE_STRUCT(create_debug_password_request, (), ())

struct create_debug_password_response {
    static constexpr std::string_view shape_id = "aws.greengrass#CreateDebugPasswordResponse";
    std::optional<std::string> password{};
    std::optional<std::string> username{};
    std::optional<timestamp> passwordExpiration{};
    std::optional<std::string> certificateSHA256Hash{};
    std::optional<std::string> certificateSHA1Hash{};
};
BOOST_DESCRIBE_STRUCT(create_debug_password_response, (),
                      (password, username, passwordExpiration, certificateSHA256Hash,
                       certificateSHA1Hash))

}  // namespace standin::model
