// SPDX-License-Identifier: Apache-2.0
// PublishToIoTCore and SubscribeToIoTCore on the embedded loopback IoT Core (contract.md "The fake
// IoT Core"): MQTT's topic rules ('+', '#', '$' topics), QoS "0" and "1", the MQTT 5 fields on the
// wire, retained messages, and MqttProxyIPCAgent's checks in its order with its errors: a missing
// topic before authorization, "Not Authorized" for every denial (MQTT wildcards in policies), the
// payload and QoS after it, then the MQTT client's own refusals as ServiceErrors.
#include "integration_common.hpp"
#include "standin/model/base64.hpp"

namespace standin::test::integration {
namespace {

constexpr std::string_view publish_response = "aws.greengrass#PublishToIoTCoreResponse";
constexpr std::string_view subscribe_response = "aws.greengrass#SubscribeToIoTCoreResponse";
constexpr std::string_view iot_message = "aws.greengrass#IoTCoreMessage";

constexpr const char* comp_iot_device = "com.test.iot.Device";        // both operations on "*"
constexpr const char* comp_sensors = "com.test.iot.Sensors";          // sensors/+/temp and cmd/#
constexpr const char* comp_iot_publisher = "com.test.iot.Publisher";  // publish only, on "*"

recipe_file mqttproxy_recipe(const std::string& component, const std::vector<std::string>& operations,
                             const std::vector<std::string>& resources) {
    json configuration = json::object();
    if (!operations.empty()) {
        configuration["accessControl"] = {
            {"aws.greengrass.ipc.mqttproxy",
             {{component + ":mqttproxy:1", {{"operations", operations}, {"resources", resources}}}}}};
    }
    json recipe = {{"RecipeFormatVersion", "2020-01-25"},
                   {"ComponentName", component},
                   {"ComponentVersion", "1.0.0"},
                   {"ComponentConfiguration", {{"DefaultConfiguration", configuration}}},
                   {"Manifests", json::array({{{"Lifecycle", {{"Run", "true"}}}}})}};
    return {component + ".json", recipe.dump(2)};
}

// The event a subscriber gets for a plain publish.
json plain_event(std::string_view topic, std::string_view payload, bool retain = false) {
    return {
        {"message",
         {{"topicName", topic}, {"payload", b64(payload)}, {"retain", retain}, {"payloadFormat", "0"}}}};
}

class IotCoreTest : public IntegrationTest {
protected:
    daemon_config config() override {
        const std::vector<std::string> both{std::string{op_publish_iot}, std::string{op_subscribe_iot}};
        return daemon_config{{mqttproxy_recipe(comp_iot_device, both, {"*"}),
                              mqttproxy_recipe(comp_sensors, both, {"sensors/+/temp", "cmd/#"}),
                              mqttproxy_recipe(comp_iot_publisher, {std::string{op_publish_iot}}, {"*"}),
                              mqttproxy_recipe(comp_none, {}, {})},
                             {}};
    }

    protocol::message reply_to(raw_client& c, std::string_view op, const json& body, std::int32_t& id) {
        id = c.request(op, body);
        auto reply = c.read_message();
        if (!reply) {
            ADD_FAILURE() << "no reply to " << op;
            return {};
        }
        return *reply;
    }

    void publish_ok(raw_client& c, const json& body) {
        std::int32_t id = 0;
        const auto reply = reply_to(c, op_publish_iot, body, id);
        expect_application_message(reply, id, 2, publish_response);
        EXPECT_EQ(reply.payload, "{}");
    }

    std::int32_t subscribe_ok(raw_client& c, std::string_view filter, std::string_view qos = "1") {
        std::int32_t id = 0;
        const auto reply = reply_to(c, op_subscribe_iot, {{"topicName", filter}, {"qos", qos}}, id);
        expect_application_message(reply, id, 0, subscribe_response);
        EXPECT_EQ(reply.payload, "{}");
        return id;
    }

    void expect_error(raw_client& c, std::string_view op, const json& body, std::string_view code,
                      std::string_view message, const json& context = nullptr) {
        SCOPED_TRACE(std::string{op} + " " + body.dump().substr(0, 200));
        std::int32_t id = 0;
        const auto reply = reply_to(c, op, body, id);
        if (context.is_null()) {
            expect_modeled_error(reply, id, code, message);
        } else {
            json expected = error_body(code, message);
            expected["context"] = context;
            EXPECT_EQ(frames::json_of(reply), expected);
            EXPECT_EQ(frames::string_header(reply, "service-model-type"),
                      "aws.greengrass#" + std::string{code});
        }
    }

