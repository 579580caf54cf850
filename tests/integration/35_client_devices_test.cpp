// SPDX-License-Identifier: Apache-2.0
// The client device auth operations (semantics.md §9; the aws.greengrass.clientdevices.Auth
// plugin's IPC handlers) against fixture devices and device policies from the plugin's
// configuration: identity verification, auth tokens, device authorization, and the server
// certificate from the local CA, with every documented error answered on its own stream and the
// connection still served.
#include <chrono>
#include <fstream>
#include <sstream>

#include "integration_common.hpp"

namespace standin::test::integration {
namespace {

namespace fs = std::filesystem;

constexpr std::string_view op_verify = "aws.greengrass#VerifyClientDeviceIdentity";
constexpr std::string_view op_token = "aws.greengrass#GetClientDeviceAuthToken";
constexpr std::string_view op_authorize = "aws.greengrass#AuthorizeClientDeviceAction";
constexpr std::string_view op_certificates = "aws.greengrass#SubscribeToCertificateUpdates";
constexpr const char* comp_broker = "com.test.Broker";
constexpr const char* cda = "aws.greengrass.clientdevices.Auth";

std::string fixture_text(const std::string& name) {
    std::ifstream in{std::string{STANDIN_FIXTURES_DIR} + "/clientdevices/" + name};
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
}

// The base64 body of a PEM certificate, without its header lines.
std::string pem_body(const std::string& pem) {
    std::string body;
    std::istringstream lines{pem};
    for (std::string line; std::getline(lines, line);) {
        if (!line.starts_with("-----")) body += line + "\n";
    }
    return body;
}

recipe_file component_recipe(const std::string& component, const json& configuration) {
    json recipe = {{"RecipeFormatVersion", "2020-01-25"},
                   {"ComponentName", component},
                   {"ComponentVersion", "1.0.0"},
                   {"ComponentConfiguration", {{"DefaultConfiguration", configuration}}},
                   {"Manifests", json::array({{{"Lifecycle", {{"Run", "true"}}}}})}};
    return {component + ".json", recipe.dump(2)};
}

json broker_policy() {
    return {
        {"accessControl",
         {{cda,
           {{"com.test.Broker:cda:1",
             {{"operations",
               {"aws.greengrass#VerifyClientDeviceIdentity", "aws.greengrass#GetClientDeviceAuthToken",
                "aws.greengrass#AuthorizeClientDeviceAction",
                "aws.greengrass#SubscribeToCertificateUpdates"}},
              {"resources", {"*"}}}}}}}}};
}

json device_groups() {
    return json::parse(R"({"deviceGroups": {
      "formatVersion": "2021-03-05",
      "definitions": {
        "Sensors": {"selectionRule": "thingName: sensor-* OR thingName: probe-7", "policyName": "Telemetry"}
      },
      "policies": {
        "Telemetry": {
          "publish": {"operations": ["mqtt:publish"],
                      "resources": ["mqtt:topic:telemetry/${iot:Connection.Thing.ThingName}/*"]},
          "connect": {"operations": ["mqtt:connect"], "resources": ["mqtt:clientId:*"]}
        }
      }}})");
}

class ClientDevicesTest : public IntegrationTest {
protected:
    daemon_config config() override {
        const auto fixture = dir_.path() / "fixture.json";
        const json devices = {
            {"clientDevices",
             {{{"thingName", "sensor-1"}, {"certificatePem", fixture_text("sensor-1.pem")}},
              {{"thingName", "probe-7"}, {"certificatePem", fixture_text("probe-7.pem")}},
              {{"thingName", "old-device"}, {"certificatePem", fixture_text("expired.pem")}},
              {{"thingName", "bare-thing"}}}}};
        std::ofstream{fixture} << devices.dump(2);
        return daemon_config{
            {component_recipe(comp_broker, broker_policy()), component_recipe(comp_none, json::object()),
             component_recipe(cda, device_groups())},
            {"--fixture", fixture.string()}};
    }

    bool verify(raw_client& c, const std::string& certificate) {
        const auto body = expect_call_response(
            c, op_verify, {{"credential", {{"clientDeviceCertificate", certificate}}}},
            "aws.greengrass#VerifyClientDeviceIdentityResponse");
        EXPECT_TRUE(body.contains("isValidClientDevice")) << body.dump();
        return body.value("isValidClientDevice", false);
    }

