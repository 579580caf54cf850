// SPDX-License-Identifier: Apache-2.0
// Rules (Java nucleus AuthorizationPolicyParser, AuthorizationHandler, AuthorizationModule):
//   Loading a component's accessControl
//   * The value is an object, or a string holding a JSON object ("be flexible").
//   * It is converted as a whole, like Jackson's convertValue into
//     Map<String, Map<String, AuthorizationPolicyConfig>> with case-insensitive property names.
//     Anything that fails that conversion discards the component's entire accessControl: a value
//     that is not an object, an unknown policy field, an explicit null for a field, a list field
//     that is not an array, a string field holding an object or array. Scalars coerce to text.
//   * Then per service: an unregistered service id (case-sensitive) drops that service's list;
//     a policy with missing or empty operations is skipped; a policy with an empty id disables
//     the service's whole merged list, for every component (no duplicate-id check since 2.11.1);
//     an invalid resource is skipped and the policy's other resources kept; a missing or empty
//     resource list loads a policy that allows only requests without a resource; operation names
//     that the service does not register load but can never be requested.
//   Checking a request
//   * Unknown service → "Component not registered: <service>"; unregistered operation (names are
//     case-sensitive, "*" is always registered) → "Component <service> not registered for
//     operation <operation>"; empty principal → "Invalid arguments"; empty resource →
//     "Resource cannot be empty"; in that order.
//   * Then the caller's policies listing the operation, then those listing "*": a null resource
//     is allowed by any such policy that has a permission cell, a resource by any matching pattern.
//   * Otherwise "Principal <p> is not authorized to perform <service>:<op> on resource <r>", with
//     "null" for a missing resource (Java String.format of null).
#include "authz/authorizer.hpp"

#include <algorithm>
#include <stdexcept>
#include <utility>

#include <nlohmann/json.hpp>

#include "standin/model/operations.hpp"
#include "standin/protocol/message.hpp"

namespace standin::server {

namespace {

using json = nlohmann::json;

// A list element's text and its position in the document's list.
struct listed {
    std::string text;
    std::size_t index;
};

struct raw_policy {
    std::string id;
    std::string description;
    std::optional<std::vector<listed>> operations;                   // duplicates removed
    std::optional<std::vector<listed>> resources;                    // duplicates removed
    std::vector<std::pair<std::string, std::size_t>> dropped_nulls;  // field, index of a null element
};

struct raw_service {
    std::string id;
    std::vector<raw_policy> policies;
};

// Thrown while converting; the message says what did not deserialize, the rest where it is.
struct conversion_error {
    explicit conversion_error(std::string message_, std::string service_id_ = {},
                              std::optional<std::string> policy_id_ = std::nullopt,
                              std::string field_ = {}, std::optional<std::size_t> index_ = std::nullopt)
        : message(std::move(message_)),
          service_id(std::move(service_id_)),
          policy_id(std::move(policy_id_)),
          field(std::move(field_)),
          index(index_) {}

    std::string message;
    std::string service_id;
    std::optional<std::string> policy_id;
    std::string field;
    std::optional<std::size_t> index;
};

// Where a policy is, for conversion errors inside it.
struct policy_location {
    const std::string& service_id;
    const std::string& policy_id;
    std::string where;  // "service \"<id>\", policy \"<id>\""

