// SPDX-License-Identifier: Apache-2.0
#include "recipes/recipe.hpp"

#include <algorithm>
#include <array>
#include <cerrno>
#include <charconv>
#include <cstdint>
#include <cstring>
#include <fstream>
#include <optional>
#include <set>
#include <sstream>
#include <system_error>
#include <utility>

#include <yaml-cpp/yaml.h>

#include "recipes/semver.hpp"
#include "standin/protocol/message.hpp"
#include "util/ascii.hpp"
#include "util/yaml_json.hpp"

namespace standin::server {
namespace {

// Limits of the component-common recipe model (ComponentRecipe.java); compatibility.
constexpr std::size_t max_component_name_length = 128;
constexpr std::size_t max_component_version_length = 64;
constexpr std::uint64_t max_version_number = 999999;
constexpr std::string_view supported_format_version = "2020-01-25";

using ascii::is_alnum;
using ascii::is_digit;

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
            const bool same = protocol::ascii_iequals(a.substr(i - 1, 1), b.substr(j - 1, 1));
            const std::size_t substitute = diagonal + (same ? 0 : 1);
            row[j] = std::min({above + 1, row[j - 1] + 1, substitute});
            diagonal = above;
        }
    }
    return row[b.size()];
}

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
        const auto [line, column] = yaml_position(at);
        throw recipe_error(file_, line, column, problem);
    }

    void warn(const YAML::Node& at, const std::string& text) const {
        const auto [line, column] = yaml_position(at);
        warnings_.push_back(format_source_message(file_, line, column, text));
    }

    nlohmann::json to_json(const YAML::Node& node) const {
        try {
            return yaml_to_json(node);
        } catch (const source_error& e) {
            throw recipe_error(file_, e.line, e.column, e.problem);
        }
    }

    // The entries of a recipe-schema map, whose property names are case-insensitive. Names that
    // differ only in case would be merged silently by the nucleus, so they are an error here.
    std::vector<field> fields(const YAML::Node& map) const {
        std::vector<field> out;
        for (const auto& entry : map) {
            auto key = yaml_key_text(entry.first);
            if (!key) {
                fail(entry.first, "a property name must be a plain value, not a list or map");
            }
            field f{*std::move(key), entry.first, entry.second};
            for (const field& earlier : out) {
                if (protocol::ascii_iequals(earlier.key, f.key)) {
                    const std::string where =
                        "line " + std::to_string(yaml_position(earlier.key_node).first);
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
            if (protocol::ascii_iequals(f.key, name)) {
                return f.value.IsNull() ? nullptr : &f;
            }
        }
        return nullptr;
    }

    template <std::size_t N>
    void warn_unknown(const std::vector<field>& fields, const std::array<const char*, N>& known,
                      std::string_view where) const {
        for (const field& f : fields) {
            const bool is_known = std::any_of(known.begin(), known.end(), [&](const char* k) {
                return protocol::ascii_iequals(f.key, k);
            });
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
        if (parts[i].empty() || !std::all_of(parts[i].begin(), parts[i].end(), is_digit)) {
            return quoted + " is not a semantic version (major.minor.patch)";
        }
    }
    for (std::string_view part : parts) {
        std::uint64_t number = 0;
        const auto parsed = std::from_chars(part.data(), part.data() + part.size(), number);
        if (parsed.ec != std::errc{} || number > max_version_number) {
            return quoted + ": major, minor and patch may not exceed " +
                   std::to_string(max_version_number);
        }
    }
    return std::nullopt;
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

// Property by property, stopping at the first mismatch: later properties are never converted, so
// they can neither fail the recipe nor add warnings.
bool platform_matches(const parser& p, const YAML::Node* platform_node, const platform_labels& labels) {
    if (platform_node == nullptr) {
        return true;  // no Platform is a wildcard
    }
    for (const field& f : p.fields(*platform_node)) {
        std::vector<std::string> problems;
        const bool ok = platform_property_matches(f.key, p.to_json(f.value), labels, problems);
        for (const std::string& problem : problems) {
            p.warn(f.value, problem);
        }
        if (!ok) {
            return false;
        }
    }
    return true;
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
    r.component_name_line = yaml_position(name->value).first;
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
        const auto it =
            std::find_if(component_types.begin(), component_types.end(),
                         [&](const char* known) { return protocol::ascii_iequals(type, known); });
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
            if (!protocol::ascii_iequals(type, "HARD") && !protocol::ascii_iequals(type, "SOFT")) {
                p.fail(f->value, "DependencyType '" + type + "' must be HARD or SOFT");
            }
            type = protocol::ascii_iequals(type, "HARD") ? "HARD" : "SOFT";
        }
        // A range the nucleus's semver library would refuse fails that recipe's deployment there;
        // here it fails the recipe, where the line is known.
        try {
            semver::range::parse(p.text(*requirement));
        } catch (const semver::range_error& e) {
            p.fail(requirement->value, "VersionRequirement of dependency '" + dependency.key +
                                           "' is not a version range: " + e.what());
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
            const auto known =
                std::find_if(known_manifest.begin(), known_manifest.end(),
                             [&](const char* k) { return protocol::ascii_iequals(f.key, k); });
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
    p.warn(manifests->value, "no manifest matches this platform (" + describe_platform(labels) +
                                 "); the nucleus would not install this component");
}

bool has_recipe_extension(const std::filesystem::path& path) {
    const std::string ext = path.extension().string();
    return protocol::ascii_iequals(ext, ".yaml") || protocol::ascii_iequals(ext, ".yml") ||
           protocol::ascii_iequals(ext, ".json");
}

}  // namespace

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
    std::set<std::filesystem::path> seen_dirs;
    for (const auto& dir : dirs) {
        std::error_code ec;
        if (!seen_dirs.insert(std::filesystem::weakly_canonical(dir, ec)).second) {
            continue;  // the same directory given twice is not a conflict
        }
        std::vector<std::filesystem::path> files;
        if (std::filesystem::is_regular_file(dir, ec)) {
            files.push_back(dir);  // one recipe named directly
        } else if (!std::filesystem::is_directory(dir, ec)) {
            throw recipe_error(dir, 0, 0, "recipe directory or file does not exist");
        }
        for (const auto& entry : files.empty() ? std::filesystem::directory_iterator(dir, ec)
                                               : std::filesystem::directory_iterator{}) {
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
            const auto earlier = std::find_if(out.begin(), out.end(), [&](const recipe& e) {
                return protocol::ascii_iequals(e.component_name, r.component_name);
            });
            if (earlier != out.end()) {
                const recipe& first = *earlier;
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