    static json mqtt_credential(const std::string& client_id, const std::string& pem) {
        return {
            {"credential", {{"mqttCredential", {{"clientId", client_id}, {"certificatePem", pem}}}}}};
    }

    std::string token(raw_client& c, const std::string& client_id, const std::string& pem) {
        const auto body = expect_call_response(c, op_token, mqtt_credential(client_id, pem),
                                               "aws.greengrass#GetClientDeviceAuthTokenResponse");
        return body.value("clientDeviceAuthToken", "");
    }

    bool authorized(raw_client& c, const std::string& auth_token, const std::string& operation,
                    const std::string& resource) {
        const auto body = expect_call_response(
            c, op_authorize,
            {{"clientDeviceAuthToken", auth_token}, {"operation", operation}, {"resource", resource}},
            "aws.greengrass#AuthorizeClientDeviceActionResponse");
        EXPECT_TRUE(body.contains("isAuthorized")) << body.dump();
        return body.value("isAuthorized", false);
    }

    // Subscribes and returns the first CertificateUpdateEvent's certificateUpdate.
    json subscribe_certificates(raw_client& c, std::int32_t* stream = nullptr) {
        const auto id =
            c.request(op_certificates, {{"certificateOptions", {{"certificateType", "SERVER"}}}});
        if (stream) *stream = id;
        const auto messages = c.read_messages(2);
        if (messages.size() != 2) {
            ADD_FAILURE() << "expected the response and one event, got " << frames::describe(messages);
            return {};
        }
        expect_application_message(messages[0], id, 0,
                                   "aws.greengrass#SubscribeToCertificateUpdatesResponse");
        EXPECT_EQ(messages[0].payload, "{}");
        expect_application_message(messages[1], id, 0, "aws.greengrass#CertificateUpdateEvent");
        const auto event = frames::json_of(messages[1]);
        EXPECT_EQ(event.size(), 1u) << event.dump();
        return event.value("certificateUpdate", json::object());
    }

    temp_dir dir_;
    const std::string sensor_ = fixture_text("sensor-1.pem");
    const std::string probe_ = fixture_text("probe-7.pem");
};

TEST_F(ClientDevicesTest, VerifyKnowsRegisteredCertificatesWithinTheirValidity) {
    auto c = connected(comp_broker);
    EXPECT_TRUE(verify(c, sensor_));
    EXPECT_TRUE(verify(c, probe_));
    EXPECT_FALSE(verify(c, fixture_text("unregistered.pem")));
    EXPECT_FALSE(verify(c, fixture_text("expired.pem")));  // registered, but expired
    EXPECT_FALSE(verify(c, fixture_text("not-yet-valid.pem")));
    // Not a certificate: not valid, no error.
    EXPECT_FALSE(
        verify(c, "-----BEGIN CERTIFICATE-----\nnot a certificate\n-----END CERTIFICATE-----\n"));
    expect_nothing_more(c);
}

TEST_F(ClientDevicesTest, VerifyRewrapsBareBase64) {
    auto c = connected(comp_broker);
    EXPECT_TRUE(verify(c, pem_body(sensor_)));
    EXPECT_FALSE(verify(c, "!!!!"));  // skipped characters decode to nothing
    expect_call_error(c, op_verify, {{"credential", {{"clientDeviceCertificate", "QUJD="}}}},
                      "InvalidArgumentsError", "Unable to convert certificate PEM");
}

TEST_F(ClientDevicesTest, VerifyValidation) {
    auto c = connected(comp_broker);
    expect_call_error(c, op_verify, json::object(), "InvalidArgumentsError",
                      "Client device credential is required");
    expect_call_error(c, op_verify, {{"credential", json::object()}}, "InvalidArgumentsError",
                      "Client device certificate is required");
    expect_call_error(c, op_verify, {{"credential", {{"clientDeviceCertificate", ""}}}},
                      "InvalidArgumentsError", "Client device certificate is required");
    expect_nothing_more(c);
}

