// SPDX-License-Identifier: Apache-2.0
// What a deployment changes, worked out before anything changes (pure: no I/O, no clocks):
//
//   - the group's root components: its current roots, less rootComponentsToRemove, plus
//     rootComponentVersionsToAdd (exact versions, which the component store must hold);
//   - the components to run: every group's roots and, transitively, their ComponentDependencies
//     (the version running now when there is one, else the store's latest; VersionRequirement
//     ranges are not checked);
//   - removed: what runs now and is no longer needed;
//   - each component's configuration ([N] KernelConfigResolver): its current one (none for a new
//     component), RESET paths removed, the recipe's DefaultConfiguration merged at time 1 (so it
//     never overrides a value set later), then MERGE at the request's time;
//   - restart: a component that is new, or whose version, lifecycle or dependencies change, is
//     (re)installed and started; a configuration-only change reaches a running component through
//     its configuration subscriptions, as on the nucleus.
#pragma once

#include <map>
#include <string>
#include <variant>
#include <vector>

#include "config/config_tree.hpp"
#include "deployments/deployment.hpp"
#include "deployments/recipe_store.hpp"
#include "recipes/recipe.hpp"

namespace standin::server::deployments {

struct current_component {
    const recipe* source = nullptr;
    const config_tree* configuration = nullptr;  // nullptr: none yet
};

using group_roots = std::map<std::string, std::string>;  // component -> version

struct plan_inputs {
    const recipe_store& store;
    std::map<std::string, current_component, std::less<>> current;  // recipe components deployed
    std::map<std::string, group_roots> groups;                      // group key -> its roots
};

struct planned_component {
    recipe source;
    config_tree configuration;
    std::vector<config_path> changed;  // configuration paths that change, as config_tree reports
    bool existed = false;
    bool restart = false;
};

struct deployment_plan {
    std::string group;  // the group key
    group_roots roots;  // the group's roots after the deployment
    std::vector<std::string> removed;
    std::vector<planned_component> components;  // each component whose recipe or config changes
};

std::variant<deployment_plan, deployment_failure> plan_deployment(const deployment_request& request,
                                                                  const plan_inputs& inputs,
                                                                  config_time now);

// A RESET entry (a JSON pointer: "" is the whole configuration, "/a/b" the key b in a, with ~1 for
// '/' and ~0 for '~') as a configuration path; nullopt when it is not a JSON pointer.
std::optional<config_path> pointer_to_path(const std::string& pointer);

}  // namespace standin::server::deployments
