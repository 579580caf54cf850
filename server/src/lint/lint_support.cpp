// SPDX-License-Identifier: Apache-2.0
#include "lint/lint_support.hpp"

#include "authz/policy.hpp"
#include "util/yaml_json.hpp"

namespace standin::server::lint::detail {

using json = nlohmann::json;
using protocol::ascii_iequals;

std::string in_quotes(std::string_view s) {
    return "\"" + std::string{s} + "\"";
}

std::size_t edit_distance(std::string_view a, std::string_view b) {
    std::vector<std::size_t> row(b.size() + 1);
    for (std::size_t j = 0; j <= b.size(); ++j)
        row[j] = j;
    for (std::size_t i = 1; i <= a.size(); ++i) {
        std::size_t diagonal = row[0];
        row[0] = i;
        for (std::size_t j = 1; j <= b.size(); ++j) {
            const std::size_t above = row[j];
            const bool same = ascii_iequals(a.substr(i - 1, 1), b.substr(j - 1, 1));
            row[j] = std::min({above + 1, row[j - 1] + 1, diagonal + (same ? 0 : 1)});
            diagonal = above;
        }
    }
    return row[b.size()];
}

std::vector<std::string_view> service_ids() {
    const auto& [ids, count] = model::policy_service_ids;
    return {ids.begin(), ids.begin() + static_cast<std::ptrdiff_t>(count)};
}

std::vector<std::string_view> operation_names() {
    std::vector<std::string_view> out;
    for (const auto& op : model::greengrass_operations())
        out.push_back(op.name);
    return out;
}

std::vector<const model::operation_info*> covered_operations(std::string_view service_id,
                                                             std::string_view operation) {
    std::vector<const model::operation_info*> out;
    for (const auto& op : model::greengrass_operations()) {
        if (op.auth.service_id != service_id || !op.auth.registered) continue;
        if (operation == any_operation || operation == op.name) out.push_back(&op);
    }
    return out;
}

std::optional<yaml_entry> find_entry(const YAML::Node& map, std::string_view name, bool ignore_case) {
    if (!map.IsMap()) return std::nullopt;
    for (const auto& entry : map) {
        const auto key = yaml_key_text(entry.first);
        if (key && (ignore_case ? ascii_iequals(*key, name) : *key == name))
            return yaml_entry{entry.first, entry.second};
    }
    return std::nullopt;
}

std::string key_text(const YAML::Node& key) {
    return yaml_key_text(key).value_or("");
}

std::optional<std::string> text_of(const json& v) {
    if (v.is_string()) return v.get<std::string>();
    if (v.is_number() || v.is_boolean()) return v.dump();
    return std::nullopt;
}

const json* find_field(const json& object, std::string_view name) {
    if (!object.is_object()) return nullptr;
    for (const auto& [key, value] : object.items()) {
        if (ascii_iequals(key, name)) return &value;
    }
    return nullptr;
}

void reporter::add(severity level, std::pair<int, int> where, std::string check, std::string problem,
                   std::string fix) {
    out_.push_back(
        {level, file_, where.first, where.second, std::move(check), std::move(problem), std::move(fix)});
}

void reporter::add(severity level, const YAML::Node& at, std::string check, std::string problem,
                   std::string fix) {
    add(level, yaml_position(at), std::move(check), std::move(problem), std::move(fix));
}

}  // namespace standin::server::lint::detail
