// SPDX-License-Identifier: Apache-2.0
#include "standin/model/operations.hpp"

#include <algorithm>
#include <array>

namespace standin::model {

namespace {

constexpr std::array operations{
    operation_info{"aws.greengrass#AuthorizeClientDeviceAction", ""},
    operation_info{"aws.greengrass#CancelLocalDeployment", ""},
    operation_info{"aws.greengrass#CreateDebugPassword", ""},
    operation_info{"aws.greengrass#CreateLocalDeployment", ""},
    operation_info{"aws.greengrass#DeferComponentUpdate", ""},
    operation_info{"aws.greengrass#DeleteThingShadow", ""},
    operation_info{"aws.greengrass#GetClientDeviceAuthToken", ""},
    operation_info{"aws.greengrass#GetComponentDetails", ""},
    operation_info{"aws.greengrass#GetConfiguration", ""},
    operation_info{"aws.greengrass#GetLocalDeploymentStatus", ""},
    operation_info{"aws.greengrass#GetSecretValue", ""},
    operation_info{"aws.greengrass#GetThingShadow", ""},
    operation_info{"aws.greengrass#ListComponents", ""},
    operation_info{"aws.greengrass#ListLocalDeployments", ""},
    operation_info{"aws.greengrass#ListNamedShadowsForThing", ""},
    operation_info{"aws.greengrass#PauseComponent", ""},
    operation_info{"aws.greengrass#PublishToIoTCore", ""},
    operation_info{"aws.greengrass#PublishToTopic", ""},
    operation_info{"aws.greengrass#PutComponentMetric", ""},
    operation_info{"aws.greengrass#RestartComponent", ""},
    operation_info{"aws.greengrass#ResumeComponent", ""},
    operation_info{"aws.greengrass#SendConfigurationValidityReport", ""},
    operation_info{"aws.greengrass#StopComponent", ""},
    operation_info{"aws.greengrass#SubscribeToCertificateUpdates",
                   "aws.greengrass#CertificateUpdateEvent"},
    operation_info{"aws.greengrass#SubscribeToComponentUpdates",
                   "aws.greengrass#ComponentUpdatePolicyEvents"},
    operation_info{"aws.greengrass#SubscribeToConfigurationUpdate",
                   "aws.greengrass#ConfigurationUpdateEvents"},
    operation_info{"aws.greengrass#SubscribeToIoTCore", "aws.greengrass#IoTCoreMessage"},
    operation_info{"aws.greengrass#SubscribeToIoTCoreConnectionStatus",
                   "aws.greengrass#IoTCoreConnectionStatusEvent"},
    operation_info{"aws.greengrass#SubscribeToTopic", "aws.greengrass#SubscriptionResponseMessage"},
    operation_info{"aws.greengrass#SubscribeToValidateConfigurationUpdates",
                   "aws.greengrass#ValidateConfigurationUpdateEvents"},
    operation_info{"aws.greengrass#UpdateConfiguration", ""},
    operation_info{"aws.greengrass#UpdateState", ""},
    operation_info{"aws.greengrass#UpdateThingShadow", ""},
    operation_info{"aws.greengrass#ValidateAuthorizationToken", ""},
};

constexpr bool sorted_by_name() {
    for (std::size_t i = 1; i < operations.size(); ++i) {
        if (!(operations[i - 1].name < operations[i].name)) return false;
    }
    return true;
}
static_assert(sorted_by_name(), "find_operation() binary-searches the table");

}  // namespace

std::string_view operation_info::short_name() const noexcept {
    const auto hash = name.find('#');
    return hash == std::string_view::npos ? name : name.substr(hash + 1);
}

std::span<const operation_info> greengrass_operations() noexcept {
    return operations;
}

const operation_info* find_operation(std::string_view name) noexcept {
    const auto it =
        std::lower_bound(operations.begin(), operations.end(), name,
                         [](const operation_info& op, std::string_view n) { return op.name < n; });
    return it != operations.end() && it->name == name ? &*it : nullptr;
}

}  // namespace standin::model
