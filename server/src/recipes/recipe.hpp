// SPDX-License-Identifier: Apache-2.0
// Greengrass component recipes (RecipeFormatVersion 2020-01-25), YAML or JSON, as the nucleus reads
// them: property names case-insensitive, unknown properties ignored, first matching manifest wins
// (semantics.md §10). Loading happens at startup only, so errors are exceptions.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "recipes/platform.hpp"
#include "util/source_error.hpp"

namespace standin::server {

// A recipe that cannot be used. file/line/column (1-based, 0 = unknown) point at the offending node.
struct recipe_error : source_error {
    using source_error::source_error;
};

struct recipe {
    std::filesystem::path file;
    std::string format_version;  // RecipeFormatVersion; empty when the recipe leaves it out
    std::string component_name;
    std::string component_version;
    std::string component_type = "aws.greengrass.generic";  // canonical lower-case spelling
    std::string description;
    std::string publisher;
    // ComponentConfiguration.DefaultConfiguration, keys as written (accessControl lives here).
    nlohmann::json default_configuration = nlohmann::json::object();
    // name -> {"VersionRequirement": string, "DependencyType": "HARD" | "SOFT"}.
    nlohmann::json dependencies = nlohmann::json::object();
    // First manifest whose Platform matches, or null. Known property names use their canonical
    // spelling (Platform, Lifecycle, Selections, Artifacts, ...); unknown ones stay as written.
    nlohmann::json selected_manifest;
    // The selected manifest's Lifecycle if non-empty, else the global Lifecycle filtered by the
    // manifest's Selections (an object, possibly empty); null when no manifest was selected.
    // Step names stay as written: the nucleus's config keys are case-insensitive.
    nlohmann::json lifecycle;
    // Non-fatal problems, each "<file>:<line>:<column>: <text>".
    std::vector<std::string> warnings;
    int component_name_line = 0;  // where ComponentName is, for messages that name two files
};

// Parses one recipe. file_for_messages only labels errors and warnings and fills recipe::file.
// Throws recipe_error.
recipe parse_recipe(std::string_view text, const std::filesystem::path& file_for_messages);
// Same, matching manifests against the given labels instead of current_platform().
recipe parse_recipe(std::string_view text, const std::filesystem::path& file_for_messages,
                    const platform_labels& platform);

// Reads and parses one file. Throws recipe_error, also when the file cannot be read.
recipe load_recipe_file(const std::filesystem::path& file);

// Loads every *.yaml, *.yml and *.json file (extension case-insensitive, hidden files skipped)
// directly inside each directory, in directory order and then file-name order; a path that names a
// file loads that one recipe. Throws recipe_error for a missing path, a bad recipe, or a
// ComponentName (compared case-insensitively, as the nucleus's service names are) defined by two
// files; that message names both files.
std::vector<recipe> load_recipe_directories(const std::vector<std::filesystem::path>& dirs);

}  // namespace standin::server
