// SPDX-License-Identifier: Apache-2.0
#include "recipes/recipe.hpp"

#include <sys/utsname.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <charconv>
#include <cstdint>
#include <cstring>
#include <fstream>
#include <limits>
#include <optional>
#include <regex>
#include <set>
#include <sstream>
#include <type_traits>
#include <utility>

#include <yaml-cpp/yaml.h>

namespace standin::server {
namespace {

// Limits of the component-common recipe model (ComponentRecipe.java); compatibility.
constexpr std::size_t max_component_name_length = 128;
constexpr std::size_t max_component_version_length = 64;
constexpr std::uint64_t max_version_number = 999999;
constexpr std::string_view supported_format_version = "2020-01-25";

// Our choice: enough for any sane document, small enough that a self-referencing or
// exponentially aliased YAML file fails fast instead of exhausting the stack or memory.
constexpr int max_yaml_depth = 256;
constexpr std::size_t max_yaml_nodes = 1'000'000;

char lower(char c) {
    return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
}

std::string to_lower(std::string_view s) {
    std::string out(s);
    std::transform(out.begin(), out.end(), out.begin(), lower);
    return out;
}

bool iequals(std::string_view a, std::string_view b) {
    return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(),
                                              [](char x, char y) { return lower(x) == lower(y); });
}

bool is_digit(char c) {
    return c >= '0' && c <= '9';
}

bool is_alnum(char c) {
    return is_digit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

std::size_t edit_distance(std::string_view a, std::string_view b) {
    std::vector<std::size_t> row(b.size() + 1);
    for (std::size_t j = 0; j <= b.size(); ++j) {
        row[j] = j;
    }
    for (std::size_t i = 1; i <= a.size(); ++i) {
        std::size_t diagonal = row[0];
        row[0] = i;
        for (std::size_t j = 1; j <= b.size(); ++j) {
            const std::size_t above = row[j];
            const std::size_t substitute = diagonal + (lower(a[i - 1]) == lower(b[j - 1]) ? 0 : 1);
            row[j] = std::min({above + 1, row[j - 1] + 1, substitute});
            diagonal = above;
        }
    }
    return row[b.size()];
}

// 1-based position of a node; {0, 0} when yaml-cpp has none (e.g. an empty document).
std::pair<int, int> position(const YAML::Node& node) {
    const YAML::Mark mark = node.Mark();
    if (mark.is_null() || mark.line < 0) {
        return {0, 0};
    }
    return {mark.line + 1, mark.column + 1};
}

// yaml-cpp turns plain null-like scalars into null nodes, keys included; such a key reads "null".
std::optional<std::string> key_text(const YAML::Node& key) {
    if (key.IsScalar()) {
        return key.Scalar();
    }
    if (key.IsNull()) {
        return std::string("null");
    }
    return std::nullopt;
}

// ---- YAML 1.2 core schema ----------------------------------------------------------------------

std::size_t count_digits(std::string_view s, std::size_t from) {
    std::size_t n = 0;
    while (from + n < s.size() && is_digit(s[from + n])) {
        ++n;
    }
    return n;
}

bool is_core_float(std::string_view s) {
    std::size_t i = (!s.empty() && (s[0] == '+' || s[0] == '-')) ? 1 : 0;
    const std::size_t whole = count_digits(s, i);
    i += whole;
    std::size_t fraction = 0;
    if (i < s.size() && s[i] == '.') {
        fraction = count_digits(s, ++i);
        i += fraction;
    }
    if (whole == 0 && fraction == 0) {
        return false;
    }
    if (i < s.size() && (s[i] == 'e' || s[i] == 'E')) {
        ++i;
        if (i < s.size() && (s[i] == '+' || s[i] == '-')) {
            ++i;
        }
        const std::size_t exponent = count_digits(s, i);
        if (exponent == 0) {
            return false;
        }
        i += exponent;
    }
    return i == s.size();
}

template <class T>
std::optional<T> parse_number(std::string_view digits, int base = 10) {
    T value{};
    const char* const last = digits.data() + digits.size();
    std::from_chars_result result;
    if constexpr (std::is_floating_point_v<T>) {
        result = std::from_chars(digits.data(), last, value);
    } else {
        result = std::from_chars(digits.data(), last, value, base);
    }
    if (result.ec != std::errc{} || result.ptr != last) {
        return std::nullopt;
    }
    return value;
}

// The value a plain scalar stands for, or nullopt when it is just a string (or a number that
// JSON cannot hold).
std::optional<nlohmann::json> resolve_plain(std::string_view s) {
    if (s.empty() || s == "~" || s == "null" || s == "Null" || s == "NULL") {
        return nlohmann::json(nullptr);
    }
    if (s == "true" || s == "True" || s == "TRUE") {
        return nlohmann::json(true);
    }
    if (s == "false" || s == "False" || s == "FALSE") {
        return nlohmann::json(false);
    }
    if (s.size() > 2 && s[0] == '0' && (s[1] == 'o' || s[1] == 'x')) {
        if (auto v = parse_number<std::uint64_t>(s.substr(2), s[1] == 'o' ? 8 : 16)) {
            if (*v <= static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max())) {
                return nlohmann::json(static_cast<std::int64_t>(*v));  // same JSON type as decimals
            }
            return nlohmann::json(*v);
        }
        return std::nullopt;
    }
    const std::string_view unsigned_part = (s[0] == '+') ? s.substr(1) : s;
    const std::size_t sign = (s[0] == '+' || s[0] == '-') ? 1 : 0;
    if (sign < s.size() && count_digits(s, sign) == s.size() - sign) {
        if (auto v = parse_number<std::int64_t>(unsigned_part)) {
            return nlohmann::json(*v);
        }
        if (auto u = parse_number<std::uint64_t>(unsigned_part)) {
            return nlohmann::json(*u);
        }
        return std::nullopt;
    }
    if (is_core_float(s)) {
        // from_chars reports out_of_range for 1e999, so it stays a string like .inf does.
        if (auto d = parse_number<double>(unsigned_part)) {
            return nlohmann::json(*d);
        }
    }
    return std::nullopt;
}

struct yaml_converter {
    std::size_t nodes = 0;

