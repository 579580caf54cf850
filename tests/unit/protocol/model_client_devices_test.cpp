// SPDX-License-Identifier: Apache-2.0
#include "standin/model/client_devices.hpp"

#include <gtest/gtest.h>

#include "model_test_support.hpp"

namespace standin::model {
namespace {

using test::round_trip;

const std::string certificate_pem =
    "-----BEGIN CERTIFICATE-----\nMIIBszCCAVmgAwIBAgIUexample\n-----END CERTIFICATE-----\n";
// certificate_pem as a JSON string's content.
const std::string certificate =
    R"(-----BEGIN CERTIFICATE-----\nMIIBszCCAVmgAwIBAgIUexample\n-----END CERTIFICATE-----\n)";

TEST(model_client_devices, get_client_device_auth_token) {
    const auto request = round_trip<get_client_device_auth_token_request>(
        R"({"credential":{"mqttCredential":{"clientId":"sensor-7","certificatePem":")" + certificate +
        R"("}}})");
    EXPECT_EQ(request.credential->mqttCredential->clientId, "sensor-7");
    EXPECT_EQ(request.credential->mqttCredential->certificatePem, certificate_pem);
    round_trip<get_client_device_auth_token_response>(R"({"clientDeviceAuthToken":"b3c5d6e7-session"})");
    round_trip<mqtt_credential>(
        R"({"clientId":"c","certificatePem":"p","username":"u","password":"pw"})");
    round_trip<credential_document>("{}");
}

TEST(model_client_devices, verify_client_device_identity) {
    round_trip<verify_client_device_identity_request>(R"({"credential":{"clientDeviceCertificate":")" +
                                                      certificate + R"("}})");
    EXPECT_EQ(round_trip<verify_client_device_identity_response>(R"({"isValidClientDevice":true})")
                  .isValidClientDevice,
              true);
    round_trip<client_device_credential>(R"({"clientDeviceCertificate":"pem"})");
}

TEST(model_client_devices, authorize_client_device_action) {
    round_trip<authorize_client_device_action_request>(
        R"({"clientDeviceAuthToken":"b3c5d6e7-session","operation":"mqtt:publish","resource":"mqtt:topic:sensors/7"})");
    EXPECT_EQ(
        round_trip<authorize_client_device_action_response>(R"({"isAuthorized":false})").isAuthorized,
        false);
}

TEST(model_client_devices, certificate_updates_and_their_events) {
    const auto request = round_trip<subscribe_to_certificate_updates_request>(
        R"({"certificateOptions":{"certificateType":"SERVER"}})");
    EXPECT_EQ(request.certificateOptions->certificateType, certificate_type::server);
    round_trip<subscribe_to_certificate_updates_response>("{}");
    const auto event = round_trip<certificate_update_event>(
        R"({"certificateUpdate":{"privateKey":"-----BEGIN RSA PRIVATE KEY-----\n...\n-----END RSA PRIVATE KEY-----\n",)"
        R"("publicKey":"-----BEGIN PUBLIC KEY-----\n...\n-----END PUBLIC KEY-----\n","certificate":")" +
        certificate + R"(","caCertificates":[")" + certificate + R"(",")" + certificate + R"("]}})");
    EXPECT_EQ(event.certificateUpdate->caCertificates->size(), 2u);
    round_trip<certificate_update>(R"({"certificate":"pem"})");
    round_trip<certificate_options>(R"({"certificateType":"CLIENT"})");
}

}  // namespace
}  // namespace standin::model
