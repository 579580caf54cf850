// SPDX-License-Identifier: Apache-2.0
// The plugin's core with an injected clock: identity verification (local-CA certificates,
// validity periods, IoT's registry), sessions (verify first, thing attachment, the LRU cap on
// tokens) and authorization through sessions.
#include "clientdevices/client_device_auth.hpp"

#include <gtest/gtest.h>

#include "clientdevices/device_fixtures.hpp"

namespace standin::server::clientdevices {
namespace {

using namespace std::chrono_literals;
using json = nlohmann::json;

class ClientDeviceAuthTest : public ::testing::Test {
protected:
    client_device_auth make(json configuration = json::object()) {
        std::vector<registered_device> devices;
        for (const auto* name : {"sensor-1", "probe-7", "expired"}) {
            devices.push_back({name, *certificate::from_pem(read_fixture(std::string{name} + ".pem"))});
        }
        return client_device_auth{certificate_authority::generate("CA", now_), std::move(devices),
                                  auth_configuration::from_component_configuration(configuration),
                                  [this] { return now_; }};
    }

    std::string token_for(client_device_auth& auth, const std::string& thing, const std::string& pem) {
        std::string reason;
        auto session = auth.create_session(thing, pem, reason);
        if (auto* token = std::get_if<std::string>(&session)) return *token;
        ADD_FAILURE() << "no session for " << thing << ": " << reason;
        return {};
    }