TEST_F(ClientDevicesTest, AuthorizationPrecedesValidation) {
    auto c = connected(comp_none);
    const auto denied = [](std::string_view op) {
        return "Principal com.test.None is not authorized to perform "
               "aws.greengrass.clientdevices.Auth:aws.greengrass#" +
               std::string{op} + " on resource *";
    };
    expect_call_error(c, op_verify, json::object(), "UnauthorizedError",
                      denied("VerifyClientDeviceIdentity"));
    expect_call_error(c, op_token, json::object(), "UnauthorizedError",
                      denied("GetClientDeviceAuthToken"));
    expect_call_error(c, op_authorize, json::object(), "UnauthorizedError",
                      denied("AuthorizeClientDeviceAction"));
    expect_call_error(c, op_certificates, json::object(), "UnauthorizedError",
                      denied("SubscribeToCertificateUpdates"));
    expect_nothing_more(c);
}

TEST_F(ClientDevicesTest, TokensNeedAVerifiedCertificateAttachedToTheThing) {
    auto c = connected(comp_broker);
    const std::string invalid_credential =
        "Unable to authenticate the client device with the given credentials. Check Greengrass log "
        "for details.";
    // Not verified yet: not in the plugin's local registry.
    expect_call_error(c, op_token, mqtt_credential("sensor-1", sensor_), "InvalidCredentialError",
                      invalid_credential);
    ASSERT_TRUE(verify(c, sensor_));
    const auto first = token(c, "sensor-1", sensor_);
    EXPECT_EQ(first.size(), 36u) << first;
    const auto second = token(c, "sensor-1", pem_body(sensor_));
    EXPECT_EQ(second.size(), 36u);
    EXPECT_NE(first, second);
    // Attached to another thing; unknown thing; too long a thing name.
    expect_call_error(c, op_token, mqtt_credential("probe-7", sensor_), "InvalidCredentialError",
                      invalid_credential);
    expect_call_error(c, op_token, mqtt_credential("nobody", sensor_), "InvalidCredentialError",
                      invalid_credential);
    expect_call_error(c, op_token, mqtt_credential(std::string(129, 's'), sensor_),
                      "InvalidCredentialError", invalid_credential);
    expect_call_error(c, op_token, mqtt_credential("sensor-1", fixture_text("unregistered.pem")),
                      "InvalidCredentialError", invalid_credential);
    // A client id that is no thing name is the plugin's unhandled error.
    expect_call_error(c, op_token, mqtt_credential("not a thing!", sensor_), "ServiceError",
                      "Getting client device auth token failed. Check Greengrass log for details.");
    expect_nothing_more(c);
}

TEST_F(ClientDevicesTest, TokenValidation) {
    auto c = connected(comp_broker);
    expect_call_error(c, op_token, json::object(), "InvalidArgumentsError",
                      "Invalid client device credentials");
    expect_call_error(c, op_token, {{"credential", json::object()}}, "InvalidArgumentsError",
                      "Invalid client device credentials");
    expect_call_error(
        c, op_token,
        {{"credential", {{"mqttCredential", {{"clientId", "sensor-1"}, {"certificatePem", "Q"}}}}}},
        "InvalidArgumentsError", "Unable to convert certificate PEM");
    // Without a certificate the plugin fails on a null: a ServiceError without a message.
    expect_call_error(c, op_token, {{"credential", {{"mqttCredential", {{"clientId", "sensor-1"}}}}}},
                      "ServiceError", "");
    expect_nothing_more(c);
}

