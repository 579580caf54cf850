// SPDX-License-Identifier: Apache-2.0
// The accessControl service ids ("destinations") of the nucleus and its plugins, and how each
// matches policy resources (semantics.md §2.3, §2.5). The operation table says which operation
// belongs to which.
#pragma once

#include <cstdint>
#include <string_view>

namespace standin::model {

namespace service_ids {
inline constexpr std::string_view pubsub = "aws.greengrass.ipc.pubsub";
inline constexpr std::string_view mqttproxy = "aws.greengrass.ipc.mqttproxy";
inline constexpr std::string_view lifecycle = "aws.greengrass.ipc.lifecycle";
inline constexpr std::string_view componentmetric = "aws.greengrass.ipc.componentmetric";
inline constexpr std::string_view secret_manager = "aws.greengrass.SecretManager";
inline constexpr std::string_view shadow_manager = "aws.greengrass.ShadowManager";
inline constexpr std::string_view client_device_auth = "aws.greengrass.clientdevices.Auth";
inline constexpr std::string_view cli = "aws.greengrass.Cli";
}  // namespace service_ids

// How a service's policy resources match; fixed per service, not configurable by policies.
enum class resource_syntax : std::uint8_t {
    glob,  // the nucleus's STANDARD: '*' matches any sequence, '+' and '#' are literal
    mqtt,  // the nucleus's MQTT_STYLE (aws.greengrass.ipc.mqttproxy only): glob plus '+' and '/#'
};

constexpr resource_syntax syntax_of_service(std::string_view service_id) noexcept {
    return service_id == service_ids::mqttproxy ? resource_syntax::mqtt : resource_syntax::glob;
}

}  // namespace standin::model
