// SPDX-License-Identifier: Apache-2.0
// Every shape of the cli service (model/cli.hpp: GetComponentDetails, ListComponents, RestartComponent,
// StopComponent, CreateLocalDeployment, GetLocalDeploymentStatus, ListLocalDeployments,
// CancelLocalDeployment, CreateDebugPassword), requests, responses and events alike, decoded from one
// payload and re-encoded (model_fuzz.hpp).
#include <cstddef>
#include <cstdint>

#include "model_fuzz.hpp"
#include "standin/model/cli.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace standin::model;
    return standin::fuzz::fuzz_model<
        system_resource_limits, run_with_info, deployment_status_details, local_deployment,
        component_details, get_component_details_request, get_component_details_response,
        list_components_request, list_components_response, restart_component_request,
        restart_component_response, stop_component_request, stop_component_response,
        create_local_deployment_request, create_local_deployment_response,
        get_local_deployment_status_request, get_local_deployment_status_response,
        list_local_deployments_request, list_local_deployments_response, cancel_local_deployment_request,
        cancel_local_deployment_response, create_debug_password_request, create_debug_password_response>(
        data, size);
}