    // The next message on `c` is an IoTCoreMessage event on `stream` equal to `expected`.
    void expect_event(raw_client& c, std::int32_t stream, const json& expected) {
        const auto event = c.read_message();
        ASSERT_TRUE(event.has_value()) << "no IoTCoreMessage";
        expect_application_message(*event, stream, 0, iot_message);
        EXPECT_EQ(frames::json_of(*event), expected);
    }
};

TEST_F(IotCoreTest, PublishReachesEveryMatchingSubscriptionWithMqttWildcards) {
    auto sub = connected(comp_iot_device);
    auto pub = connected(comp_iot_device);
    const auto exact = subscribe_ok(sub, "fleet/t1/temp");
    const auto plus = subscribe_ok(sub, "fleet/+/temp", "0");
    const auto hash = subscribe_ok(sub, "fleet/#");
    const auto other = subscribe_ok(sub, "fleet/+/humidity");
    (void)other;
    publish_ok(pub, iot_publish_body("fleet/t1/temp", "21.5"));
    // One event per matching subscription, in subscription order.
    expect_event(sub, exact, plain_event("fleet/t1/temp", "21.5"));
    expect_event(sub, plus, plain_event("fleet/t1/temp", "21.5"));
    expect_event(sub, hash, plain_event("fleet/t1/temp", "21.5"));
    expect_nothing_more(sub);
    // '#' also matches its parent level; it does not match a longer level name.
    publish_ok(pub, iot_publish_body("fleet", "parent"));
    expect_event(sub, hash, plain_event("fleet", "parent"));
    publish_ok(pub, iot_publish_body("fleetwide/x", "no"));
    publish_ok(pub, iot_publish_body("fleet//temp", "empty level"));
    expect_event(sub, plus, plain_event("fleet//temp", "empty level"));
    expect_event(sub, hash, plain_event("fleet//temp", "empty level"));
    expect_nothing_more(sub);
}

TEST_F(IotCoreTest, DollarTopicsAreNotMatchedByLeadingWildcards) {
    auto sub = connected(comp_iot_device);
    auto pub = connected(comp_iot_device);
    subscribe_ok(sub, "#");
    subscribe_ok(sub, "+/things/t/shadow/update");
    const auto dollar = subscribe_ok(sub, "$aws/things/+/shadow/update");
    publish_ok(pub, iot_publish_body("$aws/things/t/shadow/update", "{}"));
    expect_event(sub, dollar, plain_event("$aws/things/t/shadow/update", "{}"));
    expect_nothing_more(sub);
}

TEST_F(IotCoreTest, TheMqtt5FieldsReachTheSubscriber) {
    auto c = connected(comp_iot_device);
    auto pub = connected(comp_iot_device);
    const auto stream = subscribe_ok(c, "rpc/request");
    publish_ok(pub, {{"topicName", "rpc/request"},
                     {"qos", "1"},
                     {"payload", b64("{\"op\":1}")},
                     {"retain", false},
                     {"userProperties",
                      json::array({{{"key", "a"}, {"value", "1"}}, {{"key", "a"}, {"value", "2"}}})},
                     {"messageExpiryIntervalSeconds", 30},
                     {"correlationData", b64(std::string{"\x00\x01\xff", 3})},
                     {"responseTopic", "rpc/response/t1"},
                     {"payloadFormat", "1"},
                     {"contentType", "application/json"}});
    // In the model's member order, as the nucleus's serializer writes them.
    const auto event = c.read_message();
    ASSERT_TRUE(event.has_value());
    expect_application_message(*event, stream, 0, iot_message);
    EXPECT_EQ(
        event->payload,
        R"({"message":{"topicName":"rpc/request","payload":")" + b64("{\"op\":1}") +
            R"(","retain":false,"userProperties":[{"key":"a","value":"1"},{"key":"a","value":"2"}],)"
            R"("messageExpiryIntervalSeconds":30,"correlationData":"AAH/","responseTopic":"rpc/response/t1",)"
            R"("payloadFormat":"1","contentType":"application/json"}})");
    // An empty user property list does not survive MQTT; an unknown payloadFormat is sent as bytes.
    publish_ok(pub, {{"topicName", "rpc/request"},
                     {"qos", "0"},
                     {"payload", ""},
                     {"userProperties", json::array()},
                     {"payloadFormat", "7"}});
    expect_event(c, stream, plain_event("rpc/request", ""));
    expect_nothing_more(c);
}