    [[noreturn]] static void fail(const YAML::Node& at, const std::string& problem) {
        const auto [line, column] = position(at);
        throw source_error({}, line, column, problem);
    }

    nlohmann::json convert(const YAML::Node& node, int depth) {
        if (depth > max_yaml_depth) {
            fail(node, "nesting deeper than " + std::to_string(max_yaml_depth) + " levels");
        }
        if (++nodes > max_yaml_nodes) {
            fail(node, "document expands to more than " + std::to_string(max_yaml_nodes) + " nodes");
        }
        switch (node.Type()) {
            case YAML::NodeType::Scalar:
                return scalar(node);
            case YAML::NodeType::Sequence: {
                nlohmann::json out = nlohmann::json::array();
                for (const auto& item : node) {
                    out.push_back(convert(item, depth + 1));
                }
                return out;
            }
            case YAML::NodeType::Map: {
                nlohmann::json out = nlohmann::json::object();
                for (const auto& entry : node) {
                    const auto key = key_text(entry.first);
                    if (!key) {
                        fail(entry.first, "a mapping key must be a plain value, not a list or map");
                    }
                    out[*key] = convert(entry.second, depth + 1);
                }
                return out;
            }
            case YAML::NodeType::Null:
            case YAML::NodeType::Undefined:
                break;
        }
        return nullptr;
    }

    static nlohmann::json scalar(const YAML::Node& node) {
        const std::string& tag = node.Tag();
        // "?" marks a plain scalar; quoted and block scalars carry "!". Core-schema tags ask for
        // resolution explicitly; any other tag keeps the text.
        constexpr std::string_view core = "tag:yaml.org,2002:";
        const bool resolve = tag == "?" || (tag.starts_with(core) && tag != "tag:yaml.org,2002:str");
        if (resolve) {
            if (auto value = resolve_plain(node.Scalar())) {
                return *std::move(value);
            }
        }
        return node.Scalar();
    }
};

// Syntax-only JSON pass over the whole text, building nothing.
struct json_syntax_checker final : nlohmann::json_sax<nlohmann::json> {
    std::optional<std::string> error;
    std::size_t offset = 0;  // characters read when the error was found

