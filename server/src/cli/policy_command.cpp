// SPDX-License-Identifier: Apache-2.0
// The verdict is the dispatcher's: the operation's table row (caller rule, trusted callers, service
// id, resource rule), then the authorizer loaded from the recipes as the daemon loads it. What is
// added here is the telling: which policy decided, why each other one did not, and the smallest
// accessControl that would allow the request.
#include "cli/policy_command.hpp"

#include <iostream>
#include <map>
#include <memory>

#include <nlohmann/json.hpp>

#include "authz/authorizer.hpp"
#include "authz/recipe_policies.hpp"
#include "lifecycle/configuration_variables.hpp"
#include "recipes/recipe.hpp"
#include "standin/model/operations.hpp"

namespace standin::server {

namespace {

using json = nlohmann::ordered_json;

const model::operation_info* find_by_any_name(std::string_view name) {
    if (const auto* op = model::find_operation(name)) return op;
    for (const auto& op : model::greengrass_operations()) {
        if (op.short_name() == name) return &op;
    }
    return nullptr;
}

std::string as_literal(std::string_view s) {
    return json(std::string{s}).dump();  // JSON strings are valid YAML double-quoted scalars
}

// "aws.greengrass.ipc.pubsub" -> "pubsub", "aws.greengrass.SecretManager" -> "SecretManager".
std::string_view last_segment(std::string_view service_id) {
    const auto dot = service_id.rfind('.');
    return dot == std::string_view::npos ? service_id : service_id.substr(dot + 1);
}

std::string fix_snippet(const authorizer& authz, const std::string& component,
                        const model::operation_info& op, const std::optional<std::string>& resource) {
    std::size_t own = 0;
    for (const auto& p : authz.component_policies(component)) {
        if (p->service_id == op.auth.service_id) ++own;
    }
    const std::string policy_id =
        component + ":" + std::string{last_segment(op.auth.service_id)} + ":" + std::to_string(own + 1);
    std::string out;
    out += "ComponentConfiguration:\n";
    out += "  DefaultConfiguration:\n";
    out += "    accessControl:\n";
    out += "      " + as_literal(op.auth.service_id) + ":\n";
    out += "        " + as_literal(policy_id) + ":\n";
    out += "          policyDescription: " +
           as_literal("Allows " + std::string{op.short_name()} + (resource ? " on " + *resource : "")) +
           "\n";
    out += "          operations:\n";
    out += "            - " + as_literal(op.name) + "\n";
    out += "          resources:\n";
    out += "            - " + as_literal(resource.value_or("*")) + "\n";
    return out;
}

// Why `p` did not allow `resource`, in words, with the point where a pattern stopped matching.
std::string miss_detail(const authz_miss& miss, const std::optional<std::string>& resource) {
    const policy& p = *miss.by;
    std::string out = to_string(miss.reason);
    switch (miss.reason) {
        case miss_reason::operation_not_listed: {
            out += ": lists";
            for (const auto& o : p.operations)
                out += " " + as_literal(o);
            break;
        }
        case miss_reason::no_resource_matched: {
            if (!resource) break;
            for (const auto& pattern : p.resources) {
                const auto at = pattern.mismatch_offset(*resource);
                out += "; " + std::string{to_string(pattern.syntax())} + " pattern " +
                       as_literal(pattern.text());
                if (!at) continue;
                if (*at >= resource->size()) {
                    out += " wants more after the whole resource";
                } else {
                    out += " fails at character " + std::to_string(*at + 1) + ", " +
                           as_literal(resource->substr(*at, 1));
                    if (*at > 0) out += ", after " + as_literal(resource->substr(0, *at));
                }
            }
            break;
        }
        default:
            break;
    }
    return out;
}

struct verdict {
    bool allowed = false;
    std::string reason;   // one line
    std::string message;  // the UnauthorizedError message when denied
    std::shared_ptr<const policy> decided_by;
    std::string pattern;                  // the resource pattern that matched
    std::vector<authz_miss> own_misses;   // the caller's policies for the service
    std::vector<authz_miss> would_allow;  // other components' policies that match the request
    std::string fix;
    bool by_policy = false;  // decided by the policies (not by a caller rule or the table)
};

verdict decide(const authorizer& authz, const std::string& component, const model::operation_info& op,
               const std::optional<std::string>& resource) {
    verdict v;
    const auto& auth = op.auth;
    if (!auth.caller.admits(component)) {
        v.message = auth.caller.denial_for(component);
        v.reason = std::string{op.short_name()} + " admits only callers " +
                   (auth.caller.match == model::caller_rule::kind::prefix ? "whose name starts with "
                                                                          : "named ") +
                   as_literal(auth.caller.text) + ", whatever the policies say";
        return v;
    }
    if (!auth.checks_policy()) {
        v.allowed = true;
        v.reason = std::string{op.short_name()} + " needs no authorization: every component may call it";
        return v;
    }
    if (auth.trusted.trusts(component)) {
        v.allowed = true;
        v.reason = as_literal(component) + " is trusted by " + std::string{auth.service_id} +
                   ": no policy is checked";
        return v;
    }
    const auto decision =
        authz.check({std::string{auth.service_id}, component, std::string{op.name}, resource});
    v.by_policy = true;
    v.allowed = decision.allowed;
    v.message = auth.denial.empty() ? decision.message : std::string{auth.denial};
    if (decision.allowed) {
        v.decided_by = decision.grant->by;
        if (const auto* p = decision.grant->pattern()) v.pattern = p->text();
        v.reason = "allowed by policy " + as_literal(v.decided_by->policy_id) + " of " +
                   as_literal(v.decided_by->component);
        return v;
    }
    v.reason = std::string{to_string(decision.status)};
    for (const auto& miss : decision.misses) {
        if (miss.by->component == component) {
            v.own_misses.push_back(miss);
        } else if (miss.reason == miss_reason::other_principal) {
            // Would it allow the request, were it the caller's? Then it is most likely in the
            // wrong recipe: policies grant only the component that declares them.
            const bool lists =
                miss.by->lists_operation(op.name) || miss.by->lists_operation(any_operation);
            bool matches = !resource && miss.by->grants_without_resource();
            for (const auto& pattern : miss.by->resources)
                matches = matches || (resource && pattern.matches(*resource));
            if (lists && matches) v.would_allow.push_back(miss);
        }
    }
    if (!decision.disabled_by.empty()) {
        v.reason += "; every policy for " + std::string{auth.service_id} +
                    " is ignored: a policy with an empty id in";
        for (const auto& c : decision.disabled_by)
            v.reason += " " + as_literal(c);
    }
    if (decision.status == authz_status::not_authorized)
        v.fix = fix_snippet(authz, component, op, resource);
    return v;
}

json to_json(const verdict& v, const std::string& component, const model::operation_info& op,
             const std::optional<std::string>& resource,
             const std::map<std::string, std::string>& files) {
    json out;
    out["decision"] = v.allowed ? "ALLOWED" : "DENIED";
    out["component"] = component;
    out["serviceId"] = std::string{op.auth.service_id};
    out["operation"] = std::string{op.name};
    out["resource"] = resource ? json(*resource) : json(nullptr);
    out["reason"] = v.reason;
    if (!v.allowed) out["message"] = v.message;
    if (v.decided_by) {
        out["policy"] = {{"component", v.decided_by->component},
                         {"policyId", v.decided_by->policy_id},
                         {"resourcePattern", v.pattern}};
        if (const auto it = files.find(v.decided_by->component); it != files.end())
            out["policy"]["file"] = it->second;
    }
    auto misses = json::array();
    for (const auto& m : v.own_misses)
        misses.push_back({{"component", m.by->component},
                          {"policyId", m.by->policy_id},
                          {"reason", miss_detail(m, resource)}});
    out["considered"] = std::move(misses);
    auto elsewhere = json::array();
    for (const auto& m : v.would_allow)
        elsewhere.push_back({{"component", m.by->component}, {"policyId", m.by->policy_id}});
    out["wouldAllowIfDeclaredByTheCaller"] = std::move(elsewhere);
    if (!v.fix.empty()) out["fix"] = v.fix;
    return out;
}

void print_text(const verdict& v, const std::string& component, const model::operation_info& op,
                const std::optional<std::string>& resource,
                const std::map<std::string, std::string>& files, std::ostream& out) {
    const auto where = [&](const std::string& c) {
        const auto it = files.find(c);
        return it == files.end() ? std::string{} : " (" + it->second + ")";
    };
    out << (v.allowed ? "ALLOWED" : "DENIED") << "  " << component << "  "
        << (op.auth.service_id.empty() ? std::string{} : std::string{op.auth.service_id} + ":")
        << op.name;
    if (resource) out << "  on " << as_literal(*resource);
    out << "\n  " << v.reason << "\n";
    if (v.decided_by) {
        out << "  policy " << as_literal(v.decided_by->policy_id) << where(v.decided_by->component);
        if (!v.pattern.empty()) out << ", resource pattern " << as_literal(v.pattern);
        out << "\n";
    }
    if (v.allowed) return;
    if (!v.message.empty())
        out << "  the component gets: UnauthorizedError " << as_literal(v.message) << "\n";
    if (v.by_policy && v.own_misses.empty()) {
        out << "  " << component << " has no policy for " << op.auth.service_id << where(component)
            << "\n";
    }
    for (const auto& m : v.own_misses) {
        out << "  - policy " << as_literal(m.by->policy_id) << ": " << miss_detail(m, resource) << "\n";
    }
    for (const auto& m : v.would_allow) {
        out << "  note: policy " << as_literal(m.by->policy_id) << " of " << as_literal(m.by->component)
            << where(m.by->component)
            << " would allow this, but a policy grants only the component that "
            << "declares it\n";
    }
    if (!v.fix.empty()) {
        out << "  to allow it, add to the recipe of " << component << where(component) << ":\n";
        std::size_t start = 0;
        while (start < v.fix.size()) {
            const auto nl = v.fix.find('\n', start);
            out << "    " << v.fix.substr(start, nl - start) << "\n";
            start = nl + 1;
        }
    }
}

}  // namespace

int run_policy_check(const policy_check_request& request, std::ostream& out, std::ostream& err) {
    const auto* op = find_by_any_name(request.operation);
    if (op == nullptr) {
        err << "standin policy check: " << request.operation
            << " is not an operation of the Greengrass IPC model (for example PublishToTopic)\n";
        return policy_usage_error;
    }
    std::optional<std::string> resource = request.resource;
    if (!resource) {
        switch (op->auth.resource) {
            case model::resource_rule::any:
                resource = "*";
                break;
            case model::resource_rule::none:
                break;
            default:
                if (op->auth.trusted.trusts(request.component) ||
                    !op->auth.caller.admits(request.component))
                    break;
                err << "standin policy check: " << op->short_name() << " is authorized against "
                    << (op->auth.resource == model::resource_rule::member
                            ? "its " + std::string{op->auth.member}
                        : op->auth.resource == model::resource_rule::shadow_path
                            ? std::string{"the shadow path $aws/things/<thing>/shadow[/name/<shadow>]"}
                        : op->auth.resource == model::resource_rule::secret_arn
                            ? std::string{"the secret's ARN"}
                            : std::string{"each metric name"})
                    << ": give it as RESOURCE\n";
                return policy_usage_error;
        }
    }

    std::vector<std::filesystem::path> dirs = request.recipe_dirs;
    if (dirs.empty() && std::filesystem::is_directory("recipes")) dirs.emplace_back("recipes");
    authorizer authz;
    register_nucleus_services(authz);
    std::map<std::string, std::string> files;
    auto recipes = load_recipe_directories(dirs);
    const device_layout device{std::filesystem::absolute(request.root).lexically_normal(),
                               request.thing_name, std::nullopt};
    for (auto& r : recipes) {
        if (request.interpolate_component_configuration) {
            r.default_configuration =
                interpolate_configuration(r.default_configuration, r, device, recipes);
        }
    }
    for (const auto& r : recipes) {
        std::vector<policy_diagnostic> diagnostics;
        load_component_policies(authz, r.component_name, r.default_configuration, diagnostics);
        files.emplace(r.component_name, r.file.string());
        for (const auto& d : diagnostics) {
            if (request.strict_policies && d.dropped()) {
                err << "standin policy check: " << r.file.string() << ": accessControl of "
                    << r.component_name << ": " << d.text << " (--strict-policies)\n";
                return policy_usage_error;
            }
            err << "note: accessControl of " << r.component_name << ": " << d.text << "\n";
        }
    }
    if (!files.contains(request.component)) {
        err << "note: no recipe in the given directories defines " << request.component << "\n";
    }

    const verdict v = decide(authz, request.component, *op, resource);
    if (request.json) {
        out << to_json(v, request.component, *op, resource, files).dump() << "\n";
    } else {
        print_text(v, request.component, *op, resource, files, out);
    }
    return v.allowed ? policy_allowed : policy_denied;
}

command add_policy_command(CLI::App& app) {
    struct policy_flags {
        policy_check_request request;
        std::vector<std::string> recipe_dirs;
    };
    auto flags = std::make_shared<policy_flags>();
    auto& request = flags->request;
    auto* policy = app.add_subcommand("policy", "Explain authorization decisions offline");
    policy->require_subcommand(1);
    auto* check = policy->add_subcommand(
        "check",
        "Whether COMPONENT may perform OPERATION on RESOURCE, which policy decides, and the "
        "accessControl that would allow it (exit 0 allowed, 1 denied, 2 usage)");
    check
        ->add_option("--recipes", flags->recipe_dirs,
                     "Directory of recipe files, or one recipe file (repeatable; default ./recipes)")
        ->allow_extra_args(false);  // one value per --recipes, so that positionals stay positional
    check->add_flag("--json", request.json, "One JSON object on stdout, for tools");
    check->add_flag("--strict-policies", request.strict_policies,
                    "As standin serve --strict-policies: a malformed policy is an error (exit 2)");
    check->add_flag("--interpolate-component-configuration", request.interpolate_component_configuration,
                    "As standin serve --interpolate-component-configuration: {iot:thingName} and "
                    "the other system recipe variables are replaced in the policies");
    check
        ->add_option("--thing-name", request.thing_name,
                     "The thing name {iot:thingName} stands for, with "
                     "--interpolate-component-configuration")
        ->capture_default_str();
    check
        ->add_option("--root", request.root,
                     "The root {kernel:rootPath} stands for, with --interpolate-component-configuration")
        ->capture_default_str();
    check->add_option("COMPONENT", request.component, "The calling component")->required();
    check->add_option("OPERATION", request.operation, "PublishToTopic or aws.greengrass#PublishToTopic")
        ->required();
    check->add_option("RESOURCE", request.resource,
                      "What the operation is authorized against (topic, shadow path, secret ARN, "
                      "component name...); may be left out where the operation fixes it");
    return {policy, [flags] {
                for (const auto& dir : flags->recipe_dirs)
                    flags->request.recipe_dirs.emplace_back(dir);
                try {
                    return run_policy_check(flags->request, std::cout, std::cerr);
                } catch (const std::exception& e) {
                    std::cerr << "standin policy check: " << e.what() << '\n';
                    return policy_usage_error;
                }
            }};
}

}  // namespace standin::server
