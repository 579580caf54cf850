// SPDX-License-Identifier: Apache-2.0
// Every operation of the Greengrass IPC service model, with its stream shape.
#pragma once

#include <span>
#include <string>
#include <string_view>

namespace standin::model {

struct operation_info {
    std::string_view name;         // "aws.greengrass#PublishToTopic"
    std::string_view event_shape;  // stream event shape id for streaming operations, else empty

    bool streaming() const noexcept { return !event_shape.empty(); }
    // "aws.greengrass#<Op>Response"
    std::string response_shape() const { return std::string{name} + "Response"; }
    // "<Op>" without the namespace.
    std::string_view short_name() const noexcept;
};

// The operations of the Smithy model (34 in the public model, plus SubscribeToIoTCoreConnectionStatus
// from the current Java SDK), sorted by name.
std::span<const operation_info> greengrass_operations() noexcept;

// nullptr when `name` is not a modeled operation.
const operation_info* find_operation(std::string_view name) noexcept;

}  // namespace standin::model