    bool null() override { return true; }
    bool boolean(bool) override { return true; }
    bool number_integer(number_integer_t) override { return true; }
    bool number_unsigned(number_unsigned_t) override { return true; }
    bool number_float(number_float_t, const string_t&) override { return true; }
    bool string(string_t&) override { return true; }
    bool binary(binary_t&) override { return true; }
    bool start_object(std::size_t) override { return true; }
    bool key(string_t&) override { return true; }
    bool end_object() override { return true; }
    bool start_array(std::size_t) override { return true; }
    bool end_array() override { return true; }
    bool parse_error(std::size_t position, const std::string&,
                     const nlohmann::detail::exception& e) override {
        if (e.id == 406) {
            // A number too large for a double also stops nlohmann's parser. That is no syntax error,
            // so the check ends inconclusive and yaml-cpp (which keeps such numbers as text) decides.
            return false;
        }
        offset = position;
        std::string message = e.what();
        // Drop nlohmann's "[json.exception.parse_error.101] parse error at line 1, column 2: " prefix.
        const auto colon = message.find(": ");
        error = colon == std::string::npos ? message : message.substr(colon + 2);
        return false;
    }
};

// ---- recipe parsing ----------------------------------------------------------------------------

constexpr std::array known_top_level = {
    "RecipeFormatVersion",   "ComponentName",      "ComponentVersion", "ComponentType",
    "ComponentDescription",  "ComponentPublisher", "ComponentSource",  "ComponentConfiguration",
    "ComponentDependencies", "Manifests",          "Lifecycle",
};
constexpr std::array known_configuration = {"DefaultConfiguration"};
constexpr std::array known_dependency = {"VersionRequirement", "DependencyType"};
constexpr std::array known_manifest = {"Platform", "Lifecycle",    "Selections", "Artifacts",
                                       "Name",     "Dependencies", "Parameters"};
constexpr std::array component_types = {"aws.greengrass.generic", "aws.greengrass.lambda",
                                        "aws.greengrass.plugin", "aws.greengrass.nucleus"};

struct field {
    std::string key;
    YAML::Node key_node;
    YAML::Node value;
};

class parser {
public:
    parser(std::filesystem::path file, std::vector<std::string>& warnings)
        : file_(std::move(file)), warnings_(warnings) {}

    [[noreturn]] void fail(const YAML::Node& at, const std::string& problem) const {
        const auto [line, column] = position(at);
        throw recipe_error(file_, line, column, problem);
    }

    void warn(const YAML::Node& at, const std::string& text) const {
        const auto [line, column] = position(at);
        warnings_.push_back(format_source_message(file_, line, column, text));
    }

    nlohmann::json to_json(const YAML::Node& node) const {
        try {
            return yaml_converter{}.convert(node, 0);
        } catch (const source_error& e) {
            throw recipe_error(file_, e.line, e.column, e.problem);
        }
    }

    // The entries of a recipe-schema map, whose property names are case-insensitive. Names that
    // differ only in case would be merged silently by the nucleus, so they are an error here.
    std::vector<field> fields(const YAML::Node& map) const {
        std::vector<field> out;
        for (const auto& entry : map) {
            auto key = key_text(entry.first);
            if (!key) {
                fail(entry.first, "a property name must be a plain value, not a list or map");
            }
            field f{*std::move(key), entry.first, entry.second};
            for (const field& earlier : out) {
                if (iequals(earlier.key, f.key)) {
                    const std::string where = "line " + std::to_string(position(earlier.key_node).first);
                    fail(f.key_node,
                         earlier.key == f.key
                             ? "property '" + f.key + "' appears twice (first at " + where + ")"
                             : "property '" + f.key + "' repeats '" + earlier.key + "' (" + where +
                                   "); recipe property names are case-insensitive");
                }
            }
            out.push_back(std::move(f));
        }
        return out;
    }

    // The value of a property, or nullptr when it is absent or explicitly null (the nucleus's
    // model treats both the same).
    static const field* find(const std::vector<field>& fields, std::string_view name) {
        for (const field& f : fields) {
            if (iequals(f.key, name)) {
                return f.value.IsNull() ? nullptr : &f;
            }
        }
        return nullptr;
    }

