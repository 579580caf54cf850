// SPDX-License-Identifier: Apache-2.0
// Authorization of IPC requests against components' accessControl policies, as the Java
// nucleus's AuthorizationHandler does it (semantics.md §2). Allow-only: a request is allowed when
// a policy of the calling component, for the request's service, lists the operation (or "*") and
// has a resource pattern matching the request's resource. Every decision carries an explanation.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "authz/policy.hpp"
#include "authz/resource_pattern.hpp"
#include "rpc/access_check.hpp"

namespace standin::server {

struct authz_request {
    std::string service_id;               // destination, e.g. "aws.greengrass.ipc.pubsub"
    std::string principal;                // the calling component
    std::string operation;                // e.g. "aws.greengrass#PublishToTopic"
    std::optional<std::string> resource;  // nullopt: the request carries no resource
};

enum class authz_status {
    allowed,
    service_not_registered,    // "Component not registered: <service>"
    operation_not_registered,  // "Component <service> not registered for operation <operation>"
    invalid_arguments,         // empty principal: "Invalid arguments"
    empty_resource,            // "Resource cannot be empty"
    not_authorized,  // "Principal <p> is not authorized to perform <service>:<op> on resource <r>"
};

const char* to_string(authz_status status) noexcept;

// Why a policy of the requested service did not allow the request.
enum class miss_reason {
    service_disabled,      // a policy with an empty id disabled every policy of the service
    other_principal,       // the policy belongs to another component
    operation_not_listed,  // lists neither the operation nor "*"
    no_valid_resource,     // every listed resource was rejected at load
    no_resources,          // lists no resources, and the request carries one
    no_resource_matched,   // none of its resource patterns matches the request's resource
};

const char* to_string(miss_reason reason) noexcept;

// Something noticed while loading a component's accessControl (semantics.md §2.2), with where in
// the document it is, so that tools can point at the line.
struct policy_diagnostic {
    enum class kind : std::uint8_t {
        unreadable,                // does not deserialize: the whole accessControl is dropped
        service_not_registered,    // unknown service id: its list is dropped
        operations_missing,        // missing or empty operations: the policy is skipped
        empty_policy_id,           // disables the service's merged list, for every component
        null_element,              // a null in operations or resources: that element is dropped
        operation_not_registered,  // loaded, but no request can ever name it
        resource_invalid,          // rejected by validate_resource: that resource is dropped
        no_resources,              // loaded, but allows only requests that carry no resource
        no_valid_resource,         // every resource was rejected: allows nothing
    };
    kind what = kind::unreadable;
    std::string service_id;                // empty: the accessControl as a whole
    std::optional<std::string> policy_id;  // nullopt: the service's list as a whole
    std::string field;                     // "operations", "resources", ...; empty: the policy
    std::optional<std::size_t> index;      // the element of `field`, when one is at fault
    std::string text;                      // one line naming component, service and policy

    // Whether the nucleus ignores part of the document because of it (and only logs that).
    bool dropped() const noexcept {
        return what != kind::operation_not_registered && what != kind::no_resources &&
               what != kind::no_valid_resource;
    }
};

struct authz_grant {
    std::shared_ptr<const policy> by;
    bool via_any_operation = false;            // the policy lists "*", not the operation itself
    std::optional<std::size_t> pattern_index;  // into by->resources; nullopt for a null resource

    const resource_pattern* pattern() const {
        return pattern_index ? &by->resources[*pattern_index] : nullptr;
    }
};

struct authz_miss {
    std::shared_ptr<const policy> by;
    miss_reason reason;
};

struct authz_decision {
    bool allowed = false;
    authz_status status = authz_status::not_authorized;
    std::string message;    // the nucleus's UnauthorizedError message when denied; empty when allowed
    authz_request request;  // copy of what was checked
    std::optional<authz_grant> grant;  // set when allowed
    // When denied with not_authorized: every policy loaded for the service (all components, by
    // component name, then policy id) and why it missed.
    std::vector<authz_miss> misses;
    // Components whose empty policy id disabled the whole service (nucleus validatePolicyId).
    std::vector<std::string> disabled_by;

