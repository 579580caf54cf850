// SPDX-License-Identifier: Apache-2.0
// Rules (semantics.md §2.2, §2.3, §2.4, §2.5, §10, §13):
//   accessControl
//   * What the nucleus drops or ignores while loading is the authorizer's verdict
//     (policy_diagnostic); lint adds the place in the file and the fix. A dropped part is an error.
//   * Service ids are exact strings: a mis-cased or unknown one drops that service's policies.
//   * Operations are "aws.greengrass#<Op>" or "*", exact strings, registered for the service the
//     operation table gives them; CancelLocalDeployment is registered for none.
//   * pubsub resources are globs in which '+' and '#' are literal characters.
//   * A resource no request of the policy's operations can carry (resource_shapes) never matches.
//   * A policy without operations, or without resources, allows nothing.
//   Recipe keys
//   * The recipe parser's warnings (unknown properties with a suggestion), plus lifecycle step and
//     step property names and Artifacts properties, which it does not check.
//   --target lite
//   * Operations lite does not serve; its 10,000-byte frames; Shutdown, Recover and Bootstrap
//     steps, Skipif; a manifest with Platform runtime "aws_nucleus_lite" or "*"; generic
//     components only; no Platform regexes, no docker artifacts; plugin components it lacks.
#include "lint/recipe_lint.hpp"

#include <algorithm>
#include <array>
#include <optional>
#include <set>
#include <string>
#include <utility>

#include <yaml-cpp/yaml.h>
#include <nlohmann/json.hpp>

#include "authz/authorizer.hpp"
#include "authz/recipe_policies.hpp"
#include "authz/resource_pattern.hpp"
#include "lint/lite_support.hpp"
#include "lint/resource_shapes.hpp"
#include "standin/model/operations.hpp"
#include "standin/protocol/limits.hpp"
#include "standin/protocol/message.hpp"
#include "util/yaml_json.hpp"