    template <std::size_t N>
    void warn_unknown(const std::vector<field>& fields, const std::array<const char*, N>& known,
                      std::string_view where) const {
        for (const field& f : fields) {
            const bool is_known = std::any_of(known.begin(), known.end(),
                                              [&](const char* k) { return iequals(f.key, k); });
            if (is_known) {
                continue;
            }
            std::string text = "unknown " + std::string(where) + " '" + f.key + "' ignored";
            for (const char* k : known) {
                if (edit_distance(f.key, k) <= 2) {
                    text += " (did you mean '" + std::string(k) + "'?)";
                    break;
                }
            }
            warn(f.key_node, text);
        }
    }

    // Scalar text as written (the nucleus's model coerces numbers and booleans to strings).
    std::string text(const field& f) const {
        if (!f.value.IsScalar()) {
            fail(f.value, f.key + " must be a string");
        }
        return f.value.Scalar();
    }

    const YAML::Node& require_map(const field& f) const {
        if (!f.value.IsMap()) {
            fail(f.value, f.key + " must be a map");
        }
        return f.value;
    }

    const YAML::Node& require_list(const field& f) const {
        if (!f.value.IsSequence()) {
            fail(f.value, f.key + " must be a list");
        }
        return f.value;
    }

private:
    std::filesystem::path file_;
    std::vector<std::string>& warnings_;
};

std::optional<std::string> component_name_problem(std::string_view name) {
    if (name.empty()) {
        return "ComponentName is empty";
    }
    if (name.size() > max_component_name_length) {
        return "ComponentName is longer than " + std::to_string(max_component_name_length) +
               " characters";
    }
    const bool allowed = std::all_of(name.begin(), name.end(), [](char c) {
        return is_alnum(c) || c == '-' || c == '_' || c == '.';
    });
    if (!allowed) {
        return "ComponentName '" + std::string(name) +
               "' may only contain letters, digits, '-', '_' and '.'";
    }
    return std::nullopt;
}

// Dot-separated identifiers of [0-9A-Za-z-], none empty (semver pre-release and build parts).
bool valid_identifiers(std::string_view s) {
    if (s.empty() || s.front() == '.' || s.back() == '.' || s.find("..") != std::string_view::npos) {
        return false;
    }
    return std::all_of(s.begin(), s.end(), [](char c) { return is_alnum(c) || c == '-' || c == '.'; });
}

std::optional<std::string> component_version_problem(std::string_view version) {
    const std::string quoted = "ComponentVersion '" + std::string(version) + "'";
    if (version.size() > max_component_version_length) {
        return quoted + " is longer than " + std::to_string(max_component_version_length) +
               " characters";
    }
    std::string_view rest = version;
    std::string_view build;
    if (const auto plus = rest.find('+'); plus != std::string_view::npos) {
        build = rest.substr(plus + 1);
        rest = rest.substr(0, plus);
        if (!valid_identifiers(build)) {
            return quoted + " has an invalid build part after '+'";
        }
    }
    if (const auto dash = rest.find('-'); dash != std::string_view::npos) {
        if (!valid_identifiers(rest.substr(dash + 1))) {
            return quoted + " has an invalid pre-release part after '-'";
        }
        rest = rest.substr(0, dash);
    }
    std::array<std::string_view, 3> parts;
    for (std::size_t i = 0; i < parts.size(); ++i) {
        const auto dot = rest.find('.');
        const bool last = i + 1 == parts.size();
        if (last != (dot == std::string_view::npos)) {
            return quoted + " is not a semantic version (major.minor.patch)";
        }
        parts[i] = rest.substr(0, dot);
        rest = last ? std::string_view{} : rest.substr(dot + 1);
        if (parts[i].empty() || count_digits(parts[i], 0) != parts[i].size()) {
            return quoted + " is not a semantic version (major.minor.patch)";
        }
    }
    for (std::string_view part : parts) {
        const auto significant = part.find_first_not_of('0');
        if (significant != std::string_view::npos &&
            (part.size() - significant > 6 || *parse_number<std::uint64_t>(part) > max_version_number)) {
            return quoted + ": major, minor and patch may not exceed " +
                   std::to_string(max_version_number);
        }
    }
    return std::nullopt;
}

// ---- platform matching (PlatformHelper.java semantics) -----------------------------------------

// One match expression against one label (absent label = nullptr).
bool test_field(const parser& p, const YAML::Node& at, const std::string& key, const std::string* label,
                const nlohmann::json& tmpl) {
    if (tmpl.is_null()) {
        return label == nullptr;
    }
    if (!tmpl.is_string()) {
        return false;  // numbers, maps and nested lists are reserved by the nucleus: never match
    }
    const std::string& t = tmpl.get_ref<const std::string&>();
    if (t == "*") {
        return true;
    }
    if (label == nullptr) {
        return false;
    }
    if (t == "//") {
        return true;
    }
    if (t.size() > 2 && t.front() == '/' && t.back() == '/') {
        try {
            return std::regex_match(*label,
                                    std::regex(t.substr(1, t.size() - 2), std::regex::ECMAScript));
        } catch (const std::regex_error& e) {
            // The nucleus uses Java regexes; one that std::regex rejects may still be valid there.
            p.warn(at, "Platform " + key + " regex " + t + " cannot be evaluated (" + e.what() +
                           "); treated as not matching");
            return false;
        }
    }
    if ((key == "os" || key == "architecture") && (t == "all" || t == "any")) {
        return true;  // legacy wildcard spelling
    }
    if (!is_alnum(t.front())) {
        return false;  // other special labels are reserved by the nucleus
    }
    return t == *label;
}

bool platform_matches(const parser& p, const YAML::Node* platform_node, const platform_labels& labels) {
    if (platform_node == nullptr) {
        return true;  // no Platform is a wildcard
    }
    for (const field& f : p.fields(*platform_node)) {
        const std::string key = to_lower(f.key);
        const auto label_it = labels.find(key);
        const std::string* label = label_it == labels.end() ? nullptr : &label_it->second;
        const nlohmann::json tmpl = p.to_json(f.value);
        bool ok = false;
        if (tmpl.is_array()) {
            ok = std::any_of(tmpl.begin(), tmpl.end(), [&](const nlohmann::json& t) {
                return test_field(p, f.value, key, label, t);
            });
        } else {
            ok = test_field(p, f.value, key, label, tmpl);
        }
        if (!ok) {
            return false;
        }
    }
    return true;
}

// ---- lifecycle selection (PlatformResolver.filterPlatform semantics) ---------------------------

// A lifecycle map whose keys include a selector keyword is a selection point: the first of the
// manifest's selections present there wins, else "all"; everything else at that level is dropped.
std::optional<nlohmann::json> filter_selections(const nlohmann::json& source,
                                                const std::set<std::string>& keywords,
                                                const std::vector<std::string>& selectors) {
    if (source.is_null()) {
        return std::nullopt;
    }
    if (!source.is_object()) {
        return source;
    }
    const bool is_selection =
        std::any_of(source.items().begin(), source.items().end(),
                    [&](const auto& item) { return keywords.contains(item.key()); });
    if (is_selection) {
        for (const std::string& selector : selectors) {
            const auto it = source.find(selector);
            if (it != source.end() && !it->is_null()) {
                return filter_selections(*it, keywords, selectors);
            }
        }
        const auto all = source.find("all");
        if (all != source.end() && !all->is_null()) {
            return filter_selections(*all, keywords, selectors);
        }
        return std::nullopt;
    }
    nlohmann::json out = nlohmann::json::object();
    for (const auto& [key, value] : source.items()) {
        if (auto filtered = filter_selections(value, keywords, selectors)) {
            out[key] = *std::move(filtered);
        }
    }
    return out;
}

std::vector<std::string> selections_of(const parser& p, const std::vector<field>& manifest) {
    std::vector<std::string> out;
    if (const field* f = parser::find(manifest, "Selections")) {
        for (const auto& item : p.require_list(*f)) {
            if (!item.IsScalar()) {
                p.fail(item, "Selections must be a list of strings");
            }
            out.push_back(item.Scalar());
        }
    }
    return out;
}

std::string describe(const platform_labels& labels) {
    std::string out;
    for (const auto& [key, value] : labels) {
        out += (out.empty() ? "" : ", ") + key + "=" + value;
    }
    return out;
}

// ---- sections ----------------------------------------------------------------------------------

void read_identity(const parser& p, const YAML::Node& root, const std::vector<field>& top, recipe& r) {
    if (const field* f = parser::find(top, "RecipeFormatVersion")) {
        r.format_version = p.text(*f);
        if (r.format_version != supported_format_version) {
            p.fail(f->value, "RecipeFormatVersion '" + r.format_version + "' is not supported; use '" +
                                 std::string(supported_format_version) + "'");
        }
    } else {
        p.warn(root, "RecipeFormatVersion is missing; the nucleus requires '" +
                         std::string(supported_format_version) + "'");
    }

    const field* name = parser::find(top, "ComponentName");
    if (name == nullptr) {
        p.fail(root, "ComponentName is missing");
    }
    r.component_name = p.text(*name);
    r.component_name_line = position(name->value).first;
    if (auto problem = component_name_problem(r.component_name)) {
        p.fail(name->value, *problem);
    }

    const field* version = parser::find(top, "ComponentVersion");
    if (version == nullptr) {
        p.fail(root, "ComponentVersion is missing");
    }
    r.component_version = p.text(*version);
    if (auto problem = component_version_problem(r.component_version)) {
        p.fail(version->value, *problem);
    }

    if (const field* f = parser::find(top, "ComponentType")) {
        const std::string type = p.text(*f);
        const auto it = std::find_if(component_types.begin(), component_types.end(),
                                     [&](const char* known) { return iequals(type, known); });
        if (it == component_types.end()) {
            p.fail(f->value, "ComponentType '" + type +
                                 "' is not one of aws.greengrass.generic, aws.greengrass.lambda, "
                                 "aws.greengrass.plugin, aws.greengrass.nucleus");
        }
        r.component_type = *it;
    }
    if (const field* f = parser::find(top, "ComponentDescription")) {
        r.description = p.text(*f);
    }
    if (const field* f = parser::find(top, "ComponentPublisher")) {
        r.publisher = p.text(*f);
    }
}

void read_configuration(const parser& p, const std::vector<field>& top, recipe& r) {
    const field* configuration = parser::find(top, "ComponentConfiguration");
    if (configuration == nullptr) {
        return;
    }
    const auto entries = p.fields(p.require_map(*configuration));
    p.warn_unknown(entries, known_configuration, "ComponentConfiguration property");
    if (const field* defaults = parser::find(entries, "DefaultConfiguration")) {
        r.default_configuration = p.to_json(p.require_map(*defaults));
    }
}

void read_dependencies(const parser& p, const std::vector<field>& top, recipe& r) {
    const field* dependencies = parser::find(top, "ComponentDependencies");
    if (dependencies == nullptr) {
        return;
    }
    for (const field& dependency : p.fields(p.require_map(*dependencies))) {
        const auto props = p.fields(p.require_map(dependency));
        p.warn_unknown(props, known_dependency, "dependency property");
        const field* requirement = parser::find(props, "VersionRequirement");
        if (requirement == nullptr) {
            p.fail(dependency.value, "dependency '" + dependency.key + "' has no VersionRequirement");
        }
        std::string type = "HARD";
        if (const field* f = parser::find(props, "DependencyType")) {
            type = p.text(*f);
            if (!iequals(type, "HARD") && !iequals(type, "SOFT")) {
                p.fail(f->value, "DependencyType '" + type + "' must be HARD or SOFT");
            }
            type = iequals(type, "HARD") ? "HARD" : "SOFT";
        }
        r.dependencies[dependency.key] = {{"VersionRequirement", p.text(*requirement)},
                                          {"DependencyType", type}};
    }
}

// Checks every manifest's shape, selects the first that matches and derives the lifecycle.
void read_manifests(const parser& p, const YAML::Node& root, const std::vector<field>& top,
                    const platform_labels& labels, recipe& r) {
    nlohmann::json global_lifecycle = nlohmann::json::object();
    if (const field* f = parser::find(top, "Lifecycle")) {
        global_lifecycle = p.to_json(p.require_map(*f));
    }

    const field* manifests = parser::find(top, "Manifests");
    if (manifests == nullptr || (manifests->value.IsSequence() && manifests->value.size() == 0)) {
        p.warn(manifests ? manifests->value : root,
               "Manifests is missing or empty; the nucleus refuses to deploy such a recipe");
        return;
    }

    std::set<std::string> keywords{"all"};
    std::vector<std::vector<field>> parsed;
    for (const auto& manifest : p.require_list(*manifests)) {
        if (!manifest.IsMap()) {
            p.fail(manifest, "each entry of Manifests must be a map");
        }
        auto entries = p.fields(manifest);
        p.warn_unknown(entries, known_manifest, "manifest property");
        if (const field* f = parser::find(entries, "Platform")) {
            p.fields(p.require_map(*f));  // shape and duplicate keys, even if never evaluated
        }
        if (const field* f = parser::find(entries, "Lifecycle")) {
            p.require_map(*f);
        }
        for (std::string& selection : selections_of(p, entries)) {
            keywords.insert(std::move(selection));
        }
        parsed.push_back(std::move(entries));
    }

    for (const auto& entries : parsed) {
        const field* platform = parser::find(entries, "Platform");
        if (!platform_matches(p, platform ? &platform->value : nullptr, labels)) {
            continue;
        }
        r.selected_manifest = nlohmann::json::object();
        for (const field& f : entries) {
            const auto known = std::find_if(known_manifest.begin(), known_manifest.end(),
                                            [&](const char* k) { return iequals(f.key, k); });
            r.selected_manifest[known == known_manifest.end() ? f.key : *known] = p.to_json(f.value);
        }
        const auto own = r.selected_manifest.find("Lifecycle");
        if (own != r.selected_manifest.end() && own->is_object() && !own->empty()) {
            r.lifecycle = *own;
            return;
        }
        auto filtered = filter_selections(global_lifecycle, keywords, selections_of(p, entries));
        if (filtered && filtered->is_object() && !filtered->empty()) {
            r.lifecycle = *std::move(filtered);
        } else {
            r.lifecycle = nlohmann::json::object();
            if (!global_lifecycle.empty()) {
                p.warn(parser::find(top, "Lifecycle")->value,
                       "Lifecycle is empty after applying the selected manifest's Selections");
            }
        }
        return;
    }
    p.warn(manifests->value, "no manifest matches this platform (" + describe(labels) +
                                 "); the nucleus would not install this component");
}

platform_labels detect_platform() {
    platform_labels labels;
    utsname names{};
    if (uname(&names) != 0) {
        return {{"os", "unknown"}, {"architecture", "unknown"}};
    }
    const std::string system = to_lower(names.sysname);
    labels["os"] = system == "linux" ? "linux" : system == "darwin" ? "darwin" : system;

    // Same buckets as the nucleus's PlatformResolver.getArchInfo.
    const std::string machine = to_lower(names.machine);
    std::string arch = "unknown";
    if (machine == "x86_64" || machine == "amd64") {
        arch = "amd64";
    } else if (machine == "x86" ||
               (machine.size() == 4 && machine[0] == 'i' && machine.ends_with("86"))) {
        arch = "x86";
    } else if (machine == "aarch64" || machine == "arm64") {
        arch = "aarch64";
    } else if (machine.find("arm") != std::string::npos) {
        arch = "arm";
    }
    labels["architecture"] = arch;
    if (machine == "armv6l" || machine == "armv7l" || machine == "armv8l") {
        labels["architecture.detail"] = machine;
    }
    return labels;
}

bool has_recipe_extension(const std::filesystem::path& path) {
    const std::string ext = to_lower(path.extension().string());
    return ext == ".yaml" || ext == ".yml" || ext == ".json";
}

}  // namespace

