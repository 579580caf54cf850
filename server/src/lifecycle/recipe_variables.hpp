// SPDX-License-Identifier: Apache-2.0
// Recipe variables in lifecycle scripts (semantics.md §10; [N] KernelConfigResolver#replace):
//
//   {configuration:/json/pointer}          the component's configuration value (a string as is,
//                                          another scalar as text, an object or list as JSON);
//                                          a missing value leaves the placeholder
//   {artifacts:path}                       where the component's artifacts are
//   {artifacts:decompressedPath}           where its unpacked archives are
//   {work:path}                            <root>/work/<component>
//   {kernel:rootPath}                      <root>
//   {iot:thingName}                        the device's thing name
//   {<dependency>:configuration:/pointer}  the same for a direct dependency (any other component
//   {<dependency>:artifacts:path} ...      is left as is, as the nucleus does)
//
// An unknown namespace or key leaves the placeholder as written. Pure.
#pragma once

#include <filesystem>
#include <functional>
#include <optional>
#include <set>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

namespace standin::server::lifecycle {

// Where a component's files are: the nucleus's layout under <root>, or artifacts elsewhere.
struct component_paths {
    std::filesystem::path artifacts;               // {artifacts:path}
    std::filesystem::path decompressed_artifacts;  // {artifacts:decompressedPath}
    std::filesystem::path work;                    // {work:path}
};

// The paths of `component` at `version`: artifacts in `artifacts_dir`/<component>/<version> when
// given, else in an `artifacts` folder beside the folder of `recipe_file` when that exists (a GDK
// project's greengrass-build/), else the nucleus's <root>/packages/artifacts/<component>/<version>;
// unpacked archives in <root>/packages/artifacts-unarchived/<component>/<version>; the work
// directory <root>/work/<component>. `recipe_file` may be empty.
component_paths paths_in(const std::filesystem::path& root,
                         const std::optional<std::filesystem::path>& artifacts_dir,
                         std::string_view component, std::string_view version,
                         const std::filesystem::path& recipe_file);

struct variable_context {
    std::string component;
    std::filesystem::path root;
    std::string thing_name;
    std::set<std::string, std::less<>> direct_dependencies;
    // The paths of a component (the one interpolated or a dependency).
    std::function<component_paths(std::string_view component)> paths_of;
    // A component's whole configuration, or nullopt when it has none.
    std::function<std::optional<nlohmann::json>(std::string_view component)> configuration_of;
};

// `text` with every recipe variable the context resolves replaced.
std::string interpolate(std::string_view text, const variable_context& context);

}  // namespace standin::server::lifecycle
