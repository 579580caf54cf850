// SPDX-License-Identifier: Apache-2.0
#include "standin/model/shadow.hpp"

#include <gtest/gtest.h>

#include "model_test_support.hpp"

namespace standin::model {
namespace {

using test::round_trip;

TEST(model_shadow, get_thing_shadow) {
    round_trip<get_thing_shadow_request>(R"({"thingName":"thing-1","shadowName":"config"})");
    const auto response = round_trip<get_thing_shadow_response>(
        R"({"payload":"eyJzdGF0ZSI6eyJyZXBvcnRlZCI6eyJjb2xvciI6ImdyZWVuIn19LCJ2ZXJzaW9uIjozfQ=="})");
    EXPECT_EQ(response.payload->bytes, R"({"state":{"reported":{"color":"green"}},"version":3})");
}

TEST(model_shadow, update_thing_shadow_of_the_classic_shadow) {
    const auto request = round_trip<update_thing_shadow_request>(
        R"({"thingName":"thing-1","shadowName":"","payload":"eyJzdGF0ZSI6eyJkZXNpcmVkIjp7ImNvbG9yIjoiYmx1ZSJ9fX0="})");
    EXPECT_EQ(request.shadowName, "");
    EXPECT_EQ(request.payload->bytes, R"({"state":{"desired":{"color":"blue"}}})");
    round_trip<update_thing_shadow_response>(R"({"payload":"eyJ2ZXJzaW9uIjo0fQ=="})");
}

TEST(model_shadow, delete_thing_shadow) {
    round_trip<delete_thing_shadow_request>(R"({"thingName":"thing-1","shadowName":"config"})");
    EXPECT_EQ(round_trip<delete_thing_shadow_response>(R"({"payload":""})").payload, blob{""});
}

TEST(model_shadow, list_named_shadows_for_thing) {
    const auto request = round_trip<list_named_shadows_for_thing_request>(
        R"({"thingName":"thing-1","nextToken":"abc","pageSize":25})");
    EXPECT_EQ(request.pageSize, 25);
    const auto response = round_trip<list_named_shadows_for_thing_response>(
        R"({"results":["config","telemetry"],"timestamp":1700000000.5,"nextToken":"def"})");
    EXPECT_EQ(response.timestamp, timestamp{1700000000.5});
    round_trip<list_named_shadows_for_thing_response>(R"({"results":[],"timestamp":1700000000.0})");
}

}  // namespace
}  // namespace standin::model