const platform_labels& current_platform() {
    static const platform_labels labels = detect_platform();
    return labels;
}

YAML::Node load_yaml_document(std::string_view text, const std::filesystem::path& file) {
    if (to_lower(file.extension().string()) == ".json") {
        json_syntax_checker checker;
        nlohmann::json::sax_parse(text, &checker);
        if (checker.error) {
            const std::size_t offset =
                std::min(checker.offset > 0 ? checker.offset - 1 : 0, text.size());
            const std::string_view before = text.substr(0, offset);
            const auto line = std::count(before.begin(), before.end(), '\n') + 1;
            const auto line_start = before.rfind('\n');
            const auto column = offset - (line_start == std::string_view::npos ? 0 : line_start + 1) + 1;
            throw source_error(file, static_cast<int>(line), static_cast<int>(column),
                               "JSON syntax error: " + *checker.error);
        }
    }
    try {
        return YAML::Load(std::string(text));
    } catch (const YAML::Exception& e) {
        const bool known = !e.mark.is_null() && e.mark.line >= 0;
        throw source_error(file, known ? e.mark.line + 1 : 0, known ? e.mark.column + 1 : 0,
                           "syntax error: " + e.msg);
    }
}

nlohmann::json yaml_to_json(const YAML::Node& node) {
    return yaml_converter{}.convert(node, 0);
}

