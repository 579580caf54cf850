// SPDX-License-Identifier: Apache-2.0
// Rules (semantics.md §2.2, §2.3, §2.4, §2.5, §13):
//   * What the nucleus drops or ignores while loading is the authorizer's verdict
//     (policy_diagnostic); lint adds the place in the file and the fix. A dropped part is an error.
//   * Service ids are exact strings: a mis-cased or unknown one drops that service's policies.
//   * Operations are "aws.greengrass#<Op>" or "*", exact strings, registered for the service the
//     operation table gives them; CancelLocalDeployment is registered for none.
//   * pubsub resources are globs in which '+' and '#' are literal characters; in mqttproxy ones
//     '#' is a wildcard only as the last level.
//   * A resource no request of the policy's operations can carry (resource_shapes) never matches.
//   * A policy without operations, or without resources, allows nothing.
//   * Lite: operations it does not serve; its 10,000-byte frames where messages travel.
#include "lint/access_control_lint.hpp"

#include <array>
#include <string>

#include "authz/authorizer.hpp"
#include "authz/recipe_policies.hpp"
#include "authz/resource_pattern.hpp"
#include "lint/lite_support.hpp"
#include "lint/resource_shapes.hpp"
#include "standin/protocol/limits.hpp"
#include "util/yaml_json.hpp"

namespace standin::server::lint::detail {

namespace {

using json = nlohmann::json;
using protocol::ascii_iequals;

// The fields of an accessControl policy (semantics.md §2.1).
constexpr std::array policy_fields = {"policyDescription", "operations", "resources"};

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

class access_control_linter {
public:
    access_control_linter(const recipe& parsed, const YAML::Node& root, lint_target target,
                          reporter& out)
        : recipe_(parsed), root_(root), target_(target), out_(out) {}

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

private:
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
                out_.add(severity::error, where, "malformed-policy", problem + consequence, fix);
                break;
            }
            case kind::service_not_registered:
                unknown_service(d.service_id, where);
                break;
            case kind::operations_missing: {
                const auto ops = covered_operations(d.service_id, any_operation);
                const std::string example =
                    ops.empty() ? std::string{} : std::string{ops.front()->name} + "], or [";
                out_.add(severity::error, where, "allows-nothing",
                         policy + " lists no operations: the nucleus skips it" + consequence,
                         "list operations, e.g. [" + example + "\"*\"] for every operation of " +
                             d.service_id);
                break;
            }
            case kind::empty_policy_id:
                out_.add(severity::error, where, "malformed-policy",
                         "a policy with an empty id makes the nucleus ignore every " + d.service_id +
                             " policy, of every component" + consequence,
                         "give it an id, e.g. \"" + recipe_.component_name + ":1\"");
                break;
            case kind::null_element:
                out_.add(severity::error, where, "malformed-policy",
                         "a null in " + d.field + " is ignored" + consequence,
                         "remove the empty list item");
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
                out_.add(severity::error, where, "malformed-policy",
                         "resource " + in_quotes(text) +
                             " is ignored: " + validate_resource(text).value_or("invalid") + consequence,
                         fix);
                break;
            }
            case kind::no_resources:
                out_.add(severity::error, where, "allows-nothing",
                         policy +
                             " lists no resources, so it allows nothing (every request it names "
                             "carries a resource)",
                         "list the resources it applies to, or [\"*\"]");
                break;
            case kind::no_valid_resource:
                out_.add(severity::error, where, "allows-nothing",
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
        out_.add(severity::error, where, "service-id", problem, fix);
    }

