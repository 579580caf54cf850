// SPDX-License-Identifier: Apache-2.0
#include "standin/model/config.hpp"

#include <gtest/gtest.h>

#include "model_test_support.hpp"

namespace standin::model {
namespace {

using test::round_trip;

TEST(model_config, get_configuration) {
    const auto request = round_trip<get_configuration_request>(
        R"({"componentName":"com.example.Sensor","keyPath":["sampling","interval"]})");
    EXPECT_EQ(request.keyPath, (key_path{"sampling", "interval"}));
    round_trip<get_configuration_request>(R"({"keyPath":[]})");
    const auto response = round_trip<get_configuration_response>(
        R"({"componentName":"com.example.Sensor","value":{"interval":10,"unit":"s"}})");
    EXPECT_EQ(response.value->at("interval"), 10);
}

TEST(model_config, update_configuration) {
    const auto request = round_trip<update_configuration_request>(
        R"({"keyPath":["sampling"],"timestamp":1700000000.123,"valueToMerge":{"enabled":true,"interval":5}})");
    EXPECT_EQ(request.timestamp, timestamp{1700000000.123});
    round_trip<update_configuration_response>("{}");
}

TEST(model_config, subscribe_to_configuration_update_and_its_events) {
    round_trip<subscribe_to_configuration_update_request>(
        R"({"componentName":"com.example.Sensor","keyPath":["sampling"]})");
    round_trip<subscribe_to_configuration_update_response>("{}");
    const auto event = round_trip<configuration_update_events>(
        R"({"configurationUpdateEvent":{"componentName":"com.example.Sensor","keyPath":["sampling","interval"]}})");
    EXPECT_EQ(event.configurationUpdateEvent->componentName, "com.example.Sensor");
    round_trip<configuration_update_event>(R"({"componentName":"c","keyPath":["a"]})");
}

TEST(model_config, validate_configuration_updates_and_the_report) {
    round_trip<subscribe_to_validate_configuration_updates_request>("{}");
    round_trip<subscribe_to_validate_configuration_updates_response>("{}");
    const auto event = round_trip<validate_configuration_update_events>(
        R"({"validateConfigurationUpdateEvent":{"configuration":{"sampling":{"interval":5}},)"
        R"("deploymentId":"5f5e1f72-8f4e-4a1c-9d4b-0c8e3c6b2a11"}})");
    EXPECT_EQ(event.validateConfigurationUpdateEvent->configuration->at("sampling").at("interval"), 5);
    round_trip<validate_configuration_update_event>(R"({"deploymentId":"d"})");
    const auto report = round_trip<send_configuration_validity_report_request>(
        R"({"configurationValidityReport":{"status":"REJECTED","deploymentId":"5f5e1f72-8f4e-4a1c-9d4b-0c8e3c6b2a11",)"
        R"("message":"interval must be positive"}})");
    EXPECT_EQ(report.configurationValidityReport->status, configuration_validity_status::rejected);
    round_trip<configuration_validity_report>(R"({"status":"ACCEPTED","deploymentId":"d"})");
    round_trip<send_configuration_validity_report_response>("{}");
}

}  // namespace
}  // namespace standin::model