    conversion_error error(std::string problem, std::string field = {},
                           std::optional<std::size_t> index = std::nullopt) const {
        return conversion_error{where + ": " + std::move(problem), service_id, policy_id,
                                std::move(field), index};
    }
};

std::string in_quotes(std::string_view s) {
    return "\"" + std::string{s} + "\"";
}

// Jackson's StringDeserializer: text as is, other scalars as their text.
std::optional<std::string> scalar_text(const json& v) {
    if (v.is_string()) return v.get<std::string>();
    if (v.is_number() || v.is_boolean()) return v.dump();
    return std::nullopt;
}

std::vector<listed> read_list(const json& v, const policy_location& at, const std::string& field,
                              raw_policy& out) {
    if (v.is_null()) throw at.error(field + " is null", field);
    if (!v.is_array()) throw at.error(field + " is not a list", field);
    std::vector<listed> items;
    for (std::size_t i = 0; i < v.size(); ++i) {
        const json& item = v[i];
        if (item.is_null()) {
            // Jackson keeps null elements; the nucleus then fails to add those permissions.
            out.dropped_nulls.push_back({field, i});
            continue;
        }
        auto text = scalar_text(item);
        if (!text) throw at.error(field + " holds an element that is not a string", field, i);
        const auto same = [&](const listed& earlier) { return earlier.text == *text; };
        if (std::none_of(items.begin(), items.end(), same)) items.push_back({std::move(*text), i});
    }
    return items;
}

raw_policy read_policy(const std::string& service_id, const std::string& policy_id, const json& v) {
    const policy_location at{service_id, policy_id,
                             "service " + in_quotes(service_id) + ", policy " + in_quotes(policy_id)};
    if (!v.is_object()) throw at.error("is not an object");
    raw_policy out;
    out.id = policy_id;
    for (const auto& [key, value] : v.items()) {
        if (protocol::ascii_iequals(key, "policyDescription")) {
            if (value.is_null()) throw at.error("policyDescription is null", "policyDescription");
            auto text = scalar_text(value);
            if (!text) throw at.error("policyDescription is not a string", "policyDescription");
            out.description = std::move(*text);
        } else if (protocol::ascii_iequals(key, "operations")) {
            out.operations = read_list(value, at, "operations", out);
        } else if (protocol::ascii_iequals(key, "resources")) {
            out.resources = read_list(value, at, "resources", out);
        } else {
            throw at.error("unknown field " + in_quotes(key), key);
        }
    }
    return out;
}

std::vector<raw_service> read_access_control(const json& access_control) {
    const json* root = &access_control;
    json parsed;
    if (access_control.is_string()) {
        parsed = json::parse(access_control.get<std::string>(), nullptr, false);
        if (parsed.is_discarded()) throw conversion_error{"the accessControl string is not valid JSON"};
        root = &parsed;
    }
    if (!root->is_object()) throw conversion_error{"accessControl is not an object of services"};

    std::vector<raw_service> services;
    for (const auto& [service_id, policies] : root->items()) {
        // A null here makes the Java parser throw a NullPointerException; nothing of the
        // component loads either way.
        if (!policies.is_object()) {
            throw conversion_error{"service " + in_quotes(service_id) + ": is not an object of policies",
                                   service_id};
        }
        raw_service service{service_id, {}};
        for (const auto& [policy_id, body] : policies.items()) {
            service.policies.push_back(read_policy(service_id, policy_id, body));
        }
        services.push_back(std::move(service));
    }
    return services;
}

std::string join_quoted(const std::vector<std::string>& items) {
    std::string out;
    for (const auto& item : items) {
        if (!out.empty()) out += ", ";
        out += in_quotes(item);
    }
    return out;
}

}  // namespace

const char* to_string(authz_status status) noexcept {
    switch (status) {
        case authz_status::allowed:
            return "allowed";
        case authz_status::service_not_registered:
            return "service not registered";
        case authz_status::operation_not_registered:
            return "operation not registered";
        case authz_status::invalid_arguments:
            return "invalid arguments";
        case authz_status::empty_resource:
            return "empty resource";
        case authz_status::not_authorized:
            return "not authorized";
    }
    return "?";
}

const char* to_string(miss_reason reason) noexcept {
    switch (reason) {
        case miss_reason::service_disabled:
            return "service disabled by an empty policy id";
        case miss_reason::other_principal:
            return "belongs to another component";
        case miss_reason::operation_not_listed:
            return "operation not listed";
        case miss_reason::no_valid_resource:
            return "every listed resource was invalid";
        case miss_reason::no_resources:
            return "lists no resources";
        case miss_reason::no_resource_matched:
            return "no resource matched";
    }
    return "?";
}

std::string authz_decision::to_string() const {
    const std::string resource_text =
        request.resource ? in_quotes(*request.resource) : std::string{"null"};
    std::string out;
    if (allowed) {
        out = "allowed " + in_quotes(request.principal) + " " + request.service_id + ":" +
              request.operation + " on resource " + resource_text;
        if (grant) {
            out += " by policy " + in_quotes(grant->by->policy_id) + " of " +
                   in_quotes(grant->by->component);
            if (grant->via_any_operation) out += " (operation \"*\")";
            if (const auto* p = grant->pattern()) {
                out += " (resource pattern " + in_quotes(p->text()) + ")";
            } else {
                out += " (no resource in the request)";
            }
        }
        return out;
    }

    out = "denied (" + std::string{server::to_string(status)} + "): " + message;
    if (status != authz_status::not_authorized) return out;
    if (!disabled_by.empty()) {
        out += "; every policy for " + request.service_id + " is ignored because " +
               join_quoted(disabled_by) + " declared a policy with an empty id";
    }
    if (misses.empty()) {
        out += "; no policy for " + request.service_id + " is loaded";
        return out;
    }
    out += "; policies considered:";
    for (const auto& miss : misses) {
        const policy& p = *miss.by;
        out += " [" + in_quotes(p.component) + " " + in_quotes(p.policy_id) + ": " +
               server::to_string(miss.reason);
        switch (miss.reason) {
            case miss_reason::operation_not_listed:
                out += " (lists " + join_quoted(p.operations) + ")";
                break;
            case miss_reason::no_resource_matched: {
                std::vector<std::string> patterns;
                for (const auto& r : p.resources)
                    patterns.push_back(r.text());
                out += " (" + std::string{server::to_string(p.resources.front().syntax())} +
                       " patterns " + join_quoted(patterns) + ")";
                break;
            }
            default:
                break;
        }
        out += "]";
    }
    return out;
}

void authorizer::register_service(std::string service_id, std::vector<std::string> operations,
                                  resource_syntax syntax) {
    if (service_id.empty() || operations.empty()) {
        throw std::invalid_argument("Invalid arguments for registerComponent()");
    }
    auto& entry = services_[std::move(service_id)];
    entry.syntax = syntax;
    for (auto& op : operations)
        entry.operations.insert(std::move(op));
    entry.operations.emplace(any_operation);
}

bool authorizer::is_registered(std::string_view service_id) const {
    return services_.contains(service_id);
}

bool authorizer::is_registered(std::string_view service_id, std::string_view operation) const {
    const auto it = services_.find(service_id);
    return it != services_.end() && it->second.operations.contains(operation);
}

std::optional<resource_syntax> authorizer::syntax_of(std::string_view service_id) const {
    const auto it = services_.find(service_id);
    if (it == services_.end()) return std::nullopt;
    return it->second.syntax;
}

void authorizer::load_component(std::string_view component, const nlohmann::json& access_control,
                                std::vector<std::string>& diagnostics) {
    std::vector<policy_diagnostic> found;
    load_component(component, access_control, found);
    for (auto& d : found)
        diagnostics.push_back(std::move(d.text));
}

void authorizer::load_component(std::string_view component, const nlohmann::json& access_control,
                                std::vector<policy_diagnostic>& diagnostics) {
    using kind = policy_diagnostic::kind;
    const std::string who = "component " + in_quotes(component);
    component_entry loaded;

    std::vector<raw_service> services;
    try {
        services = read_access_control(access_control);
    } catch (const conversion_error& e) {
        diagnostics.push_back(
            {kind::unreadable, e.service_id, e.policy_id, e.field, e.index,
             who + ": accessControl ignored entirely: " + e.message +
                 " (the nucleus drops a component's whole accessControl when any part of it "
                 "does not deserialize)"});
        services.clear();
    }

    for (auto& service : services) {
        const auto registered = services_.find(service.id);
        if (registered == services_.end()) {
            diagnostics.push_back(
                {kind::service_not_registered,
                 service.id,
                 std::nullopt,
                 {},
                 std::nullopt,
                 who + ", service " + in_quotes(service.id) +
                     ": ignored: not a registered IPC service (service ids are case-sensitive)"});
            continue;
        }
        const service_entry& target = registered->second;
        for (auto& raw : service.policies) {
            const std::string where =
                who + ", service " + in_quotes(service.id) + ", policy " + in_quotes(raw.id);
            const auto note = [&](kind what, std::string field, std::optional<std::size_t> index,
                                  std::string text) {
                diagnostics.push_back(
                    {what, service.id, raw.id, std::move(field), index, where + ": " + std::move(text)});
            };
            if (!raw.operations || raw.operations->empty()) {
                note(kind::operations_missing, "operations", std::nullopt,
                     "skipped: Policy operations are missing or invalid");
                continue;
            }
            if (raw.id.empty()) {
                loaded.disabled_services.insert(service.id);
                note(kind::empty_policy_id, {}, std::nullopt,
                     "policy id is empty: every policy for " + in_quotes(service.id) +
                         ", of every component, is ignored (Malformed policy with empty/null "
                         "policy IDs)");
                continue;
            }
            for (const auto& [field, index] : raw.dropped_nulls) {
                note(kind::null_element, field, index, "null element in " + field + " ignored");
            }

            auto p = std::make_shared<policy>();
            p->component = std::string{component};
            p->service_id = service.id;
            p->policy_id = raw.id;
            p->description = std::move(raw.description);
            p->resources_listed = raw.resources.has_value();
            for (auto& op : *raw.operations) {
                if (!target.operations.contains(op.text)) {
                    note(kind::operation_not_registered, "operations", op.index,
                         "operation " + in_quotes(op.text) + " is not registered for " +
                             in_quotes(service.id) + " and can never be requested");
                }
                p->operations.push_back(std::move(op.text));
            }
            if (raw.resources) {
                for (auto& resource : *raw.resources) {
                    if (auto error = validate_resource(resource.text)) {
                        ++p->invalid_resources;
                        note(kind::resource_invalid, "resources", resource.index,
                             "resource " + in_quotes(resource.text) + " ignored: " + *error);
                        continue;
                    }
                    p->resources.emplace_back(std::move(resource.text), target.syntax);
                }
            }
            if (p->resources.empty() && p->invalid_resources == 0) {
                note(kind::no_resources, "resources", std::nullopt,
                     "lists no resources, so it allows only requests that carry no resource");
            } else if (p->resources.empty()) {
                note(kind::no_valid_resource, "resources", std::nullopt,
                     "no valid resource left, so it allows nothing");
            }
            loaded.policies.push_back(std::move(p));
        }
    }

    if (loaded.policies.empty() && loaded.disabled_services.empty()) {
        components_.erase(std::string{component});
    } else {
        components_.insert_or_assign(std::string{component}, std::move(loaded));
    }
}

bool authorizer::remove_component(std::string_view component) {
    const auto it = components_.find(component);
    if (it == components_.end()) return false;
    components_.erase(it);
    return true;
}

std::vector<std::string> authorizer::disabling_components(std::string_view service_id) const {
    std::vector<std::string> out;
    for (const auto& [name, entry] : components_) {
        if (entry.disabled_services.contains(service_id)) out.push_back(name);
    }
    return out;
}

std::optional<authz_grant> authorizer::find_grant(std::string_view service_id,
                                                  std::string_view principal, std::string_view operation,
                                                  std::optional<std::string_view> resource) const {
    const auto caller = components_.find(principal);
    if (caller == components_.end()) return std::nullopt;
    // Most specific cell first, as the nucleus does: the operation itself, then "*".
    for (const bool via_any : {false, true}) {
        const std::string_view op = via_any ? any_operation : operation;
        if (via_any && op == operation) break;
        for (const auto& p : caller->second.policies) {
            if (p->service_id != service_id || !p->lists_operation(op)) continue;
            if (!resource) {
                if (p->grants_without_resource()) return authz_grant{p, via_any, std::nullopt};
                continue;
            }
            for (std::size_t i = 0; i < p->resources.size(); ++i) {
                if (p->resources[i].matches(*resource)) return authz_grant{p, via_any, i};
            }
        }
    }
    return std::nullopt;
}

bool authorizer::is_disabled(std::string_view service_id) const {
    return std::any_of(components_.begin(), components_.end(), [&](const auto& component) {
        return component.second.disabled_services.contains(service_id);
    });
}

std::optional<authz_status> authorizer::refusal_before_policies(
    std::string_view service_id, std::string_view principal, std::string_view operation,
    std::optional<std::string_view> resource) const {
    const auto service = services_.find(service_id);
    if (service == services_.end()) return authz_status::service_not_registered;
    if (!service->second.operations.contains(operation)) return authz_status::operation_not_registered;
    if (principal.empty()) return authz_status::invalid_arguments;
    if (resource && resource->empty()) return authz_status::empty_resource;
    return std::nullopt;
}

std::optional<authz_grant> authorizer::grant_for(std::string_view service_id, std::string_view principal,
                                                 std::string_view operation,
                                                 std::optional<std::string_view> resource) const {
    if (refusal_before_policies(service_id, principal, operation, resource) || is_disabled(service_id))
        return std::nullopt;
    return find_grant(service_id, principal, operation, resource);
}

authz_decision authorizer::check(const authz_request& request) const {
    authz_decision d;
    d.request = request;
    auto deny = [&](authz_status status, std::string message) {
        d.allowed = false;
        d.status = status;
        d.message = std::move(message);
        return std::move(d);
    };

    if (const auto refused = refusal_before_policies(request.service_id, request.principal,
                                                     request.operation, request.resource)) {
        switch (*refused) {
            case authz_status::service_not_registered:
                if (request.service_id.empty())
                    return deny(*refused, "Component name is not specified: ");
                return deny(*refused, "Component not registered: " + request.service_id);
            case authz_status::operation_not_registered:
                return deny(*refused, "Component " + request.service_id +
                                          " not registered for operation " + request.operation);
            case authz_status::invalid_arguments:
                return deny(*refused, "Invalid arguments");
            default:
                return deny(*refused, "Resource cannot be empty");
        }
    }

    d.disabled_by = disabling_components(request.service_id);
    if (d.disabled_by.empty()) {
        d.grant = find_grant(request.service_id, request.principal, request.operation, request.resource);
        if (d.grant) {
            d.allowed = true;
            d.status = authz_status::allowed;
            return d;
        }
    }

    for (auto& p : policies_for(request.service_id)) {
        miss_reason reason = miss_reason::no_resource_matched;
        if (!d.disabled_by.empty()) {
            reason = miss_reason::service_disabled;
        } else if (p->component != request.principal) {
            reason = miss_reason::other_principal;
        } else if (!p->lists_operation(request.operation) && !p->lists_operation(any_operation)) {
            reason = miss_reason::operation_not_listed;
        } else if (p->resources.empty()) {
            reason =
                p->invalid_resources > 0 ? miss_reason::no_valid_resource : miss_reason::no_resources;
        }
        d.misses.push_back({std::move(p), reason});
    }
    const std::string resource_text = request.resource ? *request.resource : std::string{"null"};
    return deny(authz_status::not_authorized,
                "Principal " + request.principal + " is not authorized to perform " +
                    request.service_id + ":" + request.operation + " on resource " + resource_text);
}

std::vector<std::shared_ptr<const policy>> authorizer::policies_for(std::string_view service_id) const {
    std::vector<std::shared_ptr<const policy>> out;
    for (const auto& [name, entry] : components_) {
        for (const auto& p : entry.policies) {
            if (p->service_id == service_id) out.push_back(p);
        }
    }
    return out;
}

std::vector<std::shared_ptr<const policy>> authorizer::component_policies(
    std::string_view component) const {
    const auto it = components_.find(component);
    if (it == components_.end()) return {};
    return it->second.policies;
}

void register_nucleus_services(authorizer& authz) {
    const auto& [service_ids, count] = model::policy_service_ids;
    for (std::size_t i = 0; i < count; ++i) {
        std::vector<std::string> names;
        for (const auto& op : model::greengrass_operations()) {
            if (op.auth.service_id == service_ids[i] && op.auth.registered) names.emplace_back(op.name);
        }
        authz.register_service(std::string{service_ids[i]}, std::move(names),
                               model::syntax_of_service(service_ids[i]));
    }
}

access_decision policy_access_checker::check(const access_request& request, bool explain) const {
    // The common answer, an allowed call nobody asked to explain, without copying the request.
    if (!explain) {
        if (authz_.grant_for(request.service_id, request.principal, request.operation, request.resource))
            return access_decision{true, {}, {}, {}};
    }
    const auto decision = authz_.check(
        {std::string{request.service_id}, std::string{request.principal}, std::string{request.operation},
         request.resource ? std::optional<std::string>{*request.resource} : std::nullopt});
    access_decision out{decision.allowed, decision.message, {}, {}};
    if (explain || !decision.allowed) out.explanation = decision.to_string();
    if (explain && decision.grant)
        out.policy = decision.grant->by->component + "/" + decision.grant->by->policy_id;
    return out;
}

}  // namespace standin::server
