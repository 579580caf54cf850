// SPDX-License-Identifier: Apache-2.0
// The configuration store (semantics.md §4): GetConfiguration, UpdateConfiguration,
// SubscribeToConfigurationUpdate, SubscribeToValidateConfigurationUpdates and
// SendConfigurationValidityReport against the real daemon, with raw frames.
#include <chrono>

#include "integration_common.hpp"

namespace standin::test::integration {
namespace {

inline constexpr const char* conf_a = "com.test.ConfA";
inline constexpr const char* conf_b = "com.test.ConfB";
inline constexpr const char* conf_empty = "com.test.ConfEmpty";

inline constexpr std::string_view op_get_config = "aws.greengrass#GetConfiguration";
inline constexpr std::string_view op_update_config = "aws.greengrass#UpdateConfiguration";
inline constexpr std::string_view op_watch = "aws.greengrass#SubscribeToConfigurationUpdate";
inline constexpr std::string_view op_subscribe_validate =
    "aws.greengrass#SubscribeToValidateConfigurationUpdates";
inline constexpr std::string_view op_report = "aws.greengrass#SendConfigurationValidityReport";

const json config_access_control = {
    {"aws.greengrass.ipc.pubsub",
     {{"com.test.ConfA:pubsub:1",
       {{"operations", {"aws.greengrass#PublishToTopic"}}, {"resources", {"*"}}}}}}};

const json conf_a_defaults = {{"mqtt", {{"port", 8883}, {"host", "localhost"}}},
                              {"interval", 10},
                              {"tags", {"a", "b"}},
                              {"accessControl", config_access_control}};

recipe_file config_recipe(const std::string& component, const std::optional<json>& defaults) {
    json recipe = {{"RecipeFormatVersion", "2020-01-25"},
                   {"ComponentName", component},
                   {"ComponentVersion", "1.0.0"},
                   {"Manifests",
                    json::array({{{"Platform", {{"os", "linux"}}}, {"Lifecycle", {{"Run", "true"}}}}})}};
    if (defaults) recipe["ComponentConfiguration"] = {{"DefaultConfiguration", *defaults}};
    return recipe_file{component + ".json", recipe.dump(2)};
}

double now_seconds() {
    using namespace std::chrono;
    return static_cast<double>(
               duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count()) /
           1000.0;
}

json update_json(const json& key_path, const json& value, double timestamp) {
    return {{"keyPath", key_path}, {"timestamp", timestamp}, {"valueToMerge", value}};
}

json change_event(std::string_view component, const json& key_path) {
    return {{"configurationUpdateEvent", {{"componentName", component}, {"keyPath", key_path}}}};
}

class ConfigTest : public IntegrationTest {
protected:
    daemon_config config() override {
        auto recipes = standard_recipes();
        recipes.push_back(config_recipe(conf_a, conf_a_defaults));
        recipes.push_back(config_recipe(conf_b, json{{"level", "info"}}));
        recipes.push_back(config_recipe(conf_empty, std::nullopt));
        return daemon_config{recipes, {}, std::chrono::milliseconds{10000}};
    }

    // The reply to one request, with the stream it went on.
    static std::pair<std::int32_t, std::optional<protocol::message>> call(raw_client& c,
                                                                          std::string_view op,
                                                                          const json& request) {
        const auto id = c.request(op, request);
        return {id, c.read_message()};
    }

    // A successful GetConfiguration's body.
    json get(raw_client& c, const json& request) {
        const auto [id, response] = call(c, op_get_config, request);
        if (!response) {
            ADD_FAILURE() << "no GetConfiguration response";
            return nullptr;
        }
        expect_application_message(*response, id, 2, "aws.greengrass#GetConfigurationResponse");
        return frames::json_of(*response);
    }

    void update(raw_client& c, const json& request) {
        const auto [id, response] = call(c, op_update_config, request);
        ASSERT_TRUE(response) << "no UpdateConfiguration response";
        expect_application_message(*response, id, 2, "aws.greengrass#UpdateConfigurationResponse");
        EXPECT_EQ(response->payload, "{}");
    }

    void expect_error(raw_client& c, std::string_view op, const json& request, std::string_view code,
                      std::string_view message) {
        const auto [id, response] = call(c, op, request);
        ASSERT_TRUE(response) << "no response to " << op;
        expect_modeled_error(*response, id, code, message);
    }

    std::int32_t watch(raw_client& c, const json& request) {
        const auto id = c.request(op_watch, request);
        const auto response = c.read_message();
        if (!response) {
            ADD_FAILURE() << "no SubscribeToConfigurationUpdate response";
            return id;
        }
        expect_application_message(*response, id, 0,
                                   "aws.greengrass#SubscribeToConfigurationUpdateResponse");
        EXPECT_EQ(response->payload, "{}");
        return id;
    }

