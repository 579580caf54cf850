// SPDX-License-Identifier: Apache-2.0
// Rules (semantics.md §10, §13; the accessControl rules are in access_control_lint.cpp):
//   Recipe keys
//   * The recipe parser's warnings (unknown properties with a suggestion), plus lifecycle step and
//     step property names and Artifacts properties, which it does not check.
//   --target lite
//   * Shutdown, Recover and Bootstrap steps, Skipif; a manifest with Platform runtime
//     "aws_nucleus_lite" or "*"; generic components only; no Platform regexes, no docker
//     artifacts; plugin components it lacks; a DefaultConfiguration over its frame size.
#include "lint/recipe_lint.hpp"

#include <array>
#include <set>
#include <string>
#include <utility>

#include "authz/policy.hpp"
#include "lint/access_control_lint.hpp"
#include "lint/lint_support.hpp"
#include "lint/lite_support.hpp"
#include "standin/protocol/limits.hpp"
#include "util/yaml_json.hpp"

namespace standin::server::lint {

namespace {

using namespace detail;
using protocol::ascii_iequals;

// Recipe format facts lint checks that the recipe parser leaves alone (semantics.md §10).
// Uninstall: run when a deployment removes the component, by nucleus 2.17.0 and later.
constexpr std::array lifecycle_steps = {"Setenv",   "Install", "Startup",   "Run",
                                        "Shutdown", "Recover", "Bootstrap", "Uninstall"};
constexpr std::array step_properties = {"Script", "RequiresPrivilege", "Skipif", "Timeout", "Setenv"};
constexpr std::array artifact_properties = {"Uri", "Unarchive", "Permission", "Digest", "Algorithm"};
constexpr std::array permission_properties = {"Read", "Execute"};
// Steps nucleus lite does not run (field.md §1.1.2).
constexpr std::array lite_missing_steps = {"Shutdown", "Recover", "Bootstrap"};

class recipe_linter {
public:
    recipe_linter(const recipe& parsed, const YAML::Node& root, const lint_options& options,
                  reporter& out)
        : recipe_(parsed), root_(root), options_(options), out_(out) {}

    void run() {
        recipe_warnings();
        lifecycle_keys();
        artifact_keys();
        lint_access_control(recipe_, root_, options_.target, out_);
        if (lite_target()) lite();
    }

private:
    bool lite_target() const { return options_.target == lint_target::lite; }

    // The parser's warnings are "<file>:<line>:<column>: <text>".
    void recipe_warnings() {
        const std::string prefix = recipe_.file.string() + ":";
        for (const auto& warning : recipe_.warnings) {
            std::pair<int, int> where{0, 0};
            std::string text = warning;
            if (text.starts_with(prefix)) {
                std::size_t at = prefix.size();
                const auto number = [&] {
                    int value = 0;
                    while (at < text.size() && text[at] >= '0' && text[at] <= '9')
                        value = value * 10 + (text[at++] - '0');
                    return value;
                };
                where.first = number();
                if (at < text.size() && text[at] == ':') {
                    ++at;
                    where.second = number();
                }
                if (text.compare(at, 2, ": ") == 0) text = text.substr(at + 2);
            }
            if (!text.starts_with("unknown ")) {
                out_.add(severity::warning, where, "recipe", text);
                continue;
            }
            std::string fix = "remove it, or move it where the recipe format has it";
            constexpr std::string_view hint = " (did you mean '";
            if (const auto h = text.find(hint); h != std::string::npos) {
                const auto end = text.find("'?)", h + hint.size());
                fix = "rename it to '" + text.substr(h + hint.size(), end - h - hint.size()) + "'";
                text.erase(h);
            }
            out_.add(severity::warning, where, "unknown-key", text + " by the nucleus", fix);
        }
    }

    // ---- lifecycle and artifacts ----

    void unknown_key(const YAML::Node& key, std::string_view what, const auto& known) {
        const std::string name = key_text(key);
        std::string fix = "remove it";
        if (auto near = closest(name, known)) fix = "rename it to '" + *near + "'";
        out_.add(severity::warning, key, "unknown-key",
                 "unknown " + std::string{what} + " '" + name + "', ignored by the nucleus", fix);
    }

