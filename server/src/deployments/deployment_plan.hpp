// SPDX-License-Identifier: Apache-2.0
// What a deployment changes, worked out before anything changes (pure: no I/O, no clocks):
//
//   - the group's root components: its current roots, less rootComponentsToRemove, plus
//     rootComponentVersionsToAdd (exact versions, which the component store must hold);
//   - the components to run: every group's roots and, transitively, their ComponentDependencies,
//     each at one version satisfying every requirement on it (semver.hpp ranges): the roots'
//     exact versions from their groups, each dependent's VersionRequirement. As the nucleus's
//     DependencyResolver and ComponentManager (offline): the running version when it satisfies
//     them all, else the store's highest that does; none: the deployment fails naming the
//     component and who requires what. A dependent that moves to another version takes back what
//     its old version required;
//   - removed: what runs now and is no longer needed;
//   - each component's configuration ([N] KernelConfigResolver): its current one (none for a new
//     component), RESET paths removed, the recipe's DefaultConfiguration merged at time 1 (so it
//     never overrides a value set later), then MERGE at the request's time;
//   - RunWith (componentToRunWithInfo): kept from the last deployment that gave one; a change of
//     posixUser restarts the component (the nucleus reinstalls it); Bootstrap runs for a
//     component that is new or whose version or Bootstrap step changes;
//   - with --interpolate-component-configuration, DefaultConfiguration and MERGE values have
//     their system recipe variables replaced (inputs.interpolate) before they are merged;
//   - restart: a component that is new, or whose version, lifecycle or dependencies change, is
//     (re)installed and started, and so is every component with a HARD dependency on one that
//     restarts (stopped before it, started after it; SOFT dependents keep running); a
//     configuration-only change reaches a running component through its configuration
//     subscriptions, as on the nucleus.
#pragma once

#include <functional>
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

// The daemon's configuration interpolation (deployment_host::interpolate).
using configuration_interpolation = std::function<nlohmann::json(
    const recipe& component, const nlohmann::json& configuration, const std::vector<recipe>& resolved)>;

struct plan_inputs {
    const recipe_store& store;
    std::map<std::string, current_component, std::less<>> current;  // recipe components deployed
    std::map<std::string, group_roots> groups;                      // group key -> its roots
    std::map<std::string, run_with, std::less<>> run_with_now;      // components' RunWith now
    configuration_interpolation interpolate;                        // null: none
};

struct planned_component {
    recipe source;
    config_tree configuration;
    std::vector<config_path> changed;  // configuration paths that change, as config_tree reports
    bool existed = false;
    bool restart = false;
    bool bootstrap = false;  // new, or its version or Bootstrap step changes
    run_with run_as;         // the request's componentToRunWithInfo entry, else the current one
};

struct deployment_plan {
    std::string group;  // the group key
    group_roots roots;  // the group's roots after the deployment
    std::vector<std::string> removed;
    std::vector<planned_component> components;  // each component whose recipe or config changes
    // componentToRunWithInfo entries for components the deployment does not run: ignored, as the
    // nucleus ignores a package configuration outside the dependency tree.
    std::vector<std::string> run_with_ignored;
};

std::variant<deployment_plan, deployment_failure> plan_deployment(const deployment_request& request,
                                                                  const plan_inputs& inputs,
                                                                  config_time now);

// A RESET entry (a JSON pointer: "" is the whole configuration, "/a/b" the key b in a, with ~1 for
// '/' and ~0 for '~') as a configuration path; nullopt when it is not a JSON pointer.
std::optional<config_path> pointer_to_path(const std::string& pointer);

}  // namespace standin::server::deployments