TEST_F(IotCoreTest, RetainedMessagesReachLaterSubscribersAfterTheResponse) {
    auto c = connected(comp_iot_device);
    auto pub = connected(comp_iot_device);
    json retained = iot_publish_body("status/t1", "online");
    retained["retain"] = true;
    publish_ok(c, retained);
    json replaced = iot_publish_body("status/t1", "busy");
    replaced["retain"] = true;
    publish_ok(c, replaced);
    publish_ok(c, iot_publish_body("status/t2", "not retained"));
    // The response first, then the retained message with retain set.
    const auto stream = subscribe_ok(c, "status/+");
    expect_event(c, stream, plain_event("status/t1", "busy", true));
    expect_nothing_more(c);
    // Live messages keep their retain flag (the nucleus subscribes retain-as-published).
    publish_ok(pub, replaced);
    expect_event(c, stream, plain_event("status/t1", "busy", true));
    // An empty retained payload clears it.
    json clear = iot_publish_body("status/t1", "");
    clear["retain"] = true;
    publish_ok(pub, clear);
    expect_event(c, stream, plain_event("status/t1", "", true));
    subscribe_ok(c, "status/t1");
    expect_nothing_more(c);
}

TEST_F(IotCoreTest, ClosingTheStreamUnsubscribes) {
    auto c = connected(comp_iot_device);
    const auto stream = subscribe_ok(c, "bye");
    ASSERT_TRUE(c.send(frames::terminate(stream)));
    expect_nothing_more(c);
    publish_ok(c, iot_publish_body("bye", "gone"));
    expect_nothing_more(c);
}

TEST_F(IotCoreTest, QosIsRequiredAndMustBeZeroOrOne) {
    auto c = connected(comp_iot_device);
    expect_error(c, op_publish_iot, {{"topicName", "q"}, {"payload", b64("x")}}, "InvalidArgumentsError",
                 "QoS is required");
    expect_error(c, op_publish_iot, iot_publish_body("q", "x", "2"), "InvalidArgumentsError",
                 "Invalid QoS value: 2");
    expect_error(c, op_publish_iot, iot_publish_body("q", "x", "AT_LEAST_ONCE"), "InvalidArgumentsError",
                 "Invalid QoS value: AT_LEAST_ONCE");
    expect_error(c, op_subscribe_iot, {{"topicName", "q"}}, "InvalidArgumentsError", "QoS is required");
    expect_error(c, op_subscribe_iot, {{"topicName", "q"}, {"qos", ""}}, "InvalidArgumentsError",
                 "Invalid QoS value: ");
    publish_ok(c, iot_publish_body("q", "x", "0"));
    publish_ok(c, iot_publish_body("q", "x", "1"));
    expect_nothing_more(c);
}

TEST_F(IotCoreTest, TopicAndPayloadChecksInTheNucleusOrder) {
    auto none = connected(comp_none);
    // A missing topic is refused before authorization, even for a caller without any policy.
    expect_error(none, op_publish_iot, {{"payload", b64("x")}, {"qos", "1"}}, "InvalidArgumentsError",
                 "Topic is required");
    expect_error(none, op_subscribe_iot, {{"qos", "1"}}, "InvalidArgumentsError", "Topic is required");
    // The payload is checked after authorization.
    expect_error(none, op_publish_iot, {{"topicName", "t"}, {"qos", "1"}}, "UnauthorizedError",
                 "Not Authorized");
    auto c = connected(comp_iot_device);
    expect_error(c, op_publish_iot, {{"topicName", "t"}, {"qos", "1"}}, "InvalidArgumentsError",
                 "Payload is required");
    // An empty topic fails authorization whatever the policy says.
    expect_error(c, op_publish_iot, iot_publish_body("", "x"), "UnauthorizedError", "Not Authorized");
    expect_error(c, op_subscribe_iot, {{"topicName", ""}, {"qos", "0"}}, "UnauthorizedError",
                 "Not Authorized");
    expect_nothing_more(c);
}