    std::set<std::string> selection_keywords() const {
        std::set<std::string> out{"all"};
        const auto manifests = find_entry(root_, "Manifests", true);
        if (!manifests || !manifests->value.IsSequence()) return out;
        for (const auto& manifest : manifests->value) {
            const auto selections = find_entry(manifest, "Selections", true);
            if (!selections || !selections->value.IsSequence()) continue;
            for (const auto& s : selections->value) {
                if (s.IsScalar()) out.insert(s.Scalar());
            }
        }
        return out;
    }

    // A Lifecycle map. In the global Lifecycle a key among the Selections keywords is a selection
    // point whose value continues at the same level.
    void walk_lifecycle(const YAML::Node& map, const std::set<std::string>* keywords) {
        if (!map.IsMap()) return;
        for (const auto& entry : map) {
            const std::string name = key_text(entry.first);
            if (keywords && keywords->contains(name)) {
                walk_lifecycle(entry.second, keywords);
                continue;
            }
            const char* step = canonical(name, lifecycle_steps);
            if (!step) {
                unknown_key(entry.first, "lifecycle step", lifecycle_steps);
                continue;
            }
            if (lite_target() && canonical(step, lite_missing_steps)) {
                out_.add(severity::error, entry.first, "lite-lifecycle",
                         "nucleus lite does not run the " + std::string{step} + " step",
                         "do without it on lite, or keep this component on the Java nucleus");
            }
            if (std::string_view{step} != "Setenv") walk_step(entry.second, keywords);
        }
    }

    void walk_step(const YAML::Node& map, const std::set<std::string>* keywords) {
        if (!map.IsMap()) return;
        for (const auto& entry : map) {
            const std::string name = key_text(entry.first);
            if (keywords && keywords->contains(name)) {
                walk_step(entry.second, keywords);
                continue;
            }
            const char* property = canonical(name, step_properties);
            if (!property) {
                unknown_key(entry.first, "lifecycle step property", step_properties);
            } else if (lite_target() && std::string_view{property} == "Skipif") {
                out_.add(severity::error, entry.first, "lite-skipif",
                         "nucleus lite does not support Skipif: the step always runs there",
                         "make the script itself check the condition");
            }
        }
    }

    void lifecycle_keys() {
        const auto keywords = selection_keywords();
        if (const auto global = find_entry(root_, "Lifecycle", true))
            walk_lifecycle(global->value, &keywords);
        const auto manifests = find_entry(root_, "Manifests", true);
        if (!manifests || !manifests->value.IsSequence()) return;
        for (const auto& manifest : manifests->value) {
            if (const auto own = find_entry(manifest, "Lifecycle", true))
                walk_lifecycle(own->value, nullptr);
        }
    }

    void artifact_keys() {
        const auto manifests = find_entry(root_, "Manifests", true);
        if (!manifests || !manifests->value.IsSequence()) return;
        for (const auto& manifest : manifests->value) {
            const auto artifacts = find_entry(manifest, "Artifacts", true);
            if (!artifacts || !artifacts->value.IsSequence()) continue;
            for (const auto& artifact : artifacts->value) {
                if (!artifact.IsMap()) continue;
                for (const auto& entry : artifact) {
                    const std::string name = key_text(entry.first);
                    const char* property = canonical(name, artifact_properties);
                    if (!property) {
                        unknown_key(entry.first, "artifact property", artifact_properties);
                        continue;
                    }
                    if (std::string_view{property} == "Permission" && entry.second.IsMap()) {
                        for (const auto& p : entry.second) {
                            if (!canonical(key_text(p.first), permission_properties))
                                unknown_key(p.first, "artifact permission", permission_properties);
                        }
                    }
                    if (lite_target() && std::string_view{property} == "Uri" &&
                        entry.second.IsScalar() && entry.second.Scalar().starts_with("docker:")) {
                        out_.add(severity::error, entry.second, "lite-artifact",
                                 "nucleus lite does not support docker artifacts");
                    }
                }
            }
        }
    }

