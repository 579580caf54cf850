// SPDX-License-Identifier: Apache-2.0
// The device's platform labels and the two recipe rules that depend on them (semantics.md §10):
// which manifests match the device (component-common PlatformHelper) and how a manifest's Selections
// pick branches of the global Lifecycle (the nucleus's PlatformResolver.filterPlatform). Pure: it sees
// recipe values as JSON; reading them from YAML and reporting positions is recipe.cpp's job.
#pragma once

#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

namespace standin::server {

// The device's platform labels, as the nucleus's PlatformResolver reports them: "os" (linux),
// "architecture" (amd64, x86, aarch64, arm, or unknown) and, on 32-bit ARM only,
// "architecture.detail" (armv6l, armv7l, armv8l).
using platform_labels = std::map<std::string, std::string>;

// The labels of the machine we run on (uname).
const platform_labels& current_platform();

// Whether `labels` satisfy one property of a manifest's Platform map; a manifest matches when all of
// its Platform properties do (no Platform matches every device). `key` is the property name as
// written (label names are case-insensitive); `value` is its value as JSON: null (the label must be
// absent), a match expression ("*", "/regex/", a literal), or a list of them (any one may match).
// A regex that std::regex cannot evaluate counts as not matching and appends a warning (without
// position) to `warnings`.
bool platform_property_matches(std::string_view key, const nlohmann::json& value,
                               const platform_labels& labels, std::vector<std::string>& warnings);

// "key=value, key=value" in label order, for messages.
std::string describe_platform(const platform_labels& labels);

// `lifecycle` with every selection point resolved for one manifest's `selections`: a map with a key
// among `keywords` (every manifest's Selections plus "all") is replaced by its value for the first of
// `selections` it has, else by its "all" value (a null value counts as missing), filtered the same
// way; a selection point with neither is dropped. nullopt when `lifecycle` is null or is itself
// such a dropped selection point.
std::optional<nlohmann::json> filter_selections(const nlohmann::json& lifecycle,
                                                const std::set<std::string>& keywords,
                                                const std::vector<std::string>& selections);

}  // namespace standin::server
