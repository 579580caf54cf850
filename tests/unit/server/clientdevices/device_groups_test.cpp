// SPDX-License-Identifier: Apache-2.0
// Device policies as the client device auth plugin reads and evaluates them: the selection rule
// grammar, thing-name wildcards, operation and resource matching, policy variables, and the
// configurations the plugin refuses.
#include "clientdevices/device_groups.hpp"

#include <gtest/gtest.h>

namespace standin::server::clientdevices {
namespace {

using json = nlohmann::json;

TEST(SelectionRuleTest, ThingNameTermsWithWildcards) {
    EXPECT_TRUE(selection_rule{"thingName: sensor-1"}.selects("sensor-1"));
    EXPECT_FALSE(selection_rule{"thingName: sensor-1"}.selects("sensor-12"));
    EXPECT_TRUE(selection_rule{"thingName: sensor-*"}.selects("sensor-12"));
    EXPECT_TRUE(selection_rule{"thingName: sensor-*"}.selects("sensor-"));
    EXPECT_FALSE(selection_rule{"thingName: sensor-*"}.selects("probe-1"));
    EXPECT_TRUE(selection_rule{"thingName: *-1"}.selects("probe-1"));
    EXPECT_TRUE(selection_rule{"thingName: *ens*"}.selects("sensor"));
    EXPECT_TRUE(selection_rule{"thingName: *"}.selects("anything"));
    EXPECT_TRUE(selection_rule{"thingName:x"}.selects("x"));  // no space needed
    EXPECT_TRUE(selection_rule{"\tthingName:  x\r "}.selects("x"));
}

TEST(SelectionRuleTest, AndBindsTighterThanOr) {
    const selection_rule rule{"thingName: a OR thingName: b* AND thingName: *z"};
    EXPECT_TRUE(rule.selects("a"));
    EXPECT_TRUE(rule.selects("bz"));
    EXPECT_FALSE(rule.selects("b"));
    EXPECT_FALSE(rule.selects("z"));
    EXPECT_TRUE(selection_rule{"thingName: a AND thingName: a OR thingName: c"}.selects("c"));
}

TEST(SelectionRuleTest, EscapedColonIsKeptAsWritten) {
    // The plugin compares the value as written: "a\:b" names the thing a\:b.
    EXPECT_FALSE(selection_rule{"thingName: a\\:b"}.selects("a:b"));
    EXPECT_TRUE(selection_rule{"thingName: a\\:b"}.selects("a\\:b"));
}

TEST(SelectionRuleTest, MalformedRulesAreRejected) {
    for (const char* text :
         {"", "thingName:", "thingName: a OR", "thingName: a b", "sensor-1", "thingname: a",
          "thingName: a or thingName: b", "thingName: a:b", "thingName: **",
          "thingName: a\nOR thingName: b", "thingName: a.b", "thingName: OR"}) {
        EXPECT_THROW(selection_rule{text}, std::invalid_argument) << text;
    }
}

json sensor_groups() {
    return json::parse(R"({
      "formatVersion": "2021-03-05",
      "definitions": {
        "Sensors": {"selectionRule": "thingName: sensor-*", "policyName": "SensorPolicy"},
        "Everyone": {"selectionRule": "thingName: *", "policyName": "ConnectOnly"}
      },
      "policies": {
        "SensorPolicy": {
          "publish": {
            "statementDescription": "own topics",
            "operations": ["mqtt:publish"],
            "resources": ["mqtt:topic:sensors/${iot:Connection.Thing.ThingName}/*"]
          },
          "everything-mqtt": {"effect": "ALLOW", "operations": ["mqtt:*"],
                              "resources": ["mqtt:topic:shared"]}
        },
        "ConnectOnly": {
          "connect": {"operations": ["mqtt:connect"], "resources": ["mqtt:clientId:*"]}
        }
      }
    })");
}

TEST(DeviceGroupsTest, GroupsSelectDevicesAndStatementsAllow) {
    const auto groups = device_groups::from_configuration(sensor_groups());
    EXPECT_EQ(groups.group_count(), 2u);
    using d = device_decision;
    EXPECT_EQ(groups.authorize("sensor-1", "mqtt:publish", "mqtt:topic:sensors/sensor-1/temp"),
              d::allowed);
    EXPECT_EQ(groups.authorize("sensor-1", "mqtt:publish", "mqtt:topic:sensors/sensor-2/temp"),
              d::denied);
    EXPECT_EQ(groups.authorize("sensor-1", "mqtt:subscribe", "mqtt:topic:sensors/sensor-1/temp"),
              d::denied);
    EXPECT_EQ(groups.authorize("sensor-1", "mqtt:subscribe", "mqtt:topic:shared"), d::allowed);
    EXPECT_EQ(groups.authorize("probe-7", "mqtt:publish", "mqtt:topic:shared"), d::denied);
    EXPECT_EQ(groups.authorize("probe-7", "mqtt:connect", "mqtt:clientId:probe-7"), d::allowed);
    EXPECT_EQ(groups.authorize("sensor-1", "mqtt:connect", "mqtt:clientId:x"), d::allowed);
}

TEST(DeviceGroupsTest, MalformedRequestsAreDeniedAndServiceMismatchIsAnError) {
    const auto groups = device_groups::from_configuration(sensor_groups());
    using d = device_decision;
    EXPECT_EQ(groups.authorize("sensor-1", "mqtt", "mqtt:topic:shared"), d::denied);
    EXPECT_EQ(groups.authorize("sensor-1", "mqtt:", "mqtt:topic:shared"), d::denied);
    EXPECT_EQ(groups.authorize("sensor-1", "mq1tt:publish", "mqtt:topic:shared"), d::denied);
    EXPECT_EQ(groups.authorize("sensor-1", "mqtt:pub/lish", "mqtt:topic:shared"), d::denied);
    EXPECT_EQ(groups.authorize("sensor-1", "mqtt:publish", "mqtt:topic"), d::denied);
    EXPECT_EQ(groups.authorize("sensor-1", "mqtt:publish", "mqtt:topic:"), d::denied);
    EXPECT_EQ(groups.authorize("sensor-1", "mqtt:publish", "mqtt:to2pic:x"), d::denied);
    EXPECT_EQ(groups.authorize("sensor-1", "mqtt:publish", "mqtt:topic:a\tb"), d::denied);
    EXPECT_EQ(groups.authorize("sensor-1", "mqtt:publish", "iot:topic:shared"), d::service_mismatch);
}

TEST(DeviceGroupsTest, WildcardOperationsAndGlobResources) {
    const auto groups = device_groups::from_configuration(json::parse(R"({
      "definitions": {"All": {"selectionRule": "thingName: *", "policyName": "P"}},
      "policies": {"P": {"s": {"operations": ["*"], "resources": ["mqtt:topic:a/*/c", "mqtt:topic:x+#"]}}}
    })"));
    using d = device_decision;
    EXPECT_EQ(groups.authorize("t", "mqtt:publish", "mqtt:topic:a/b/c"), d::allowed);
    EXPECT_EQ(groups.authorize("t", "mqtt:publish", "mqtt:topic:a/b/b/c"), d::allowed);
    EXPECT_EQ(groups.authorize("t", "mqtt:publish", "mqtt:topic:a/b/d"), d::denied);
    // MQTT wildcards are literal characters in device policies.
    EXPECT_EQ(groups.authorize("t", "mqtt:publish", "mqtt:topic:x+#"), d::allowed);
    EXPECT_EQ(groups.authorize("t", "mqtt:publish", "mqtt:topic:xy"), d::denied);
}

TEST(DeviceGroupsTest, NoGroupsDenyEverything) {
    EXPECT_EQ(device_groups{}.authorize("t", "mqtt:publish", "mqtt:topic:x"), device_decision::denied);
    EXPECT_EQ(device_groups::from_configuration(json(nullptr)).group_count(), 0u);
    EXPECT_EQ(device_groups::from_configuration(json::object()).group_count(), 0u);
}

TEST(DeviceGroupsTest, ConfigurationsThePluginRefuses) {
    const auto refuses = [](const char* text) {
        EXPECT_THROW(device_groups::from_configuration(json::parse(text)), std::invalid_argument)
            << text;
    };
    refuses(R"({"definitions": {"G": {"selectionRule": "thingName: a", "policyName": "Missing"}}})");
    refuses(
        R"({"definitions": {"G": {"selectionRule": "bad rule", "policyName": "P"}}, "policies": {"P": {}}})");
    refuses(R"({"definitions": {"G": {"policyName": "P"}}, "policies": {"P": {}}})");
    refuses(R"({"definitions": {"G": {"selectionRule": "thingName: a"}}, "policies": {"P": {}}})");
    refuses(
        R"({"policies": {"P": {"s": {"operations": ["mqtt:publish"], "resources": ["mqtt:topic:${iot:ClientId}"]}}}})");
    refuses(
        R"({"policies": {"P": {"s": {"effect": "DENY", "operations": ["*"], "resources": ["*"]}}}})");
    refuses(R"({"policies": {"P": {"s": {"operations": "mqtt:publish", "resources": ["*"]}}}})");
    refuses(R"({"formatVersion": "2020-01-01"})");
    refuses(R"([])");
}

TEST(ThingNameMatchesTest, PrefixSuffixSubstringAndExact) {
    EXPECT_TRUE(thing_name_matches("abc", "abc"));
    EXPECT_FALSE(thing_name_matches("abc", "abcd"));
    EXPECT_TRUE(thing_name_matches("ab*", "abcd"));
    EXPECT_TRUE(thing_name_matches("*cd", "abcd"));
    EXPECT_TRUE(thing_name_matches("*bc*", "abcd"));
    EXPECT_TRUE(thing_name_matches("*", "x"));
    EXPECT_FALSE(thing_name_matches("*x*", "abc"));
}

}  // namespace
}  // namespace standin::server::clientdevices