namespace standin::server::lint {

namespace {

using json = nlohmann::json;
using protocol::ascii_iequals;

// Recipe format facts lint checks that the recipe parser leaves alone (semantics.md §10).
constexpr std::array lifecycle_steps = {"Setenv",   "Install", "Startup",  "Run",
                                        "Shutdown", "Recover", "Bootstrap"};
constexpr std::array step_properties = {"Script", "RequiresPrivilege", "Skipif", "Timeout", "Setenv"};
constexpr std::array artifact_properties = {"Uri", "Unarchive", "Permission", "Digest", "Algorithm"};
constexpr std::array permission_properties = {"Read", "Execute"};
// The fields of an accessControl policy (semantics.md §2.1).
constexpr std::array policy_fields = {"policyDescription", "operations", "resources"};
// Steps nucleus lite does not run (field.md §1.1.2).
constexpr std::array lite_missing_steps = {"Shutdown", "Recover", "Bootstrap"};

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

// The candidate equal to `name` ignoring case, else the nearest within a few edits, else nullopt.
template <class Range>
std::optional<std::string> closest(std::string_view name, const Range& candidates) {
    std::optional<std::string> best;
    std::size_t best_distance = std::max<std::size_t>(3, name.size() / 4) + 1;
    for (const auto& candidate : candidates) {
        const std::string_view c{candidate};
        if (ascii_iequals(c, name)) return std::string{c};
        const std::size_t d = edit_distance(name, c);
        if (d < best_distance) {
            best_distance = d;
            best = std::string{c};
        }
    }
    return best;
}

template <class Range>
const char* canonical(std::string_view name, const Range& names) {
    for (const char* known : names) {
        if (ascii_iequals(name, known)) return known;
    }
    return nullptr;
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

// The operations a policy of `service_id` listing `operation` ("*" or a name) can allow.
std::vector<const model::operation_info*> covered_operations(std::string_view service_id,
                                                             std::string_view operation) {
    std::vector<const model::operation_info*> out;
    for (const auto& op : model::greengrass_operations()) {
        if (op.auth.service_id != service_id || !op.auth.registered) continue;
        if (operation == any_operation || operation == op.name) out.push_back(&op);
    }
    return out;
}

// ---- YAML navigation ------------------------------------------------------------------------

struct yaml_entry {
    YAML::Node key;
    YAML::Node value;
};

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

// The text of a JSON list element or scalar, as the authorizer reads it.
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

// Positions inside the accessControl of the recipe's source.
class access_control_places {
public:
    access_control_places(YAML::Node key, YAML::Node value)
        : key_(std::move(key)), value_(std::move(value)) {}

    // The most specific node of the path that exists: the element, the field, the policy, the
    // service, or accessControl itself.
    std::pair<int, int> of(std::string_view service_id, const std::optional<std::string>& policy_id,
                           std::string_view field, std::optional<std::size_t> index) const {
        auto where = yaml_position(key_);
        if (service_id.empty()) return where;
        const auto service = find_entry(value_, service_id, false);
        if (!service) return where;
        where = yaml_position(service->key);
        if (!policy_id) return where;
        const auto policy = find_entry(service->value, *policy_id, false);
        if (!policy) return where;
        where = yaml_position(policy->key);
        if (field.empty()) return where;
        const auto list = find_entry(policy->value, field, true);
        if (!list) return where;
        where = yaml_position(list->key);
        if (index && list->value.IsSequence() && *index < list->value.size())
            where = yaml_position(list->value[*index]);
        return where;
    }

private:
    YAML::Node key_;
    YAML::Node value_;
};

// ---- the checks -------------------------------------------------------------------------------

class linter {
public:
    linter(const recipe& parsed, const YAML::Node& root, const lint_options& options,
           std::vector<finding>& out)
        : recipe_(parsed), root_(root), options_(options), out_(out) {}

    void run() {
        recipe_warnings();
        lifecycle_keys();
        artifact_keys();
        access_control();
        if (options_.target == lint_target::lite) lite();
    }

private:
    bool lite_target() const { return options_.target == lint_target::lite; }

    void add(severity level, std::pair<int, int> where, std::string check, std::string problem,
             std::string fix = {}) {
        out_.push_back({level, recipe_.file, where.first, where.second, std::move(check),
                        std::move(problem), std::move(fix)});
    }
    void add(severity level, const YAML::Node& at, std::string check, std::string problem,
             std::string fix = {}) {
        add(level, yaml_position(at), std::move(check), std::move(problem), std::move(fix));
    }

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
                add(severity::warning, where, "recipe", text);
                continue;
            }
            std::string fix = "remove it, or move it where the recipe format has it";
            constexpr std::string_view hint = " (did you mean '";
            if (const auto h = text.find(hint); h != std::string::npos) {
                const auto end = text.find("'?)", h + hint.size());
                fix = "rename it to '" + text.substr(h + hint.size(), end - h - hint.size()) + "'";
                text.erase(h);
            }
            add(severity::warning, where, "unknown-key", text + " by the nucleus", fix);
        }
    }

    // ---- lifecycle and artifacts ----

