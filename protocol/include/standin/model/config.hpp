// SPDX-License-Identifier: Apache-2.0
// Component configuration (nucleus, no policy check): GetConfiguration, UpdateConfiguration,
// SubscribeToConfigurationUpdate (events: ConfigurationUpdateEvents),
// SubscribeToValidateConfigurationUpdates (events: ValidateConfigurationUpdateEvents),
// SendConfigurationValidityReport.
#pragma once

#include <array>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "standin/model/codec.hpp"
#include "standin/model/types.hpp"

namespace standin::model {

enum class configuration_validity_status { accepted, rejected };
BOOST_DESCRIBE_ENUM(configuration_validity_status, accepted, rejected)
template <>
struct enum_traits<configuration_validity_status> {
    static constexpr std::string_view shape_id = "aws.greengrass#ConfigurationValidityStatus";
    static constexpr std::array<std::pair<configuration_validity_status, std::string_view>, 2> values{{
        {configuration_validity_status::accepted, "ACCEPTED"},
        {configuration_validity_status::rejected, "REJECTED"},
    }};
};

struct configuration_update_event {
    static constexpr std::string_view shape_id = "aws.greengrass#ConfigurationUpdateEvent";
    std::optional<std::string> componentName{};
    std::optional<key_path> keyPath{};
};
BOOST_DESCRIBE_STRUCT(configuration_update_event, (), (componentName, keyPath))

// Union; the SubscribeToConfigurationUpdate stream event.
struct configuration_update_events {
    static constexpr std::string_view shape_id = "aws.greengrass#ConfigurationUpdateEvents";
    static constexpr bool is_union = true;
    std::optional<configuration_update_event> configurationUpdateEvent{};
};
BOOST_DESCRIBE_STRUCT(configuration_update_events, (), (configurationUpdateEvent))

struct validate_configuration_update_event {
    static constexpr std::string_view shape_id = "aws.greengrass#ValidateConfigurationUpdateEvent";
    std::optional<nlohmann::json> configuration{};
    std::optional<std::string> deploymentId{};
};
BOOST_DESCRIBE_STRUCT(validate_configuration_update_event, (), (configuration, deploymentId))

// Union; the SubscribeToValidateConfigurationUpdates stream event.
struct validate_configuration_update_events {
    static constexpr std::string_view shape_id = "aws.greengrass#ValidateConfigurationUpdateEvents";
    static constexpr bool is_union = true;
    std::optional<validate_configuration_update_event> validateConfigurationUpdateEvent{};
};
BOOST_DESCRIBE_STRUCT(validate_configuration_update_events, (), (validateConfigurationUpdateEvent))

struct configuration_validity_report {
    static constexpr std::string_view shape_id = "aws.greengrass#ConfigurationValidityReport";
    wire_enum<configuration_validity_status> status{};
    std::optional<std::string> deploymentId{};
    std::optional<std::string> message{};
};
BOOST_DESCRIBE_STRUCT(configuration_validity_report, (), (status, deploymentId, message))

struct get_configuration_request {
    static constexpr std::string_view shape_id = "aws.greengrass#GetConfigurationRequest";
    std::optional<std::string> componentName{};
    std::optional<key_path> keyPath{};
};
BOOST_DESCRIBE_STRUCT(get_configuration_request, (), (componentName, keyPath))

struct get_configuration_response {
    static constexpr std::string_view shape_id = "aws.greengrass#GetConfigurationResponse";
    std::optional<std::string> componentName{};
    std::optional<nlohmann::json> value{};
};
BOOST_DESCRIBE_STRUCT(get_configuration_response, (), (componentName, value))

struct update_configuration_request {
    static constexpr std::string_view shape_id = "aws.greengrass#UpdateConfigurationRequest";
    std::optional<key_path> keyPath{};
    std::optional<model::timestamp> timestamp{};
    std::optional<nlohmann::json> valueToMerge{};
};
BOOST_DESCRIBE_STRUCT(update_configuration_request, (), (keyPath, timestamp, valueToMerge))

struct update_configuration_response {
    static constexpr std::string_view shape_id = "aws.greengrass#UpdateConfigurationResponse";
};
BOOST_DESCRIBE_STRUCT(update_configuration_response, (), ())

struct subscribe_to_configuration_update_request {
    static constexpr std::string_view shape_id = "aws.greengrass#SubscribeToConfigurationUpdateRequest";
    std::optional<std::string> componentName{};
    std::optional<key_path> keyPath{};
};
BOOST_DESCRIBE_STRUCT(subscribe_to_configuration_update_request, (), (componentName, keyPath))

struct subscribe_to_configuration_update_response {
    static constexpr std::string_view shape_id = "aws.greengrass#SubscribeToConfigurationUpdateResponse";
};
BOOST_DESCRIBE_STRUCT(subscribe_to_configuration_update_response, (), ())

struct subscribe_to_validate_configuration_updates_request {
    static constexpr std::string_view shape_id =
        "aws.greengrass#SubscribeToValidateConfigurationUpdatesRequest";
};
BOOST_DESCRIBE_STRUCT(subscribe_to_validate_configuration_updates_request, (), ())

struct subscribe_to_validate_configuration_updates_response {
    static constexpr std::string_view shape_id =
        "aws.greengrass#SubscribeToValidateConfigurationUpdatesResponse";
};
BOOST_DESCRIBE_STRUCT(subscribe_to_validate_configuration_updates_response, (), ())

struct send_configuration_validity_report_request {
    static constexpr std::string_view shape_id = "aws.greengrass#SendConfigurationValidityReportRequest";
    std::optional<configuration_validity_report> configurationValidityReport{};
};
BOOST_DESCRIBE_STRUCT(send_configuration_validity_report_request, (), (configurationValidityReport))

struct send_configuration_validity_report_response {
    static constexpr std::string_view shape_id =
        "aws.greengrass#SendConfigurationValidityReportResponse";
};
BOOST_DESCRIBE_STRUCT(send_configuration_validity_report_response, (), ())

}  // namespace standin::model
