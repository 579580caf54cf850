// SPDX-License-Identifier: Apache-2.0
// Recipe variables in component configuration, as the nucleus interpolates them when its option
// interpolateComponentConfiguration is true (default false; semantics.md §2.4; [N]
// KernelConfigResolver#interpolateSystemParametersOnly): only the system variables
//
//   {iot:thingName} {kernel:rootPath} {artifacts:path} {artifacts:decompressedPath} {work:path}
//   {<direct dependency>:artifacts:path} ...   (the same of a direct dependency)
//
// in every string value of the configuration (object members and list elements; keys stay as
// written). {configuration:/...} is not replaced in configuration (only in lifecycle scripts);
// unknown namespaces, mis-cased keys ({iot:ThingName}) and other components stay literal. This is
// how {iot:thingName} reaches accessControl resources: "$aws/things/{iot:thingName}/shadow" becomes
// "$aws/things/MyCore/shadow", while the IAM-style "${iot:thingName}" keeps a stray '$'
// ("$aws/things/$MyCore/shadow", which never matches). Pure.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "recipes/recipe.hpp"

namespace standin::server {

// What the system variables resolve to on this device.
struct device_layout {
    std::filesystem::path root;                          // {kernel:rootPath}, absolute
    std::string thing_name;                              // {iot:thingName}
    std::optional<std::filesystem::path> artifacts_dir;  // --artifacts
};

// `configuration` with the system variables of `component` replaced in every string value.
// `loaded` holds every loaded recipe (`component` among them), for the artifact paths of its
// direct dependencies (its ComponentDependencies) at their versions.
nlohmann::json interpolate_configuration(const nlohmann::json& configuration, const recipe& component,
                                         const device_layout& device, const std::vector<recipe>& loaded);

}  // namespace standin::server
