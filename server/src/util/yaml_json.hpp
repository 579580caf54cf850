// SPDX-License-Identifier: Apache-2.0
// YAML (and JSON, read as YAML) documents turned into nlohmann JSON with YAML 1.2 core-schema typing,
// for every startup input (recipes, fixture). Loading happens at startup only, so errors are
// exceptions.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include <nlohmann/json.hpp>

#include "util/source_error.hpp"

namespace YAML {
class Node;
}

namespace standin::server {

// Parses one YAML document; when `file` ends in .json (any case) the text must first pass a strict
// JSON parser, because yaml-cpp also accepts YAML-only forms in JSON (",," or comments) and the
// nucleus reads .json recipes with a JSON parser. Throws source_error naming `file` and the parser's
// position on a syntax error.
YAML::Node load_yaml_document(std::string_view text, const std::filesystem::path& file);

// Converts a YAML tree to JSON with YAML 1.2 core-schema typing: plain scalars become null, bool,
// integer or float when they spell one (a number JSON cannot hold, like .inf or 1e999, stays a
// string); quoted, block and !!str scalars stay strings. A key that is repeated keeps its last
// value; a null key reads "null". Throws source_error (without file) for a key that is a list or
// map, or for nesting deeper
// than 256 or more than 1,000,000 nodes (aliases can make a small file expand without bound).
nlohmann::json yaml_to_json(const YAML::Node& node);

// 1-based {line, column} of a node; {0, 0} when yaml-cpp has none (e.g. an empty document).
std::pair<int, int> yaml_position(const YAML::Node& node);

// The text of a mapping key: a scalar as written, "null" for a null key (yaml-cpp turns plain
// null-like scalars into null nodes, keys included); nullopt for a key that is a list or map.
std::optional<std::string> yaml_key_text(const YAML::Node& key);

}  // namespace standin::server
