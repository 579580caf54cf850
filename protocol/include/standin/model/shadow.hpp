// SPDX-License-Identifier: Apache-2.0
// Local shadows (the aws.greengrass.ShadowManager plugin): GetThingShadow, UpdateThingShadow,
// DeleteThingShadow, ListNamedShadowsForThing. Shadow documents travel as blobs (JSON text, base64).
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "standin/model/codec.hpp"
#include "standin/model/types.hpp"

namespace standin::model {

struct get_thing_shadow_request {
    static constexpr std::string_view shape_id = "aws.greengrass#GetThingShadowRequest";
    std::optional<std::string> thingName{};
    std::optional<std::string> shadowName{};
};
BOOST_DESCRIBE_STRUCT(get_thing_shadow_request, (), (thingName, shadowName))

struct get_thing_shadow_response {
    static constexpr std::string_view shape_id = "aws.greengrass#GetThingShadowResponse";
    std::optional<blob> payload{};
};
BOOST_DESCRIBE_STRUCT(get_thing_shadow_response, (), (payload))

struct update_thing_shadow_request {
    static constexpr std::string_view shape_id = "aws.greengrass#UpdateThingShadowRequest";
    std::optional<std::string> thingName{};
    std::optional<std::string> shadowName{};
    std::optional<blob> payload{};
};
BOOST_DESCRIBE_STRUCT(update_thing_shadow_request, (), (thingName, shadowName, payload))

struct update_thing_shadow_response {
    static constexpr std::string_view shape_id = "aws.greengrass#UpdateThingShadowResponse";
    std::optional<blob> payload{};
};
BOOST_DESCRIBE_STRUCT(update_thing_shadow_response, (), (payload))

struct delete_thing_shadow_request {
    static constexpr std::string_view shape_id = "aws.greengrass#DeleteThingShadowRequest";
    std::optional<std::string> thingName{};
    std::optional<std::string> shadowName{};
};
BOOST_DESCRIBE_STRUCT(delete_thing_shadow_request, (), (thingName, shadowName))

struct delete_thing_shadow_response {
    static constexpr std::string_view shape_id = "aws.greengrass#DeleteThingShadowResponse";
    std::optional<blob> payload{};
};
BOOST_DESCRIBE_STRUCT(delete_thing_shadow_response, (), (payload))

struct list_named_shadows_for_thing_request {
    static constexpr std::string_view shape_id = "aws.greengrass#ListNamedShadowsForThingRequest";
    std::optional<std::string> thingName{};
    std::optional<std::string> nextToken{};
    std::optional<std::int32_t> pageSize{};
};
BOOST_DESCRIBE_STRUCT(list_named_shadows_for_thing_request, (), (thingName, nextToken, pageSize))

struct list_named_shadows_for_thing_response {
    static constexpr std::string_view shape_id = "aws.greengrass#ListNamedShadowsForThingResponse";
    std::optional<std::vector<std::string>> results{};
    std::optional<model::timestamp> timestamp{};
    std::optional<std::string> nextToken{};
};
BOOST_DESCRIBE_STRUCT(list_named_shadows_for_thing_response, (), (results, timestamp, nextToken))

}  // namespace standin::model