TEST_F(ClientDevicesTest, DevicePoliciesDecideActions) {
    auto c = connected(comp_broker);
    ASSERT_TRUE(verify(c, sensor_));
    ASSERT_TRUE(verify(c, probe_));
    const auto sensor = token(c, "sensor-1", sensor_);
    const auto probe = token(c, "probe-7", probe_);
    EXPECT_TRUE(authorized(c, sensor, "mqtt:publish", "mqtt:topic:telemetry/sensor-1/temperature"));
    EXPECT_FALSE(authorized(c, sensor, "mqtt:publish", "mqtt:topic:telemetry/probe-7/temperature"));
    EXPECT_TRUE(authorized(c, probe, "mqtt:publish", "mqtt:topic:telemetry/probe-7/x"));
    EXPECT_FALSE(authorized(c, sensor, "mqtt:subscribe", "mqtt:topic:telemetry/sensor-1/x"));
    EXPECT_TRUE(authorized(c, sensor, "mqtt:connect", "mqtt:clientId:sensor-1"));
    // Malformed operations and resources are denied, not errors.
    EXPECT_FALSE(authorized(c, sensor, "publish", "mqtt:topic:telemetry/sensor-1/x"));
    EXPECT_FALSE(authorized(c, sensor, "mqtt:publish", "telemetry/sensor-1/x"));
    // The plugin's "ALLOW_ALL" session.
    EXPECT_TRUE(authorized(c, "ALLOW_ALL", "mqtt:publish", "mqtt:topic:anything"));
    expect_call_error(
        c, op_authorize,
        {{"clientDeviceAuthToken", sensor}, {"operation", "mqtt:publish"}, {"resource", "iot:topic:x"}},
        "ServiceError", "Authorizing client device action failed. Check Greengrass log for details.");
    expect_nothing_more(c);
}

TEST_F(ClientDevicesTest, AuthorizeValidationAndUnknownTokens) {
    auto c = connected(comp_broker);
    expect_call_error(c, op_authorize, {{"operation", "mqtt:publish"}, {"resource", "mqtt:topic:x"}},
                      "InvalidArgumentsError", "Auth token is required");
    expect_call_error(c, op_authorize, {{"clientDeviceAuthToken", ""}, {"resource", "mqtt:topic:x"}},
                      "InvalidArgumentsError", "Auth token is required");
    expect_call_error(c, op_authorize, {{"clientDeviceAuthToken", "t"}, {"resource", "mqtt:topic:x"}},
                      "InvalidArgumentsError", "Operation is required");
    expect_call_error(c, op_authorize,
                      {{"clientDeviceAuthToken", "t"}, {"operation", "mqtt:publish"}, {"resource", ""}},
                      "InvalidArgumentsError", "Resource is required");
    expect_call_error(
        c, op_authorize,
        {{"clientDeviceAuthToken", "00000000-0000-4000-8000-000000000000"},
         {"operation", "mqtt:publish"},
         {"resource", "mqtt:topic:x"}},
        "InvalidClientDeviceAuthTokenError",
        "Unable to find a valid session with the given auth token. Check Greengrass log for "
        "details.");
    expect_nothing_more(c);
}

TEST_F(ClientDevicesTest, ServerCertificateFromTheLocalCa) {
    auto c = connected(comp_broker);
    std::int32_t stream = 0;
    const auto update = subscribe_certificates(c, &stream);
    ASSERT_TRUE(update.is_object());
    EXPECT_TRUE(update.value("certificate", "").starts_with("-----BEGIN CERTIFICATE-----\n"))
        << update.dump();
    EXPECT_TRUE(update.value("privateKey", "").starts_with("-----BEGIN PRIVATE KEY-----\n"));
    EXPECT_TRUE(update.value("publicKey", "").starts_with("-----BEGIN PUBLIC KEY-----\n"));
    ASSERT_TRUE(update.contains("caCertificates"));
    ASSERT_EQ(update["caCertificates"].size(), 1u);
    EXPECT_TRUE(
        update["caCertificates"][0].get<std::string>().starts_with("-----BEGIN CERTIFICATE-----\n"));
    expect_nothing_more(c);

    // A certificate the local CA issued is a Greengrass component's: valid, and its session may do
    // anything.
    auto other = connected(comp_broker);
    const std::string server = update["certificate"];
    EXPECT_TRUE(verify(other, server));
    const auto component = token(other, "anything", server);
    EXPECT_EQ(component.size(), 36u);
    EXPECT_TRUE(authorized(other, component, "mqtt:subscribe", "mqtt:topic:any/thing"));
    // A second subscriber gets the same certificate.
    EXPECT_EQ(subscribe_certificates(other), update);
    expect_nothing_more(c);
}