TEST_F(IotCoreTest, PoliciesMatchWithMqttWildcardsAndDenialsSayNotAuthorized) {
    auto s = connected(comp_sensors);
    publish_ok(s, iot_publish_body("sensors/t1/temp", "1"));
    publish_ok(s, iot_publish_body("cmd", "parent of cmd/#"));
    publish_ok(s, iot_publish_body("cmd/a/b", "deep"));
    expect_error(s, op_publish_iot, iot_publish_body("sensors/t1/humidity", "1"), "UnauthorizedError",
                 "Not Authorized");
    expect_error(s, op_publish_iot, iot_publish_body("sensors/t1/x/temp", "1"), "UnauthorizedError",
                 "Not Authorized");
    // A request filter is matched as a string: '+' in the policy covers a '+' or '#' level.
    subscribe_ok(s, "sensors/+/temp");
    subscribe_ok(s, "cmd/#");
    subscribe_ok(s, "cmd/+/x");
    // Past authorization ('+' swallows the '#'), refused as a filter.
    expect_error(s, op_subscribe_iot, {{"topicName", "sensors/#/temp"}, {"qos", "1"}}, "ServiceError",
                 "Subscribe to topic sensors/#/temp failed with error TOPIC_FILTER_INVALID",
                 {{"reasonCode", 143}});
    expect_error(s, op_subscribe_iot, {{"topicName", "sensors/#"}, {"qos", "1"}}, "UnauthorizedError",
                 "Not Authorized");
    auto p = connected(comp_iot_publisher);
    publish_ok(p, iot_publish_body("anything", "1"));
    expect_error(p, op_subscribe_iot, {{"topicName", "anything"}, {"qos", "1"}}, "UnauthorizedError",
                 "Not Authorized");
}

TEST_F(IotCoreTest, TheMqttClientsRefusalsAreServiceErrors) {
    auto c = connected(comp_iot_device);
    expect_error(c, op_publish_iot, iot_publish_body("a/+/b", "x"), "ServiceError",
                 "Publish to topic a/+/b failed: Publish topics must not contain wildcard characters of "
                 "'#' or '+'");
    expect_error(c, op_publish_iot, iot_publish_body("a/b/c/d/e/f/g/h/i", "x"), "ServiceError",
                 "Publish to topic a/b/c/d/e/f/g/h/i failed: The request topic must have no more than 7 "
                 "forward slashes (/)");
    const std::string long_topic(257, 't');
    expect_error(c, op_publish_iot, iot_publish_body(long_topic, "x"), "ServiceError",
                 "Publish to topic " + long_topic +
                     " failed: The topic size of request must be no larger than 256 bytes of UTF-8 "
                     "encoded characters. This excludes the first 3 mandatory segments for Basic "
                     "Ingest topics ($AWS/rules/rule-name/)");
    expect_error(c, op_publish_iot, iot_publish_body("big", std::string(128 * 1024 + 1, 'x')),
                 "ServiceError",
                 "Publish to topic big failed: The publishing message size 131073 bytes exceeds the "
                 "configured limit of 131072 bytes");
    publish_ok(c, iot_publish_body("big", std::string(128 * 1024, 'x')));
    expect_error(c, op_subscribe_iot, {{"topicName", "a/#/b"}, {"qos", "1"}}, "ServiceError",
                 "Subscribe to topic a/#/b failed with error TOPIC_FILTER_INVALID",
                 {{"reasonCode", 143}});
    expect_error(
        c, op_subscribe_iot, {{"topicName", long_topic}, {"qos", "1"}}, "ServiceError",
        "Subscribe to topic " + long_topic +
            " failed with error com.aws.greengrass.mqttclient.MqttRequestException: The topic "
            "size of request must be no larger than 256 bytes of UTF-8 encoded characters. This "
            "excludes the first 3 mandatory segments for Basic Ingest topics "
            "($AWS/rules/rule-name/) or first 2 mandatory segments for MQTT Shared "
            "Subscriptions ($share/share-name/)");
    expect_nothing_more(c);
}

}  // namespace
}  // namespace standin::test::integration