    // One line for logs and the "explain this denial" feature.
    std::string to_string() const;
};

// Registered services, loaded policies and the check. Single-threaded; decisions stay valid
// after reloads (they share ownership of the policies they cite).
class authorizer {
public:
    // Registers a service id and its operation names ("*" is added implicitly); merges with an
    // earlier registration, the syntax of the latest call wins. Register services before loading
    // components: policies for a service unknown at load time are dropped, as in the nucleus.
    // Throws std::invalid_argument for an empty id or empty operation list.
    void register_service(std::string service_id, std::vector<std::string> operations,
                          resource_syntax syntax = resource_syntax::glob);

    bool is_registered(std::string_view service_id) const;
    bool is_registered(std::string_view service_id, std::string_view operation) const;
    // Nullopt when the service is not registered.
    std::optional<resource_syntax> syntax_of(std::string_view service_id) const;

    // Replaces `component`'s policies with those declared by `access_control` (the value of its
    // configuration's accessControl key: an object, or a string holding a JSON object). Applies
    // the nucleus's validation (semantics.md §2.2) and appends one line to `diagnostics` for
    // each thing ignored or suspicious, naming component, service and policy.
    void load_component(std::string_view component, const nlohmann::json& access_control,
                        std::vector<policy_diagnostic>& diagnostics);
    // Same, keeping only each diagnostic's text.
    void load_component(std::string_view component, const nlohmann::json& access_control,
                        std::vector<std::string>& diagnostics);

    // Drops `component`'s policies; returns false if it had none loaded.
    bool remove_component(std::string_view component);

    authz_decision check(const authz_request& request) const;
    // The grant check() would find, without building a decision: nullopt when check() denies.
    std::optional<authz_grant> grant_for(std::string_view service_id, std::string_view principal,
                                         std::string_view operation,
                                         std::optional<std::string_view> resource) const;

    // Every policy loaded for `service_id`, ordered as in authz_decision::misses.
    std::vector<std::shared_ptr<const policy>> policies_for(std::string_view service_id) const;
    // `component`'s loaded policies ordered by service id, then policy id (empty if none).
    std::vector<std::shared_ptr<const policy>> component_policies(std::string_view component) const;

private:
    struct service_entry {
        resource_syntax syntax = resource_syntax::glob;
        std::set<std::string, std::less<>> operations;
    };
    struct component_entry {
        std::vector<std::shared_ptr<const policy>> policies;
        std::set<std::string, std::less<>> disabled_services;  // where it declared an empty policy id
    };

    std::vector<std::string> disabling_components(std::string_view service_id) const;
    bool is_disabled(std::string_view service_id) const;
    // Why check() refuses before it looks at any policy (an unknown service or operation, no
    // principal, an empty resource), or nullopt.
    std::optional<authz_status> refusal_before_policies(std::string_view service_id,
                                                        std::string_view principal,
                                                        std::string_view operation,
                                                        std::optional<std::string_view> resource) const;
    // The principal's first policy cell that grants the request (no registration checks).
    std::optional<authz_grant> find_grant(std::string_view service_id, std::string_view principal,
                                          std::string_view operation,
                                          std::optional<std::string_view> resource) const;

    std::map<std::string, service_entry, std::less<>> services_;
    std::map<std::string, component_entry, std::less<>> components_;
};

// Registers every accessControl service id of the operation table with the operation names the
// nucleus registers for it (semantics.md §2.5: the table marks the one it leaves out,
// CancelLocalDeployment), each with its resource syntax.
void register_nucleus_services(authorizer& authz);

// The dispatcher's access_checker over an authorizer, which must outlive it.
class policy_access_checker final : public access_checker {
public:
    explicit policy_access_checker(const authorizer& authz) : authz_(authz) {}
    access_decision check(const access_request& request, bool explain) const override;

private:
    const authorizer& authz_;
};

}  // namespace standin::server