    system_clock::time_point now_ = system_clock::from_time_t(1767225600);  // 2026-01-01
    const std::string sensor_ = read_fixture("sensor-1.pem");
    const std::string probe_ = read_fixture("probe-7.pem");
};

TEST_F(ClientDeviceAuthTest, VerifiesRegisteredCertificatesWithinTheirValidity) {
    auto auth = make();
    EXPECT_TRUE(auth.verify(sensor_));
    EXPECT_TRUE(auth.verify(probe_));
    EXPECT_FALSE(auth.verify(read_fixture("unregistered.pem")));
    EXPECT_FALSE(auth.verify(read_fixture("expired.pem")));  // registered, but expired
    EXPECT_FALSE(auth.verify(read_fixture("not-yet-valid.pem")));
    EXPECT_FALSE(auth.verify("garbage"));
}

TEST_F(ClientDeviceAuthTest, TheClockDecidesValidity) {
    auto auth = make();
    now_ = system_clock::from_time_t(1590000000);  // 2020-05: the expired certificate was valid
    EXPECT_TRUE(auth.verify(read_fixture("expired.pem")));
    EXPECT_FALSE(auth.verify(sensor_));            // valid from 2025 only
    now_ = system_clock::from_time_t(4733510400);  // 2120-01-01
    EXPECT_FALSE(auth.verify(read_fixture("expired.pem")));
    EXPECT_TRUE(auth.verify(sensor_));
}

TEST_F(ClientDeviceAuthTest, LocalCaCertificatesAreComponents) {
    auto auth = make();
    const auto component =
        auth.authority().issue_server_certificate("broker", {}, {}, now_, 3600s).certificate_pem;
    EXPECT_TRUE(auth.verify(component));
    // A component session needs no verification and may do anything.
    const auto token = token_for(auth, "whatever", component);
    EXPECT_EQ(auth.authorize(token, "mqtt:publish", "mqtt:topic:x"),
              client_device_auth::authorization::allowed);
    now_ += 2h;  // the component certificate expired: no longer the CA's
    EXPECT_FALSE(auth.verify(component));
}

TEST_F(ClientDeviceAuthTest, SessionsNeedAVerifiedCertificateAttachedToTheThing) {
    auto auth = make();
    std::string reason;
    using e = client_device_auth::session_error;
    const auto error_of = [&](std::optional<std::string> id, const std::string& pem) {
        auto session = auth.create_session(id, pem, reason);
        EXPECT_TRUE(std::holds_alternative<e>(session)) << "a session for " << id.value_or("-");
        return std::holds_alternative<e>(session) ? std::get<e>(session) : e::invalid_thing_name;
    };
    EXPECT_EQ(error_of("sensor-1", sensor_), e::authentication_failed);
    EXPECT_EQ(reason, "Certificate not in local registry");
    ASSERT_TRUE(auth.verify(sensor_));
    EXPECT_EQ(error_of("probe-7", sensor_), e::authentication_failed);
    EXPECT_EQ(reason, "Failed to verify certificate attached to thing");
    EXPECT_EQ(error_of(std::string(129, 'a'), sensor_), e::authentication_failed);
    EXPECT_EQ(reason, "Thing name is too long");
    EXPECT_EQ(error_of("sensor-1", "garbage"), e::authentication_failed);
    EXPECT_EQ(reason, "Certificate is invalid");
    EXPECT_EQ(error_of("bad name!", sensor_), e::invalid_thing_name);
    EXPECT_EQ(error_of(std::nullopt, sensor_), e::invalid_thing_name);
    EXPECT_FALSE(token_for(auth, "sensor-1", sensor_).empty());
    // Outside its validity period a certificate is refused before IoT is asked: it stays in the
    // registry, as in the plugin.
    now_ = system_clock::from_time_t(1590000000);
    EXPECT_FALSE(auth.verify(sensor_));
    now_ = system_clock::from_time_t(1767225600);
    EXPECT_FALSE(token_for(auth, "sensor-1", sensor_).empty());
}

TEST_F(ClientDeviceAuthTest, AuthorizationThroughTheSessionsThing) {
    auto auth = make(json::parse(R"({"deviceGroups": {
      "definitions": {"S": {"selectionRule": "thingName: sensor-*", "policyName": "P"}},
      "policies": {"P": {"s": {"operations": ["mqtt:publish"],
                               "resources": ["mqtt:topic:${iot:Connection.Thing.ThingName}/*"]}}}}})"));
    ASSERT_TRUE(auth.verify(sensor_));
    ASSERT_TRUE(auth.verify(probe_));
    const auto sensor = token_for(auth, "sensor-1", sensor_);
    const auto probe = token_for(auth, "probe-7", probe_);
    EXPECT_NE(sensor, probe);
    using a = client_device_auth::authorization;
    EXPECT_EQ(auth.authorize(sensor, "mqtt:publish", "mqtt:topic:sensor-1/t"), a::allowed);
    EXPECT_EQ(auth.authorize(sensor, "mqtt:publish", "mqtt:topic:probe-7/t"), a::denied);
    EXPECT_EQ(auth.authorize(probe, "mqtt:publish", "mqtt:topic:probe-7/t"), a::denied);
    EXPECT_EQ(auth.authorize(sensor, "mqtt:publish", "iot:topic:x"), a::service_mismatch);
    EXPECT_EQ(auth.authorize("no-such-token", "mqtt:publish", "mqtt:topic:x"), a::invalid_session);
    EXPECT_EQ(auth.authorize("ALLOW_ALL", "mqtt:publish", "mqtt:topic:x"), a::allowed);
}

TEST_F(ClientDeviceAuthTest, TokensAreUuidsAndTheLeastRecentlyUsedGoesBeyondTheCap) {
    auto auth = make(json{{"performance", {{"maxActiveAuthTokens", "2"}}}});
    ASSERT_TRUE(auth.verify(sensor_));
    const auto first = token_for(auth, "sensor-1", sensor_);
    const auto second = token_for(auth, "sensor-1", sensor_);
    EXPECT_EQ(first.size(), 36u);
    EXPECT_EQ(first[14], '4');
    using a = client_device_auth::authorization;
    EXPECT_EQ(auth.authorize(first, "mqtt:publish", "mqtt:topic:x"), a::denied);  // first is fresh now
    const auto third = token_for(auth, "sensor-1", sensor_);
    EXPECT_EQ(auth.authorize(second, "mqtt:publish", "mqtt:topic:x"), a::invalid_session);
    EXPECT_EQ(auth.authorize(first, "mqtt:publish", "mqtt:topic:x"), a::denied);
    EXPECT_EQ(auth.authorize(third, "mqtt:publish", "mqtt:topic:x"), a::denied);
}

TEST(AuthConfigurationTest, MaxActiveAuthTokensIsClampedAndDefaults) {
    EXPECT_EQ(auth_configuration::from_component_configuration(json::object()).max_active_auth_tokens,
              2500u);
    EXPECT_EQ(auth_configuration::from_component_configuration(
                  json{{"performance", {{"maxActiveAuthTokens", 0}}}})
                  .max_active_auth_tokens,
              1u);
    EXPECT_EQ(auth_configuration::from_component_configuration(
                  json{{"performance", {{"maxActiveAuthTokens", 7}}}})
                  .max_active_auth_tokens,
              7u);
    EXPECT_EQ(
        auth_configuration::from_component_configuration(json::object()).server_certificate_validity,
        std::chrono::hours{24 * 7});
    EXPECT_EQ(auth_configuration::from_component_configuration(
                  json{{"certificates", {{"serverCertificateValiditySeconds", 5}}}})
                  .server_certificate_validity,
              std::chrono::seconds{60});
    EXPECT_EQ(auth_configuration::from_component_configuration(
                  json{{"certificates", {{"serverCertificateValiditySeconds", 99999999}}}})
                  .server_certificate_validity,
              std::chrono::hours{24 * 10});
    EXPECT_THROW(auth_configuration::from_component_configuration(
                     json{{"deviceGroups", {{"definitions", {{"G", {{"policyName", "P"}}}}}}}}),
                 std::invalid_argument);
}

TEST(ValidThingNameTest, IotThingNameRules) {
    EXPECT_TRUE(valid_thing_name("a-b_c:d9"));
    EXPECT_FALSE(valid_thing_name(""));
    EXPECT_FALSE(valid_thing_name("a b"));
    EXPECT_TRUE(valid_thing_name(std::string(128, 'a')));
    EXPECT_FALSE(valid_thing_name(std::string(129, 'a')));
}

}  // namespace
}  // namespace standin::server::clientdevices