    void expect_events(raw_client& c, std::int32_t stream_id, const std::vector<json>& events) {
        for (const auto& expected : events) {
            const auto event = c.read_message();
            ASSERT_TRUE(event) << "missing event " << expected.dump();
            expect_application_message(*event, stream_id, 0, "aws.greengrass#ConfigurationUpdateEvents");
            EXPECT_EQ(frames::json_of(*event), expected);
        }
        expect_nothing_more(c);
    }
};

// GetConfiguration

TEST_F(ConfigTest, GetReturnsTheCallersWholeConfiguration) {
    auto a = connected(conf_a);
    EXPECT_EQ(get(a, json::object()), json({{"componentName", conf_a}, {"value", conf_a_defaults}}));
}

TEST_F(ConfigTest, GetReturnsAContainerAsItsObject) {
    auto a = connected(conf_a);
    EXPECT_EQ(get(a, {{"keyPath", {"mqtt"}}}),
              json({{"componentName", conf_a}, {"value", {{"port", 8883}, {"host", "localhost"}}}}));
}

TEST_F(ConfigTest, GetWrapsALeafInItsNameWithKeysIgnoringCase) {
    auto a = connected(conf_a);
    EXPECT_EQ(get(a, {{"keyPath", {"MQTT", "Port"}}}),
              json({{"componentName", conf_a}, {"value", {{"port", 8883}}}}));
    EXPECT_EQ(get(a, {{"keyPath", {"tags"}}}),
              json({{"componentName", conf_a}, {"value", {{"tags", {"a", "b"}}}}}));
}

TEST_F(ConfigTest, GetReadsAnyComponent) {
    auto b = connected(conf_b);
    EXPECT_EQ(get(b, {{"componentName", conf_a}, {"keyPath", {"interval"}}}),
              json({{"componentName", conf_a}, {"value", {{"interval", 10}}}}));
    auto none = connected(comp_none);  // no policy needed
    EXPECT_EQ(get(none, {{"componentName", conf_b}}),
              json({{"componentName", conf_b}, {"value", {{"level", "info"}}}}));
}

TEST_F(ConfigTest, GetOfAComponentWithoutDefaultsIsEmpty) {
    auto e = connected(conf_empty);
    EXPECT_EQ(get(e, json::object()), json({{"componentName", conf_empty}, {"value", json::object()}}));
}

TEST_F(ConfigTest, GetOfAnUnknownComponentIsKeyNotFound) {
    auto a = connected(conf_a);
    expect_error(a, op_get_config, {{"componentName", "com.test.Nobody"}}, "ResourceNotFoundError",
                 "Key not found");
}

TEST_F(ConfigTest, GetOfAMissingKeyIsKeyNotFound) {
    auto a = connected(conf_a);
    expect_error(a, op_get_config, {{"keyPath", {"mqtt", "nope"}}}, "ResourceNotFoundError",
                 "Key not found");
    expect_error(a, op_get_config, {{"keyPath", {"interval", "deeper"}}}, "ResourceNotFoundError",
                 "Key not found");
    expect_nothing_more(a);
}

// UpdateConfiguration

TEST_F(ConfigTest, UpdateMergesIntoTheCallersConfiguration) {
    auto a = connected(conf_a);
    update(a, update_json({"mqtt"}, {{"port", 1883}, {"tls", true}}, now_seconds()));
    EXPECT_EQ(get(a, {{"keyPath", {"mqtt"}}})["value"],
              json({{"port", 1883}, {"host", "localhost"}, {"tls", true}}));
    update(a, update_json(json::array(), {{"tags", {"c"}}, {"interval", {{"min", 1}}}}, now_seconds()));
    const auto whole = get(a, json::object())["value"];
    EXPECT_EQ(whole["tags"], json({"c"}));             // lists are replaced whole
    EXPECT_EQ(whole["interval"], json({{"min", 1}}));  // a leaf replaced by an object
    EXPECT_EQ(whole["accessControl"], config_access_control);
}

TEST_F(ConfigTest, UpdateWithoutKeyPathMergesAtTheTop) {
    auto a = connected(conf_a);
    update(a, {{"timestamp", now_seconds()}, {"valueToMerge", {{"interval", 20}}}});
    EXPECT_EQ(get(a, {{"keyPath", {"interval"}}})["value"], json({{"interval", 20}}));
}

TEST_F(ConfigTest, UpdateOfAMissingKeyPathCreatesIt) {
    auto a = connected(conf_a);
    update(a, update_json({"new", "nested"}, {{"k", "v"}}, 1.0));  // the current time is used
    EXPECT_EQ(get(a, {{"keyPath", {"new"}}})["value"], json({{"nested", {{"k", "v"}}}}));
}

TEST_F(ConfigTest, UpdateToALeafKeyPathReplacesTheLeaf) {
    auto a = connected(conf_a);
    update(a, update_json({"interval"}, {{"seconds", 5}}, now_seconds()));
    EXPECT_EQ(get(a, {{"keyPath", {"interval"}}})["value"], json({{"seconds", 5}}));
}

TEST_F(ConfigTest, UpdateChangesOnlyTheCallersComponent) {
    auto b = connected(conf_b);
    update(b, update_json(json::array(), {{"interval", 99}}, now_seconds()));
    EXPECT_EQ(get(b, {{"componentName", conf_a}, {"keyPath", {"interval"}}})["value"],
              json({{"interval", 10}}));
    EXPECT_EQ(get(b, json::object())["value"], json({{"level", "info"}, {"interval", 99}}));
}

TEST_F(ConfigTest, UpdateWithoutTimestampIsRefused) {
    auto a = connected(conf_a);
    expect_error(a, op_update_config, {{"keyPath", {"mqtt"}}, {"valueToMerge", {{"port", 1}}}},
                 "InvalidArgumentsError", "Timestamp is required");
}

TEST_F(ConfigTest, UpdateWithoutValueToMergeIsRefused) {
    auto a = connected(conf_a);
    expect_error(a, op_update_config, {{"keyPath", {"mqtt"}}, {"timestamp", now_seconds()}},
                 "InvalidArgumentsError", "ValueToMerge is required");
}

TEST_F(ConfigTest, UpdateOfAccessControlIsRefused) {
    auto a = connected(conf_a);
    const std::string message = "Config update is not allowed for following fields [accessControl]";
    expect_error(a, op_update_config,
                 update_json(json::array(), {{"accessControl", json::object()}}, now_seconds()),
                 "InvalidArgumentsError", message);
    expect_error(a, op_update_config,
                 update_json({"accessControl", "aws.greengrass.ipc.pubsub"}, {{"x", 1}}, now_seconds()),
                 "InvalidArgumentsError", message);
    EXPECT_EQ(get(a, {{"keyPath", {"accessControl"}}})["value"], config_access_control);
}

TEST_F(ConfigTest, UpdateOlderThanTheLatestChangeIsRefused) {
    auto a = connected(conf_a);
    const double t = now_seconds();
    update(a, update_json({"mqtt"}, {{"port", 1}}, t));
    expect_error(a, op_update_config, update_json({"mqtt"}, {{"port", 2}}, t - 10),
                 "FailedUpdateConditionCheckError",
                 "Proposed timestamp is older than the config's latest modified timestamp");
    EXPECT_EQ(get(a, {{"keyPath", {"mqtt", "port"}}})["value"], json({{"port", 1}}));
    update(a, update_json({"mqtt"}, {{"port", 3}}, t));  // the same time is not older
    EXPECT_EQ(get(a, {{"keyPath", {"mqtt", "port"}}})["value"], json({{"port", 3}}));
}

TEST_F(ConfigTest, UpdateThroughALeafIsAServiceError) {
    auto a = connected(conf_a);
    expect_error(a, op_update_config, update_json({"interval", "x"}, {{"k", 1}}, now_seconds()),
                 "ServiceError",
                 "interval in services.com.test.ConfA.configuration is already a leaf, cannot become a "
                 "container");
}

// SubscribeToConfigurationUpdate

TEST_F(ConfigTest, SubscriberOfTheSameComponentGetsOneEventPerChangedPath) {
    auto a = connected(conf_a);
    const auto sid = watch(a, json::object());
    auto writer = connected(conf_a);
    update(writer, update_json({"mqtt"}, {{"port", 1}, {"host", "h"}, {"tls", false}}, now_seconds()));
    expect_events(a, sid,
                  {change_event(conf_a, {"mqtt", "host"}), change_event(conf_a, {"mqtt", "port"}),
                   change_event(conf_a, {"mqtt", "tls"})});
}

TEST_F(ConfigTest, TheUpdatingConnectionHearsItsOwnChange) {
    auto a = connected(conf_a);
    const auto sid = watch(a, {{"keyPath", {"interval"}}});
    const auto id =
        a.request(op_update_config, update_json(json::array(), {{"interval", 11}}, now_seconds()));
    const auto first = a.read_messages(2);
    ASSERT_EQ(first.size(), 2U);
    // The event is queued while the update runs, before its response.
    expect_application_message(first[0], sid, 0, "aws.greengrass#ConfigurationUpdateEvents");
    EXPECT_EQ(frames::json_of(first[0]), change_event(conf_a, {"interval"}));
    expect_application_message(first[1], id, 2, "aws.greengrass#UpdateConfigurationResponse");
}

TEST_F(ConfigTest, SubscriberOfAnotherComponentGetsItsEvents) {
    auto b = connected(conf_b);
    const auto sid = watch(b, {{"componentName", conf_a}, {"keyPath", {"mqtt"}}});
    auto a = connected(conf_a);
    update(a, update_json({"mqtt"}, {{"port", 2}}, now_seconds()));
    expect_events(b, sid, {change_event(conf_a, {"mqtt", "port"})});
}

TEST_F(ConfigTest, SubscriberOfAnotherKeyPathGetsNothing) {
    auto b = connected(conf_b);
    const auto sid = watch(b, {{"componentName", conf_a}, {"keyPath", {"interval"}}});
    auto a = connected(conf_a);
    update(a, update_json({"mqtt"}, {{"port", 2}}, now_seconds()));
    expect_nothing_more(b);
    update(a, update_json(json::array(), {{"interval", 12}}, now_seconds()));
    expect_events(b, sid, {change_event(conf_a, {"interval"})});
}

TEST_F(ConfigTest, SubscriberOfALeafGetsItsChange) {
    auto b = connected(conf_b);
    const auto sid = watch(b, {{"componentName", conf_a}, {"keyPath", {"MQTT", "PORT"}}});
    auto a = connected(conf_a);
    update(a, update_json({"mqtt"}, {{"port", 3}, {"host", "other"}}, now_seconds()));
    expect_events(b, sid, {change_event(conf_a, {"mqtt", "port"})});
}

TEST_F(ConfigTest, AnUnchangedValueSendsNoEvent) {
    auto b = connected(conf_b);
    watch(b, {{"componentName", conf_a}});
    auto a = connected(conf_a);
    update(a, update_json({"mqtt"}, {{"port", 8883}}, now_seconds()));
    expect_nothing_more(b);
}

TEST_F(ConfigTest, SubscribeToAnUnknownComponentIsKeyNotFound) {
    auto a = connected(conf_a);
    expect_error(a, op_watch, {{"componentName", "com.test.Nobody"}}, "ResourceNotFoundError",
                 "Key not found");
}

TEST_F(ConfigTest, SubscribeToAMissingKeyIsKeyNotFound) {
    auto a = connected(conf_a);
    expect_error(a, op_watch, {{"keyPath", {"not", "there"}}}, "ResourceNotFoundError", "Key not found");
}

TEST_F(ConfigTest, AClosedSubscriptionGetsNoMoreEvents) {
    auto b = connected(conf_b);
    {
        auto watcher = connected(conf_b);
        watch(watcher, {{"componentName", conf_a}});
    }  // disconnected
    const auto sid = watch(b, {{"componentName", conf_a}});
    auto a = connected(conf_a);
    update(a, update_json(json::array(), {{"interval", 13}}, now_seconds()));
    expect_events(b, sid, {change_event(conf_a, {"interval"})});
    expect_still_served();
}

// SubscribeToValidateConfigurationUpdates and SendConfigurationValidityReport

TEST_F(ConfigTest, SubscribeToValidateUpdatesIsAccepted) {
    auto a = connected(conf_a);
    const auto id = a.request(op_subscribe_validate, json::object());
    const auto response = a.read_message();
    ASSERT_TRUE(response);
    expect_application_message(*response, id, 0,
                               "aws.greengrass#SubscribeToValidateConfigurationUpdatesResponse");
    EXPECT_EQ(response->payload, "{}");
    expect_nothing_more(a);
}

TEST_F(ConfigTest, ReportWithoutDeploymentIdIsRefused) {
    auto a = connected(conf_a);
    expect_error(a, op_report, {{"configurationValidityReport", {{"status", "ACCEPTED"}}}},
                 "InvalidArgumentsError",
                 "Cannot accept configuration validity report, the deployment ID provided was null");
}

TEST_F(ConfigTest, ReportNobodyAskedForIsRefused) {
    auto a = connected(conf_a);
    expect_error(a, op_report,
                 {{"configurationValidityReport",
                   {{"status", "REJECTED"},
                    {"deploymentId", "00000000-0000-0000-0000-000000000000"},
                    {"message", "no"}}}},
                 "InvalidArgumentsError", "Validation request either timed out or was never made");
}

TEST_F(ConfigTest, ReportWithoutAReportIsAServiceError) {
    auto a = connected(conf_a);
    expect_error(a, op_report, json::object(), "ServiceError",
                 "configurationValidityReport is required");
}

}  // namespace
}  // namespace standin::test::integration
