// SPDX-License-Identifier: Apache-2.0
// What the lint checks share: name suggestions, the operation table seen by service, YAML lookups
// with positions, and the list findings go to. Internal to lint/.
#pragma once

#include <algorithm>
#include <cstddef>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <yaml-cpp/yaml.h>
#include <nlohmann/json.hpp>

#include "lint/finding.hpp"
#include "standin/model/operations.hpp"
#include "standin/protocol/message.hpp"

namespace standin::server::lint::detail {

std::string in_quotes(std::string_view s);

// Levenshtein distance, letters compared ignoring case.
std::size_t edit_distance(std::string_view a, std::string_view b);

// The candidate equal to `name` ignoring case, else the nearest within a few edits, else nullopt.
template <class Range>
std::optional<std::string> closest(std::string_view name, const Range& candidates) {
    std::optional<std::string> best;
    std::size_t best_distance = std::max<std::size_t>(3, name.size() / 4) + 1;
    for (const auto& candidate : candidates) {
        const std::string_view c{candidate};
        if (protocol::ascii_iequals(c, name)) return std::string{c};
        const std::size_t d = edit_distance(name, c);
        if (d < best_distance) {
            best_distance = d;
            best = std::string{c};
        }
    }
    return best;
}

// The spelling in `names` of `name` (ignoring case), or nullptr.
template <class Range>
const char* canonical(std::string_view name, const Range& names) {
    for (const char* known : names) {
        if (protocol::ascii_iequals(name, known)) return known;
    }
    return nullptr;
}

// The accessControl service ids of the operation table.
std::vector<std::string_view> service_ids();
// Every operation name of the table.
std::vector<std::string_view> operation_names();
// The operations a policy of `service_id` listing `operation` ("*" or a name) can allow.
std::vector<const model::operation_info*> covered_operations(std::string_view service_id,
                                                             std::string_view operation);

struct yaml_entry {
    YAML::Node key;
    YAML::Node value;
};

// The entry of `map` whose key is `name`; nullopt when `map` is not a map or has none.
std::optional<yaml_entry> find_entry(const YAML::Node& map, std::string_view name, bool ignore_case);
// A key's text; empty for a key that is a list or map.
std::string key_text(const YAML::Node& key);
// The text of a JSON list element or scalar, as the authorizer reads it.
std::optional<std::string> text_of(const nlohmann::json& v);
// The member of `object` named `name` ignoring case, or nullptr.
const nlohmann::json* find_field(const nlohmann::json& object, std::string_view name);

// Where a recipe's findings go.
class reporter {
public:
    reporter(std::filesystem::path file, std::vector<finding>& out)
        : file_(std::move(file)), out_(out) {}

    void add(severity level, std::pair<int, int> where, std::string check, std::string problem,
             std::string fix = {});
    void add(severity level, const YAML::Node& at, std::string check, std::string problem,
             std::string fix = {});

private:
    std::filesystem::path file_;
    std::vector<finding>& out_;
};

}  // namespace standin::server::lint::detail
