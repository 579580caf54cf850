// SPDX-License-Identifier: Apache-2.0
#include "standin/model/mqttproxy.hpp"

#include <gtest/gtest.h>

#include "model_test_support.hpp"

namespace standin::model {
namespace {

using test::round_trip;

TEST(model_mqttproxy, publish_to_iot_core_request_with_every_member) {
    const auto request = round_trip<publish_to_iot_core_request>(
        R"({"topicName":"devices/thing-1/telemetry","qos":"1","payload":"eyJ0ZW1wIjoyMX0=","retain":false,)"
        R"("userProperties":[{"key":"source","value":"sensor"},{"key":"unit","value":"C"}],)"
        R"("messageExpiryIntervalSeconds":3600,"correlationData":"cmVxLTQy","responseTopic":"devices/thing-1/replies",)"
        R"("payloadFormat":"1","contentType":"application/json"})");
    EXPECT_EQ(request.qos, qos::at_least_once);
    EXPECT_EQ(request.payload->bytes, R"({"temp":21})");
    EXPECT_EQ(request.retain, false);
    ASSERT_EQ(request.userProperties->size(), 2u);
    EXPECT_EQ(request.userProperties->at(1).key, "unit");
    EXPECT_EQ(request.messageExpiryIntervalSeconds, 3600);
    EXPECT_EQ(request.correlationData->bytes, "req-42");
    EXPECT_EQ(request.payloadFormat, payload_format::utf8);
}

TEST(model_mqttproxy, minimal_requests_and_empty_responses) {
    round_trip<publish_to_iot_core_request>(R"({"topicName":"t","qos":"0","payload":"SGVsbG8="})");
    round_trip<publish_to_iot_core_response>("{}");
    const auto subscribe =
        round_trip<subscribe_to_iot_core_request>(R"({"topicName":"devices/+/commands","qos":"0"})");
    EXPECT_EQ(subscribe.qos, qos::at_most_once);
    round_trip<subscribe_to_iot_core_response>("{}");
    round_trip<user_property>(R"({"key":"k","value":"v"})");
}

TEST(model_mqttproxy, iot_core_message_event) {
    const auto event = round_trip<iot_core_message>(
        R"({"message":{"topicName":"devices/thing-1/commands","payload":"eyJjbWQiOiJyZWJvb3QifQ==","retain":true,)"
        R"("userProperties":[{"key":"k","value":"v"}],"messageExpiryIntervalSeconds":60,"correlationData":"cmVxLTQy",)"
        R"("responseTopic":"devices/thing-1/replies","payloadFormat":"0","contentType":"application/octet-stream"}})");
    EXPECT_EQ(event.message->payload->bytes, R"({"cmd":"reboot"})");
    EXPECT_EQ(event.message->payloadFormat, payload_format::bytes);
    round_trip<iot_core_message>(R"({"message":{"topicName":"t","payload":""}})");
    round_trip<mqtt_message>(R"({"topicName":"t"})");
}

}  // namespace
}  // namespace standin::model