    void unknown_key(const YAML::Node& key, std::string_view what, const auto& known) {
        const std::string name = key_text(key);
        std::string fix = "remove it";
        if (auto near = closest(name, known)) fix = "rename it to '" + *near + "'";
        add(severity::warning, key, "unknown-key",
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
                add(severity::error, entry.first, "lite-lifecycle",
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
                add(severity::error, entry.first, "lite-skipif",
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
                        add(severity::error, entry.second, "lite-artifact",
                            "nucleus lite does not support docker artifacts");
                    }
                }
            }
        }
    }

    // ---- accessControl ----

    void access_control() {
        const auto configuration = find_entry(root_, "ComponentConfiguration", true);
        const auto defaults = configuration
                                  ? find_entry(configuration->value, "DefaultConfiguration", true)
                                  : std::nullopt;
        const auto ac_node =
            defaults ? find_entry(defaults->value, "accessControl", true) : std::nullopt;
        const json* ac = find_access_control(recipe_.default_configuration);
        if (!ac_node || !ac) return;
        const access_control_places places{ac_node->key, ac_node->value};

        json parsed_string;
        if (ac->is_string()) {
            parsed_string = json::parse(ac->get<std::string>(), nullptr, false);
            ac = &parsed_string;
        }

        authorizer authz;
        register_nucleus_services(authz);
        std::vector<policy_diagnostic> diagnostics;
        load_component_policies(authz, recipe_.component_name, recipe_.default_configuration,
                                diagnostics);
        for (const auto& d : diagnostics)
            diagnostic(d, *ac, places);

        if (!ac->is_object()) return;
        for (const auto& [service_id, policies] : ac->items()) {
            if (!authz.is_registered(service_id) || !policies.is_object()) continue;
            if (lite_target()) lite_frame_note(service_id, places);
            for (const auto& [policy_id, body] : policies.items())
                policy_checks(service_id, policy_id, body, places);
        }
    }

    static const json* element(const json& ac, const policy_diagnostic& d) {
        if (!ac.is_object() || !d.policy_id) return nullptr;
        const auto service = ac.find(d.service_id);
        if (service == ac.end() || !service->is_object()) return nullptr;
        const auto policy = service->find(*d.policy_id);
        if (policy == service->end()) return nullptr;
        const json* list = find_field(*policy, d.field);
        if (!list || !list->is_array() || !d.index || *d.index >= list->size()) return nullptr;
        return &(*list)[*d.index];
    }

    void diagnostic(const policy_diagnostic& d, const json& ac, const access_control_places& places) {
        using kind = policy_diagnostic::kind;
        const auto where = places.of(d.service_id, d.policy_id, d.field, d.index);
        const std::string policy = d.policy_id ? "policy " + in_quotes(*d.policy_id) : std::string{};
        // Lite fails the whole deployment where the Java nucleus only logs (semantics.md §13).
        const std::string consequence =
            lite_target() ? " (nucleus lite fails the deployment)" : std::string{};
        switch (d.what) {
            case kind::unreadable: {
                std::string problem = d.text.substr(d.text.find(": ") + 2);
                std::string fix;
                if (!d.field.empty() && !canonical(d.field, policy_fields)) {
                    fix = "a policy has only policyDescription, operations and resources";
                    if (auto near = closest(d.field, policy_fields))
                        fix = "rename it to '" + *near + "'";
                } else if (!d.field.empty()) {
                    fix = "make " + d.field + " a list of strings";
                }
                add(severity::error, where, "malformed-policy", problem + consequence, fix);
                break;
            }
            case kind::service_not_registered:
                unknown_service(d.service_id, where);
                break;
            case kind::operations_missing: {
                const auto ops = covered_operations(d.service_id, any_operation);
                const std::string example =
                    ops.empty() ? std::string{} : std::string{ops.front()->name} + "], or [";
                add(severity::error, where, "allows-nothing",
                    policy + " lists no operations: the nucleus skips it" + consequence,
                    "list operations, e.g. [" + example + "\"*\"] for every operation of " +
                        d.service_id);
                break;
            }
            case kind::empty_policy_id:
                add(severity::error, where, "malformed-policy",
                    "a policy with an empty id makes the nucleus ignore every " + d.service_id +
                        " policy, of every component" + consequence,
                    "give it an id, e.g. \"" + recipe_.component_name + ":1\"");
                break;
            case kind::null_element:
                add(severity::error, where, "malformed-policy",
                    "a null in " + d.field + " is ignored" + consequence, "remove the empty list item");
                break;
            case kind::operation_not_registered:
                if (const json* op = element(ac, d)) {
                    if (auto text = text_of(*op)) unregistered_operation(d.service_id, *text, where);
                }
                break;
            case kind::resource_invalid: {
                const json* resource = element(ac, d);
                const std::string text = resource ? text_of(*resource).value_or("") : std::string{};
                std::string fix = "use ${*}, ${$} or ${?} for a literal '*', '$' or '?'";
                if (text.find("${iot:") != std::string::npos)
                    fix = "write {iot:thingName}, without the '$' (recipe variables have no '$')";
                add(severity::error, where, "malformed-policy",
                    "resource " + in_quotes(text) +
                        " is ignored: " + validate_resource(text).value_or("invalid") + consequence,
                    fix);
                break;
            }
            case kind::no_resources:
                add(severity::error, where, "allows-nothing",
                    policy +
                        " lists no resources, so it allows nothing (every request it names "
                        "carries a resource)",
                    "list the resources it applies to, or [\"*\"]");
                break;
            case kind::no_valid_resource:
                add(severity::error, where, "allows-nothing",
                    policy + " has no valid resource left, so it allows nothing");
                break;
        }
    }

    void unknown_service(const std::string& id, std::pair<int, int> where) {
        const auto ids = service_ids();
        const auto near = closest(id, ids);
        std::string problem = "service id " + in_quotes(id) +
                              " is not an IPC service: the nucleus ignores "
                              "its policies";
        std::string fix;
        if (near && ascii_iequals(*near, id)) {
            problem = "service id " + in_quotes(id) +
                      " is mis-cased: service ids are case-sensitive, so the nucleus ignores its "
                      "policies";
            fix = "write " + in_quotes(*near);
        } else if (near) {
            fix = "did you mean " + in_quotes(*near) + "?";
        } else {
            fix = "use one of";
            for (const auto s : ids)
                fix += " " + std::string{s};
        }
        if (const auto* op = model::find_operation(id); op && op->auth.checks_policy())
            fix = "an operation is not a service id: put it under " + in_quotes(op->auth.service_id);
        add(severity::error, where, "service-id", problem, fix);
    }

    void unregistered_operation(std::string_view service_id, const std::string& name,
                                std::pair<int, int> where) {
        const std::string prefix{model::namespace_prefix};
        const model::operation_info* op = model::find_operation(name);
        if (!op && !name.starts_with(prefix)) {
            if (const auto* prefixed = model::find_operation(prefix + name)) {
                add(severity::error, where, "operation",
                    "operation " + in_quotes(name) + " lacks the " + in_quotes(prefix) +
                        " prefix, so it never matches a request",
                    "write " + in_quotes(prefixed->name));
                return;
            }
        }
        if (!op) {
            const auto names = operation_names();
            auto near = closest(name.starts_with(prefix) ? name : prefix + name, names);
            std::string fix = near ? "did you mean " + in_quotes(*near) + "?"
                                   : std::string{"see the operations of "} + std::string{service_id};
            add(severity::error, where, "operation",
                "operation " + in_quotes(name) + " is not an IPC operation (names are case-sensitive)",
                fix);
            return;
        }
        if (!op->auth.checks_policy()) {
            add(severity::warning, where, "operation",
                in_quotes(name) +
                    " is never authorized by policy: the nucleus allows it to every "
                    "component, or only to fixed callers",
                "remove it");
        } else if (op->auth.service_id != service_id) {
            add(severity::error, where, "operation",
                in_quotes(name) + " is authorized under service " + in_quotes(op->auth.service_id) +
                    ", not " + in_quotes(service_id),
                "move it to a policy under " + in_quotes(op->auth.service_id));
        } else {
            add(severity::error, where, "operation",
                "the nucleus does not register " + in_quotes(name) + " for " + in_quotes(service_id) +
                    ", so no policy can allow it (only the Greengrass CLI's own clients may call it)",
                "remove it");
        }
    }

    void policy_checks(const std::string& service_id, const std::string& policy_id, const json& body,
                       const access_control_places& places) {
        const json* operations = find_field(body, "operations");
        const json* resources = find_field(body, "resources");
        if (!operations || !operations->is_array()) return;

        std::vector<const model::operation_info*> covered;
        for (std::size_t i = 0; i < operations->size(); ++i) {
            const auto name = text_of((*operations)[i]);
            if (!name) continue;
            const auto ops = covered_operations(service_id, *name);
            covered.insert(covered.end(), ops.begin(), ops.end());
            if (lite_target() && !ops.empty())
                lite_operations_check(service_id, *name, ops,
                                      places.of(service_id, policy_id, "operations", i));
        }
        if (!resources || !resources->is_array()) return;
        for (std::size_t i = 0; i < resources->size(); ++i) {
            const auto text = text_of((*resources)[i]);
            if (!text || validate_resource(*text)) continue;  // the authorizer's findings
            const auto where = places.of(service_id, policy_id, "resources", i);
            if (service_id == model::service_ids::pubsub) mqtt_wildcards(*text, where);
            if (service_id == model::service_ids::mqttproxy) inner_multi_level(*text, where);
            // Without a valid operation the operation findings say it all.
            if (!covered.empty()) never_matches(*text, covered, where);
            recipe_variables(*text, where);
        }
    }

    void mqtt_wildcards(const std::string& resource, std::pair<int, int> where) {
        std::string suggestion;
        bool wildcard = false;
        for (std::size_t i = 0; i < resource.size(); ++i) {
            const char c = resource[i];
            const bool whole_level = (i == 0 || resource[i - 1] == '/') &&
                                     (i + 1 == resource.size() || resource[i + 1] == '/');
            if ((c == '+' || c == '#') && whole_level) {
                wildcard = true;
                suggestion += '*';
            } else {
                suggestion += c;
            }
        }
        if (!wildcard) return;
        add(severity::warning, where, "mqtt-wildcard",
            "in aws.greengrass.ipc.pubsub policies '+' and '#' are literal characters: " +
                in_quotes(resource) + " matches only the topic filter " + in_quotes(resource) +
                " itself, not the topics it names",
            "write " + in_quotes(suggestion) + " ('*' matches any characters, '/' included)");
    }

    // In mqttproxy policies '#' is a wildcard only as the whole last level (semantics.md §2.3).
    void inner_multi_level(const std::string& resource, std::pair<int, int> where) {
        for (std::size_t i = 0; i + 1 < resource.size(); ++i) {
            if (resource[i] == '#' && (i == 0 || resource[i - 1] == '/') && resource[i + 1] == '/') {
                add(severity::warning, where, "mqtt-wildcard",
                    "'#' is a wildcard only as the last level: in " + in_quotes(resource) +
                        " it is a literal character",
                    "end the pattern with '/#', or use '+' for one level");
                return;
            }
        }
    }

    void never_matches(const std::string& resource,
                       const std::vector<const model::operation_info*>& covered,
                       std::pair<int, int> where) {
        std::vector<std::string> descriptions;
        std::string names;
        for (const auto* op : covered) {
            const auto shape = resource_shape_of(op->auth);
            if (!shape || glob_can_match(resource, *shape)) return;  // some request can match
            if (std::find(descriptions.begin(), descriptions.end(), shape->description) ==
                descriptions.end())
                descriptions.push_back(shape->description);
            names += (names.empty() ? "" : ", ") + std::string{op->short_name()};
        }
        std::string against;
        for (const auto& d : descriptions)
            against += (against.empty() ? "" : "; or ") + d;
        add(severity::error, where, "resource-never-matches",
            "resource " + in_quotes(resource) + " can never match: " + names +
                (covered.size() == 1 ? " is" : " are") + " authorized against " + against,
            fix_for(resource, *covered.front()));
    }

    static std::string fix_for(const std::string& resource, const model::operation_info& op) {
        using model::resource_rule;
        switch (op.auth.resource) {
            case resource_rule::any:
                return "write \"*\"";
            case resource_rule::secret_arn:
                if (resource.find(':') == std::string::npos && resource.find('*') == std::string::npos)
                    return "write \"arn:aws:secretsmanager:*:*:secret:" + resource +
                           "-*\" (policies see the secret's ARN, whose name ends in a 6-character "
                           "suffix)";
                return "write an ARN glob, e.g. \"arn:aws:secretsmanager:*:*:secret:<name>-*\"";
            case resource_rule::shadow_path: {
                const auto shadow = resource.find("/shadow/");
                if (shadow != std::string::npos && resource.compare(shadow + 8, 5, "name/") != 0) {
                    return "write " + in_quotes(resource.substr(0, shadow + 8) + "name/" +
                                                resource.substr(shadow + 8));
                }
                return "write \"$aws/things/{iot:thingName}/shadow\" or "
                       "\"$aws/things/<thing>/shadow/name/<shadow>\"";
            }
            case resource_rule::member:
                if (op.auth.member == "thingName")
                    return "write the thing name alone, e.g. \"{iot:thingName}\" or \"*\"";
                return "write a " + std::string{op.auth.member} + ", or a glob of them";
            default:
                return {};
        }
    }

    void recipe_variables(const std::string& resource, std::pair<int, int> where) {
        for (std::size_t open = resource.find('{'); open != std::string::npos;
             open = resource.find('{', open + 1)) {
            if (open > 0 && resource[open - 1] == '$') continue;  // an escape, validated already
            const auto close = resource.find('}', open);
            if (close == std::string::npos) return;
            const std::string variable = resource.substr(open + 1, close - open - 1);
            if (variable.find(':') == std::string::npos) continue;
            if (variable == "iot:thingName") {
                add(severity::note, where, "recipe-variable",
                    "{iot:thingName} in accessControl is replaced only when the nucleus's "
                    "interpolateComponentConfiguration is true (default false); otherwise it "
                    "stays literal text");
            } else if (ascii_iequals(variable, "iot:thingName")) {
                add(severity::warning, where, "recipe-variable",
                    "{" + variable +
                        "} is not a recipe variable (keys are case-sensitive) and "
                        "stays literal text",
                    "write {iot:thingName}");
            } else if (variable.starts_with("configuration:")) {
                add(severity::warning, where, "recipe-variable",
                    "{" + variable +
                        "} is not replaced in configuration (only in lifecycle "
                        "scripts) and stays literal text");
            }
        }
    }

    // ---- nucleus lite ----

    void lite_operations_check(std::string_view service_id, const std::string& listed,
                               const std::vector<const model::operation_info*>& ops,
                               std::pair<int, int> where) {
        std::string served, missing;
        for (const auto* op : ops) {
            auto& into = lite_serves(op->name) ? served : missing;
            into += (into.empty() ? "" : ", ") + std::string{op->short_name()};
        }
        if (missing.empty()) return;
        if (listed != any_operation) {
            add(severity::error, where, "lite-operation",
                "nucleus lite does not serve " + listed + ": the component's call fails there",
                "keep this component on the Java nucleus, or do without " + missing + " on lite");
        } else if (served.empty()) {
            add(severity::error, where, "lite-operation",
                "nucleus lite serves none of " + std::string{service_id} + "'s operations (" + missing +
                    ")",
                "keep this component on the Java nucleus");
        } else {
            add(severity::note, where, "lite-operation",
                "of " + std::string{service_id} + "'s operations nucleus lite serves only " + served);
        }
    }

    void lite_frame_note(std::string_view service_id, const access_control_places& places) {
        if (service_id != model::service_ids::pubsub && service_id != model::service_ids::mqttproxy)
            return;
        add(severity::note, places.of(service_id, std::nullopt, {}, std::nullopt), "lite-frame-size",
            "nucleus lite limits every IPC frame, headers included, to " +
                std::to_string(protocol::lite_max_frame_size) +
                " bytes: a larger message (JSON text, or base64 of binary) fails there",
            "run standin serve --profile lite to test with lite's limit");
    }

    void lite() {
        if (recipe_.component_type != lite_component_type) {
            const auto type = find_entry(root_, "ComponentType", true);
            add(severity::error, type ? type->value : root_, "lite-component-type",
                "nucleus lite runs only " + std::string{lite_component_type} + " components, not " +
                    recipe_.component_type);
        }

        // GetConfiguration answers with the whole configuration in one frame.
        const std::size_t configuration_bytes = recipe_.default_configuration.dump().size();
        if (configuration_bytes > protocol::lite_max_frame_size) {
            const auto configuration = find_entry(root_, "ComponentConfiguration", true);
            add(severity::warning, configuration ? configuration->key : root_, "lite-frame-size",
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
                    add(severity::error, entry.first, "lite-dependency",
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
                    add(severity::error, value, "lite-platform",
                        "nucleus lite does not evaluate Platform regexes", "write the value itself");
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
            add(severity::error, manifests->key, "lite-runtime",
                "no manifest has Platform runtime \"aws_nucleus_lite\" or \"*\": nucleus lite "
                "selects none and the deployment fails",
                "add runtime: \"*\" to the Platform of a manifest (\"aws_nucleus_lite\" for lite "
                "only)");
        }
    }

    const recipe& recipe_;
    const YAML::Node& root_;
    const lint_options& options_;
    std::vector<finding>& out_;
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
    linter{parsed, root, options, out}.run();
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