recipe parse_recipe(std::string_view text, const std::filesystem::path& file_for_messages) {
    return parse_recipe(text, file_for_messages, current_platform());
}

recipe parse_recipe(std::string_view text, const std::filesystem::path& file_for_messages,
                    const platform_labels& platform) {
    recipe r;
    r.file = file_for_messages;
    YAML::Node root;
    try {
        root = load_yaml_document(text, file_for_messages);
    } catch (const source_error& e) {
        throw recipe_error(e.file, e.line, e.column, e.problem);
    }
    const parser p(file_for_messages, r.warnings);
    if (!root.IsMap()) {
        p.fail(root, root.IsNull() ? "the recipe is empty"
                                   : "the top level of a recipe must be a map of recipe properties");
    }
    try {
        const auto top = p.fields(root);
        p.warn_unknown(top, known_top_level, "recipe property");
        read_identity(p, root, top, r);
        read_configuration(p, top, r);
        read_dependencies(p, top, r);
        read_manifests(p, root, top, platform, r);
    } catch (const YAML::Exception& e) {
        // Not expected (we only walk nodes we checked), but keep the promise of recipe_error.
        throw recipe_error(file_for_messages, 0, 0, e.what());
    }
    return r;
}

recipe load_recipe_file(const std::filesystem::path& file) {
    std::error_code ec;
    if (!std::filesystem::is_regular_file(file, ec)) {
        throw recipe_error(file, 0, 0, ec ? "cannot read: " + ec.message() : "not a regular file");
    }
    std::ifstream in(file, std::ios::binary);
    std::ostringstream content;
    content << in.rdbuf();
    if (!in || !content) {
        throw recipe_error(file, 0, 0, std::string("cannot read: ") + std::strerror(errno));
    }
    return parse_recipe(content.str(), file);
}