TEST_F(ClientDevicesTest, CertificateOptionsValidation) {
    auto c = connected(comp_broker);
    expect_call_error(c, op_certificates, json::object(), "InvalidArgumentsError",
                      "Certificate options are required.");
    expect_call_error(c, op_certificates, {{"certificateOptions", json::object()}},
                      "InvalidArgumentsError", "Valid certificate type is required.");
    expect_call_error(c, op_certificates, {{"certificateOptions", {{"certificateType", "CLIENT"}}}},
                      "InvalidArgumentsError", "Valid certificate type is required.");
    expect_nothing_more(c);
}

TEST_F(ClientDevicesTest, DeviceGroupsFollowThePluginsConfiguration) {
    auto c = connected(comp_broker);
    ASSERT_TRUE(verify(c, sensor_));
    const auto sensor = token(c, "sensor-1", sensor_);
    ASSERT_FALSE(authorized(c, sensor, "mqtt:subscribe", "mqtt:topic:commands/sensor-1"));
    // The plugin's own configuration changes (as a deployment would change it): the device groups
    // are read again, and the session made before sees the new policy.
    auto plugin = connected(cda);
    const auto now = std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch());
    const json statement = {{"operations", {"mqtt:subscribe"}},
                            {"resources", {"mqtt:topic:commands/*"}}};
    expect_call_response(plugin, "aws.greengrass#UpdateConfiguration",
                         {{"keyPath", {"deviceGroups", "policies", "Telemetry"}},
                          {"timestamp", now.count()},
                          {"valueToMerge", {{"subscribe", statement}}}},
                         "aws.greengrass#UpdateConfigurationResponse");
    EXPECT_TRUE(authorized(c, sensor, "mqtt:subscribe", "mqtt:topic:commands/sensor-1"));
    // A configuration the plugin refuses leaves the groups as they were.
    expect_call_response(plugin, "aws.greengrass#UpdateConfiguration",
                         {{"keyPath", {"deviceGroups", "definitions", "Sensors"}},
                          {"timestamp", now.count() + 1},
                          {"valueToMerge", {{"policyName", "NoSuchPolicy"}}}},
                         "aws.greengrass#UpdateConfigurationResponse");
    EXPECT_TRUE(authorized(c, sensor, "mqtt:subscribe", "mqtt:topic:commands/sensor-1"));
    EXPECT_NE(daemon().stderr_text().find(
                  "Policy definition NoSuchPolicy does not have a corresponding policy"),
              std::string::npos);
}

// A daemon that does not start; its stderr.
std::string startup_failure(const json& fixture, const json& cda_configuration) {
    temp_dir dir;
    const auto recipes = dir.path() / "recipes";
    write_recipes(recipes, {component_recipe(cda, cda_configuration)});
    const auto fixture_file = dir.path() / "fixture.json";
    std::ofstream{fixture_file} << fixture.dump();
    const auto result = run_standin({"serve", "--root", (dir.path() / "root").string(), "--recipes",
                                     recipes.string(), "--fixture", fixture_file.string()});
    EXPECT_EQ(result.exit_code, 1) << result.err;
    EXPECT_FALSE(fs::exists(dir.path() / "root" / "ipc.socket"));
    return result.err;
}

TEST(ClientDevicesStartup, AFixtureCertificateThatDoesNotParseIsAStartupError) {
    const auto err = startup_failure(
        {{"clientDevices", {{{"thingName", "sensor-1"}, {"certificatePem", "not a certificate"}}}}},
        json::object());
    EXPECT_NE(err.find("clientDevices[0].certificatePem"), std::string::npos) << err;
}

TEST(ClientDevicesStartup, DeviceGroupsThePluginRejectsAreAStartupError) {
    const auto err = startup_failure(
        json::object(),
        json::parse(R"({"deviceGroups": {"definitions": {"G": {"selectionRule": "thingName: a",
                                                              "policyName": "Missing"}}}})"));
    EXPECT_NE(err.find("Policy definition Missing does not have a corresponding policy"),
              std::string::npos)
        << err;
    const auto rule = startup_failure(
        json::object(),
        json::parse(R"({"deviceGroups": {"definitions": {"G": {"selectionRule": "thing: a",
             "policyName": "P"}}, "policies": {"P": {}}}})"));
    EXPECT_NE(rule.find("selectionRule"), std::string::npos) << rule;
}

}  // namespace
}  // namespace standin::test::integration
