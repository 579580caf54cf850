// SPDX-License-Identifier: Apache-2.0
// Client device auth (the aws.greengrass.clientdevices.Auth plugin): GetClientDeviceAuthToken,
// VerifyClientDeviceIdentity, AuthorizeClientDeviceAction, SubscribeToCertificateUpdates (events:
// CertificateUpdateEvent).
#pragma once

#include <array>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "standin/model/codec.hpp"
#include "standin/model/types.hpp"

namespace standin::model {

enum class certificate_type { server };
BOOST_DESCRIBE_ENUM(certificate_type, server)
template <>
struct enum_traits<certificate_type> {
    static constexpr std::string_view shape_id = "aws.greengrass#CertificateType";
    static constexpr std::array<std::pair<certificate_type, std::string_view>, 1> values{{
        {certificate_type::server, "SERVER"},
    }};
};

struct mqtt_credential {
    static constexpr std::string_view shape_id = "aws.greengrass#MQTTCredential";
    std::optional<std::string> clientId{};
    std::optional<std::string> certificatePem{};
    std::optional<std::string> username{};
    std::optional<std::string> password{};
};
BOOST_DESCRIBE_STRUCT(mqtt_credential, (), (clientId, certificatePem, username, password))

// Union.
struct credential_document {
    static constexpr std::string_view shape_id = "aws.greengrass#CredentialDocument";
    static constexpr bool is_union = true;
    std::optional<mqtt_credential> mqttCredential{};
};
BOOST_DESCRIBE_STRUCT(credential_document, (), (mqttCredential))

// Union.
struct client_device_credential {
    static constexpr std::string_view shape_id = "aws.greengrass#ClientDeviceCredential";
    static constexpr bool is_union = true;
    std::optional<std::string> clientDeviceCertificate{};
};
BOOST_DESCRIBE_STRUCT(client_device_credential, (), (clientDeviceCertificate))

struct certificate_options {
    static constexpr std::string_view shape_id = "aws.greengrass#CertificateOptions";
    wire_enum<certificate_type> certificateType{};
};
BOOST_DESCRIBE_STRUCT(certificate_options, (), (certificateType))

// PEM text throughout.
struct certificate_update {
    static constexpr std::string_view shape_id = "aws.greengrass#CertificateUpdate";
    std::optional<std::string> privateKey{};
    std::optional<std::string> publicKey{};
    std::optional<std::string> certificate{};
    std::optional<std::vector<std::string>> caCertificates{};
};
BOOST_DESCRIBE_STRUCT(certificate_update, (), (privateKey, publicKey, certificate, caCertificates))

// Union; the SubscribeToCertificateUpdates stream event.
struct certificate_update_event {
    static constexpr std::string_view shape_id = "aws.greengrass#CertificateUpdateEvent";
    static constexpr bool is_union = true;
    std::optional<certificate_update> certificateUpdate{};
};
BOOST_DESCRIBE_STRUCT(certificate_update_event, (), (certificateUpdate))

struct get_client_device_auth_token_request {
    static constexpr std::string_view shape_id = "aws.greengrass#GetClientDeviceAuthTokenRequest";
    std::optional<credential_document> credential{};
};
BOOST_DESCRIBE_STRUCT(get_client_device_auth_token_request, (), (credential))

struct get_client_device_auth_token_response {
    static constexpr std::string_view shape_id = "aws.greengrass#GetClientDeviceAuthTokenResponse";
    std::optional<std::string> clientDeviceAuthToken{};
};
BOOST_DESCRIBE_STRUCT(get_client_device_auth_token_response, (), (clientDeviceAuthToken))

struct verify_client_device_identity_request {
    static constexpr std::string_view shape_id = "aws.greengrass#VerifyClientDeviceIdentityRequest";
    std::optional<client_device_credential> credential{};
};
BOOST_DESCRIBE_STRUCT(verify_client_device_identity_request, (), (credential))

struct verify_client_device_identity_response {
    static constexpr std::string_view shape_id = "aws.greengrass#VerifyClientDeviceIdentityResponse";
    std::optional<bool> isValidClientDevice{};
};
BOOST_DESCRIBE_STRUCT(verify_client_device_identity_response, (), (isValidClientDevice))

struct authorize_client_device_action_request {
    static constexpr std::string_view shape_id = "aws.greengrass#AuthorizeClientDeviceActionRequest";
    std::optional<std::string> clientDeviceAuthToken{};
    std::optional<std::string> operation{};
    std::optional<std::string> resource{};
};
BOOST_DESCRIBE_STRUCT(authorize_client_device_action_request, (),
                      (clientDeviceAuthToken, operation, resource))

struct authorize_client_device_action_response {
    static constexpr std::string_view shape_id = "aws.greengrass#AuthorizeClientDeviceActionResponse";
    std::optional<bool> isAuthorized{};
};
BOOST_DESCRIBE_STRUCT(authorize_client_device_action_response, (), (isAuthorized))

struct subscribe_to_certificate_updates_request {
    static constexpr std::string_view shape_id = "aws.greengrass#SubscribeToCertificateUpdatesRequest";
    std::optional<certificate_options> certificateOptions{};
};
BOOST_DESCRIBE_STRUCT(subscribe_to_certificate_updates_request, (), (certificateOptions))

struct subscribe_to_certificate_updates_response {
    static constexpr std::string_view shape_id = "aws.greengrass#SubscribeToCertificateUpdatesResponse";
};
BOOST_DESCRIBE_STRUCT(subscribe_to_certificate_updates_response, (), ())

}  // namespace standin::model