std::vector<recipe> load_recipe_directories(const std::vector<std::filesystem::path>& dirs) {
    std::vector<recipe> out;
    std::map<std::string, std::size_t> by_name;  // lower-cased ComponentName -> index in out
    std::set<std::filesystem::path> seen_dirs;
    for (const auto& dir : dirs) {
        std::error_code ec;
        if (!std::filesystem::is_directory(dir, ec)) {
            throw recipe_error(dir, 0, 0, "recipe directory does not exist or is not a directory");
        }
        if (!seen_dirs.insert(std::filesystem::weakly_canonical(dir, ec)).second) {
            continue;  // the same directory given twice is not a conflict
        }
        std::vector<std::filesystem::path> files;
        for (const auto& entry : std::filesystem::directory_iterator(dir, ec)) {
            const auto& path = entry.path();
            if (has_recipe_extension(path) && !path.filename().string().starts_with(".") &&
                entry.is_regular_file(ec)) {
                files.push_back(path);
            }
        }
        if (ec) {
            throw recipe_error(dir, 0, 0, "cannot list recipe directory: " + ec.message());
        }
        std::sort(files.begin(), files.end(),
                  [](const auto& a, const auto& b) { return a.filename() < b.filename(); });
        for (const auto& file : files) {
            recipe r = load_recipe_file(file);
            const auto [it, inserted] = by_name.emplace(to_lower(r.component_name), out.size());
            if (!inserted) {
                const recipe& first = out[it->second];
                std::string where = first.file.string();
                if (first.component_name_line > 0) {
                    where += ":" + std::to_string(first.component_name_line);
                }
                throw recipe_error(
                    r.file, r.component_name_line, 0,
                    "component '" + r.component_name + "' is already defined in " + where);
            }
            out.push_back(std::move(r));
        }
    }
    return out;
}

}  // namespace standin::server