    void lite() {
        if (recipe_.component_type != lite_component_type) {
            const auto type = find_entry(root_, "ComponentType", true);
            out_.add(severity::error, type ? type->value : root_, "lite-component-type",
                     "nucleus lite runs only " + std::string{lite_component_type} + " components, not " +
                         recipe_.component_type);
        }

        // GetConfiguration answers with the whole configuration in one frame.
        const std::size_t configuration_bytes = recipe_.default_configuration.dump().size();
        if (configuration_bytes > protocol::lite_max_frame_size) {
            const auto configuration = find_entry(root_, "ComponentConfiguration", true);
            out_.add(severity::warning, configuration ? configuration->key : root_, "lite-frame-size",
                     "DefaultConfiguration is " + std::to_string(configuration_bytes) +
                         " bytes as JSON: reading it whole with GetConfiguration needs a frame larger "
                         "than nucleus lite's " +
                         std::to_string(protocol::lite_max_frame_size) + " bytes",
                     "read it in parts (GetConfiguration with a keyPath)");
        }

        if (const auto dependencies = find_entry(root_, "ComponentDependencies", true);
            dependencies && dependencies->value.IsMap()) {
            for (const auto& entry : dependencies->value) {
                const std::string name = key_text(entry.first);
                const auto ops = covered_operations(name, any_operation);
                const bool plugin = !ops.empty() && std::none_of(ops.begin(), ops.end(), [](auto* op) {
                    return lite_serves(op->name);
                });
                if (plugin) {
                    out_.add(severity::error, entry.first, "lite-dependency",
                             "nucleus lite has no " + name +
                                 " component (none of its operations is "
                                 "served there)");
                }
            }
        }

        const auto manifests = find_entry(root_, "Manifests", true);
        if (!manifests || !manifests->value.IsSequence()) return;
        bool lite_manifest = false;
        for (const auto& manifest : manifests->value) {
            const auto platform = find_entry(manifest, "Platform", true);
            if (!platform || !platform->value.IsMap()) continue;
            for (const auto& entry : platform->value) {
                const auto& value = entry.second;
                if (value.IsScalar() && value.Scalar().size() > 1 && value.Scalar().front() == '/' &&
                    value.Scalar().back() == '/') {
                    out_.add(severity::error, value, "lite-platform",
                             "nucleus lite does not evaluate Platform regexes",
                             "write the value itself");
                }
            }
            // Lite's keys are case-sensitive.
            const auto runtime = find_entry(platform->value, lite_runtime_key, false);
            if (runtime && runtime->value.IsScalar() &&
                (runtime->value.Scalar() == lite_runtime_value || runtime->value.Scalar() == "*")) {
                lite_manifest = true;
            }
        }
        if (!lite_manifest) {
            out_.add(severity::error, manifests->key, "lite-runtime",
                     "no manifest has Platform runtime \"aws_nucleus_lite\" or \"*\": nucleus lite "
                     "selects none and the deployment fails",
                     "add runtime: \"*\" to the Platform of a manifest (\"aws_nucleus_lite\" for lite "
                     "only)");
        }
    }

    const recipe& recipe_;
    const YAML::Node& root_;
    const lint_options& options_;
    reporter& out_;
};

}  // namespace

std::vector<finding> lint_recipe(const recipe& parsed, std::string_view source,
                                 const lint_options& options) {
    std::vector<finding> out;
    YAML::Node root;
    try {
        root = load_yaml_document(source, parsed.file);
    } catch (const source_error& e) {
        out.push_back({severity::error, parsed.file, e.line, e.column, "recipe", e.problem, {}});
        return out;
    }
    reporter report{parsed.file, out};
    recipe_linter{parsed, root, options, report}.run();
    sort_findings(out);
    return out;
}

finding recipe_error_finding(const recipe_error& error) {
    return {severity::error, error.file, error.line, error.column, "recipe", error.problem, {}};
}

std::vector<finding> duplicate_component_findings(const std::vector<recipe>& recipes) {
    std::vector<finding> out;
    for (std::size_t i = 0; i < recipes.size(); ++i) {
        for (std::size_t j = 0; j < i; ++j) {
            if (!ascii_iequals(recipes[i].component_name, recipes[j].component_name)) continue;
            out.push_back({severity::error, recipes[i].file, recipes[i].component_name_line, 0,
                           "duplicate-component",
                           "component " + in_quotes(recipes[i].component_name) +
                               " is already defined in " + recipes[j].file.string() + ":" +
                               std::to_string(recipes[j].component_name_line),
                           "give one of them another ComponentName, or lint them separately"});
            break;
        }
    }
    return out;
}

}  // namespace standin::server::lint
