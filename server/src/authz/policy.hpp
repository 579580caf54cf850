// SPDX-License-Identifier: Apache-2.0
// One accessControl policy as loaded by the authorizer (semantics.md §2.1, §2.2).
#pragma once

#include <algorithm>
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "authz/resource_pattern.hpp"

namespace standin::server {

// Operation name that stands for every operation of a service, in registrations and policies.
inline constexpr std::string_view any_operation = "*";

// `services.<component>.configuration.accessControl.<service_id>.<policy_id>`. The principal is
// always the owning component: a component's policies grant only that component.
struct policy {
    std::string component;   // owner and only principal
    std::string service_id;  // the destination, e.g. "aws.greengrass.ipc.pubsub"
    std::string policy_id;
    std::string description;                  // empty when absent
    std::vector<std::string> operations;      // as listed, duplicates removed; never empty
    std::vector<resource_pattern> resources;  // the valid ones, in order
    bool resources_listed = false;            // false when "resources" was absent
    std::size_t invalid_resources = 0;        // listed but rejected by validate_resource

    bool lists_operation(std::string_view operation) const {
        return std::find(operations.begin(), operations.end(), operation) != operations.end();
    }

    // Whether the nucleus creates a permission cell for this policy: it does for a missing or
    // empty resource list, and for each valid resource, but not when every listed resource was
    // rejected. A request without a resource is allowed by any existing cell.
    bool grants_without_resource() const {
        return resources.size() + invalid_resources == 0 || !resources.empty();
    }
};

}  // namespace standin::server