    void unregistered_operation(std::string_view service_id, const std::string& name,
                                std::pair<int, int> where) {
        const std::string prefix{model::namespace_prefix};
        const model::operation_info* op = model::find_operation(name);
        if (!op && !name.starts_with(prefix)) {
            if (const auto* prefixed = model::find_operation(prefix + name)) {
                out_.add(severity::error, where, "operation",
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
            out_.add(
                severity::error, where, "operation",
                "operation " + in_quotes(name) + " is not an IPC operation (names are case-sensitive)",
                fix);
            return;
        }
        if (!op->auth.checks_policy()) {
            out_.add(severity::warning, where, "operation",
                     in_quotes(name) +
                         " is never authorized by policy: the nucleus allows it to every "
                         "component, or only to fixed callers",
                     "remove it");
        } else if (op->auth.service_id != service_id) {
            out_.add(severity::error, where, "operation",
                     in_quotes(name) + " is authorized under service " + in_quotes(op->auth.service_id) +
                         ", not " + in_quotes(service_id),
                     "move it to a policy under " + in_quotes(op->auth.service_id));
        } else {
            out_.add(
                severity::error, where, "operation",
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
        out_.add(severity::warning, where, "mqtt-wildcard",
                 "in aws.greengrass.ipc.pubsub policies '+' and '#' are literal characters: " +
                     in_quotes(resource) + " matches only the topic filter " + in_quotes(resource) +
                     " itself, not the topics it names",
                 "write " + in_quotes(suggestion) + " ('*' matches any characters, '/' included)");
    }

    // In mqttproxy policies '#' is a wildcard only as the whole last level (semantics.md §2.3).
    void inner_multi_level(const std::string& resource, std::pair<int, int> where) {
        for (std::size_t i = 0; i + 1 < resource.size(); ++i) {
            if (resource[i] == '#' && (i == 0 || resource[i - 1] == '/') && resource[i + 1] == '/') {
                out_.add(severity::warning, where, "mqtt-wildcard",
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
        out_.add(severity::error, where, "resource-never-matches",
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
                out_.add(severity::note, where, "recipe-variable",
                         "{iot:thingName} in accessControl is replaced only when the nucleus's "
                         "interpolateComponentConfiguration is true (default false); otherwise it "
                         "stays literal text",
                         "set interpolateComponentConfiguration: true on the nucleus, and run "
                         "standin serve (and standin policy check) with "
                         "--interpolate-component-configuration");
            } else if (ascii_iequals(variable, "iot:thingName")) {
                out_.add(severity::warning, where, "recipe-variable",
                         "{" + variable +
                             "} is not a recipe variable (keys are case-sensitive) and "
                             "stays literal text",
                         "write {iot:thingName}");
            } else if (variable.starts_with("configuration:")) {
                out_.add(severity::warning, where, "recipe-variable",
                         "{" + variable +
                             "} is not replaced in configuration (only in lifecycle "
                             "scripts) and stays literal text");
            }
        }
    }

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
            out_.add(severity::error, where, "lite-operation",
                     "nucleus lite does not serve " + listed + ": the component's call fails there",
                     "keep this component on the Java nucleus, or do without " + missing + " on lite");
        } else if (served.empty()) {
            out_.add(severity::error, where, "lite-operation",
                     "nucleus lite serves none of " + std::string{service_id} + "'s operations (" +
                         missing + ")",
                     "keep this component on the Java nucleus");
        } else {
            out_.add(
                severity::note, where, "lite-operation",
                "of " + std::string{service_id} + "'s operations nucleus lite serves only " + served);
        }
    }

    void lite_frame_note(std::string_view service_id, const access_control_places& places) {
        if (service_id != model::service_ids::pubsub && service_id != model::service_ids::mqttproxy)
            return;
        out_.add(severity::note, places.of(service_id, std::nullopt, {}, std::nullopt),
                 "lite-frame-size",
                 "nucleus lite limits every IPC frame, headers included, to " +
                     std::to_string(protocol::lite_max_frame_size) +
                     " bytes: a larger message (JSON text, or base64 of binary) fails there",
                 "run standin serve --profile lite to test with lite's limit");
    }

    bool lite_target() const { return target_ == lint_target::lite; }

    const recipe& recipe_;
    const YAML::Node& root_;
    lint_target target_;
    reporter& out_;
};

}  // namespace

void lint_access_control(const recipe& parsed, const YAML::Node& root, lint_target target,
                         reporter& out) {
    access_control_linter{parsed, root, target, out}.access_control();
}

}  // namespace standin::server::lint::detail
