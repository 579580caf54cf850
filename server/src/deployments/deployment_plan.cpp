// SPDX-License-Identifier: Apache-2.0
#include "deployments/deployment_plan.hpp"

#include <algorithm>
#include <cctype>
#include <deque>
#include <functional>
#include <set>

#include "recipes/semver.hpp"

namespace standin::server::deployments {

namespace {

// NoAvailableComponentVersionException: its message and its codes (the nucleus has no
// COMPONENT_NOT_FOUND: an absent component is a requirement not met like any other).
deployment_failure no_version(const std::string& component, const std::string& constraints) {
    return {
        "No local or cloud component version satisfies the requirements. Check whether the "
        "version constraints conflict and that the component exists in your AWS account with a "
        "version that matches the version constraints. If the version constraints conflict, "
        "revise deployments to resolve the conflict. Component " +
            component + " version constraints: " + constraints + ".",
        {"DEPLOYMENT_FAILURE", "NO_AVAILABLE_COMPONENT_VERSION",
         "COMPONENT_VERSION_REQUIREMENTS_NOT_MET"},
        {"REQUEST_ERROR"}};
}

// Who requires what of one component: group key or dependent -> requirement text.
using requirements = std::map<std::string, std::string>;

std::string describe(const requirements& constraints) {
    std::string out;
    for (const auto& [who, requirement] : constraints)
        out += (out.empty() ? "" : ", ") + who + " requires " + requirement;
    return out;
}

// As the nucleus's ComponentManager offline: the running version when it satisfies every
// requirement, else the highest version in the store that does.
std::variant<const recipe*, deployment_failure> resolve_version(const std::string& name,
                                                                const requirements& constraints,
                                                                const recipe_store& store,
                                                                const std::string& running) {
    std::vector<semver::range> ranges;
    for (const auto& [who, requirement] : constraints) {
        try {
            ranges.push_back(semver::range::parse(requirement));
        } catch (const semver::range_error& e) {
            return deployment_failure{who + " requires " + name + " " + e.what(),
                                      {"DEPLOYMENT_FAILURE", "COMPONENT_VERSION_NOT_VALID"},
                                      {"REQUEST_ERROR"}};
        }
    }
    const auto satisfies = [&](const recipe& r) {
        return std::all_of(ranges.begin(), ranges.end(), [&](const semver::range& range) {
            return range.satisfied_by(r.component_version);
        });
    };
    if (!running.empty()) {
        if (const recipe* r = store.find(name, running); r != nullptr && satisfies(*r)) return r;
    }
    const auto versions = store.versions_of(name);
    for (const recipe* r : versions) {
        if (satisfies(*r)) return r;
    }
    return no_version(name, describe(constraints));
}

// A recipe's ComponentDependencies: name -> VersionRequirement ("*" when it gives none).
requirements dependency_requirements(const recipe& r) {
    requirements out;
    if (!r.dependencies.is_object()) return out;
    for (const auto& [name, dependency] : r.dependencies.items()) {
        std::string requirement = "*";
        if (dependency.is_object()) {
            for (const auto& [key, value] : dependency.items()) {
                if (key == "VersionRequirement" && value.is_string())
                    requirement = value.get<std::string>();
            }
        }
        out.emplace(name, std::move(requirement));
    }
    return out;
}

std::vector<std::string> hard_dependencies(const recipe& r) {
    std::vector<std::string> out;
    if (!r.dependencies.is_object()) return out;
    for (const auto& [name, dependency] : r.dependencies.items()) {
        bool soft = false;
        if (dependency.is_object()) {
            for (const auto& [key, value] : dependency.items()) {
                if (key == "DependencyType" && value.is_string() && value.get<std::string>() == "SOFT")
                    soft = true;
            }
        }
        if (!soft) out.push_back(name);
    }
    return out;
}

// The lifecycle's Bootstrap step (step names are case-insensitive); null when it has none.
nlohmann::json bootstrap_step(const nlohmann::json& lifecycle) {
    if (!lifecycle.is_object()) return nullptr;
    for (const auto& [key, value] : lifecycle.items()) {
        if (key.size() == 9 && std::equal(key.begin(), key.end(), "bootstrap", [](char a, char b) {
                return std::tolower(static_cast<unsigned char>(a)) == b;
            }))
            return value;
    }
    return nullptr;
}

bool same_install(const recipe& a, const recipe& b) {
    return a.component_version == b.component_version && a.lifecycle == b.lifecycle &&
           a.dependencies == b.dependencies && a.component_type == b.component_type;
}

void append_changes(std::vector<config_path>& into, const config_update& update) {
    for (const auto& path : update.changed) {
        if (std::find(into.begin(), into.end(), path) == into.end()) into.push_back(path);
    }
}

}  // namespace

std::optional<config_path> pointer_to_path(const std::string& pointer) {
    config_path out;
    if (pointer.empty()) return out;
    if (pointer.front() != '/') return std::nullopt;
    std::string key;
    for (std::size_t i = 1; i <= pointer.size(); ++i) {
        if (i == pointer.size() || pointer[i] == '/') {
            out.push_back(std::move(key));
            key.clear();
        } else if (pointer[i] == '~') {
            if (i + 1 >= pointer.size() || (pointer[i + 1] != '0' && pointer[i + 1] != '1'))
                return std::nullopt;
            key.push_back(pointer[i + 1] == '0' ? '~' : '/');
            ++i;
        } else {
            key.push_back(pointer[i]);
        }
    }
    return out;
}

std::variant<deployment_plan, deployment_failure> plan_deployment(const deployment_request& request,
                                                                  const plan_inputs& inputs,
                                                                  config_time now) {
    deployment_plan plan;
    plan.group = group_key(request.group_name);
    if (const auto it = inputs.groups.find(plan.group); it != inputs.groups.end())
        plan.roots = it->second;
    for (const auto& name : request.components_to_remove)
        plan.roots.erase(name);
    for (const auto& [name, version] : request.components_to_add)
        plan.roots[name] = version;

    // What each component must satisfy, by who asks: a group for its roots (an exact version),
    // a dependent for its dependencies (its VersionRequirement).
    std::map<std::string, requirements> wanted;
    std::deque<std::string> to_resolve;
    for (const auto& [name, version] : plan.roots) {
        wanted[name].emplace(plan.group, "=" + version);
        to_resolve.push_back(name);
    }
    for (const auto& [group, roots] : inputs.groups) {
        if (group == plan.group) continue;
        for (const auto& [name, version] : roots) {
            wanted[name].emplace(group, "=" + version);
            to_resolve.push_back(name);
        }
    }
    std::map<std::string, const recipe*, std::less<>> resolved;
    // A resolution that keeps changing its mind (versions whose requirements exclude each other
    // in a cycle) would not end; the nucleus's would not either. Bounded here.
    std::size_t steps_left = 10000;
    // Another version of `owner` is chosen, or it is no longer needed: what `previous` required of
    // its dependencies no longer holds, and a dependency nothing else requires goes too (as the
    // nucleus's removeDependencies counts references).
    std::function<void(const std::string&, const recipe&)> drop_requirements =
        [&](const std::string& owner, const recipe& previous) {
            for (const auto& [dependency, requirement] : dependency_requirements(previous)) {
                auto& constraints = wanted[dependency];
                constraints.erase(owner);
                if (!constraints.empty()) {
                    to_resolve.push_back(dependency);
                    continue;
                }
                if (const auto it = resolved.find(dependency); it != resolved.end()) {
                    const recipe* abandoned = it->second;
                    resolved.erase(it);
                    drop_requirements(dependency, *abandoned);
                }
            }
        };
    while (!to_resolve.empty()) {
        if (--steps_left == 0) {
            return deployment_failure{"Dependency resolution does not converge for " +
                                          to_resolve.front() + "; check the version requirements",
                                      {"DEPLOYMENT_FAILURE", "NO_AVAILABLE_COMPONENT_VERSION"},
                                      {"REQUEST_ERROR"}};
        }
        const std::string name = std::move(to_resolve.front());
        to_resolve.pop_front();
        const auto& constraints = wanted[name];
        if (constraints.empty()) continue;  // no longer needed
        const auto running = inputs.current.find(name);
        auto chosen = resolve_version(
            name, constraints, inputs.store,
            running != inputs.current.end() ? running->second.source->component_version : "");
        if (auto* failure = std::get_if<deployment_failure>(&chosen)) return std::move(*failure);
        const recipe* r = std::get<const recipe*>(chosen);
        const auto previous = resolved.find(name);
        if (previous != resolved.end()) {
            if (previous->second == r) continue;
            drop_requirements(name, *previous->second);
        }
        resolved.insert_or_assign(name, r);
        for (const auto& [dependency, requirement] : dependency_requirements(*r)) {
            wanted[dependency].insert_or_assign(name, requirement);
            to_resolve.push_back(dependency);
        }
    }
    // What the roots reach through the versions chosen; a dependency only an abandoned version
    // had is not deployed.
    std::map<std::string, const recipe*, std::less<>> target;
    std::deque<std::string> reach;
    for (const auto& [name, constraints] : wanted) {
        const bool root = std::any_of(constraints.begin(), constraints.end(), [&](const auto& c) {
            return inputs.groups.contains(c.first) || c.first == plan.group;
        });
        if (root && resolved.contains(name)) reach.push_back(name);
    }
    while (!reach.empty()) {
        const std::string name = std::move(reach.front());
        reach.pop_front();
        const recipe* r = resolved.at(name);
        if (!target.emplace(name, r).second) continue;
        for (const auto& [dependency, requirement] : dependency_requirements(*r))
            reach.push_back(dependency);
    }

    for (const auto& [name, current] : inputs.current) {
        if (!target.contains(name)) plan.removed.push_back(name);
    }
    // What restarts: the new, the changed, and (as the nucleus stops a component's HARD
    // dependents with it and starts them after it) whatever depends on one of those, HARD, at
    // any depth. A SOFT dependent keeps running.
    const auto run_as_of = [&](const std::string& name) {
        if (const auto it = request.run_with_info.find(name); it != request.run_with_info.end())
            return it->second;
        const auto it = inputs.run_with_now.find(name);
        return it == inputs.run_with_now.end() ? run_with{} : it->second;
    };
    for (const auto& [name, info] : request.run_with_info) {
        if (!target.contains(name)) plan.run_with_ignored.push_back(name);
    }
    std::set<std::string, std::less<>> restarted;
    for (const auto& [name, r] : target) {
        const auto current = inputs.current.find(name);
        const auto before = inputs.run_with_now.find(name);
        const bool user_changes =
            run_as_of(name).posix_user !=
            (before == inputs.run_with_now.end() ? std::nullopt : before->second.posix_user);
        if (current == inputs.current.end() || !same_install(*current->second.source, *r) ||
            user_changes)
            restarted.insert(name);
    }
    std::vector<recipe> resolved_recipes;
    if (inputs.interpolate) {
        for (const auto& [name, r] : target)
            resolved_recipes.push_back(*r);
    }
    const auto interpolated = [&](const recipe& r, const nlohmann::json& configuration) {
        return inputs.interpolate ? inputs.interpolate(r, configuration, resolved_recipes)
                                  : configuration;
    };
    for (bool grew = true; grew;) {
        grew = false;
        for (const auto& [name, r] : target) {
            if (restarted.contains(name)) continue;
            for (const auto& dependency : hard_dependencies(*r)) {
                if (restarted.contains(dependency)) {
                    restarted.insert(name);
                    grew = true;
                    break;
                }
            }
        }
    }
    for (const auto& [name, r] : target) {
        const auto current = inputs.current.find(name);
        const bool existed = current != inputs.current.end();
        planned_component planned{
            *r,
            existed && current->second.configuration != nullptr ? current->second.configuration->clone()
                                                                : config_tree{name, now},
            {},
            existed,
            restarted.contains(name),
            !existed || current->second.source->component_version != r->component_version ||
                bootstrap_step(current->second.source->lifecycle) != bootstrap_step(r->lifecycle),
            run_as_of(name)};
        if (const auto update = request.configuration.find(name);
            update != request.configuration.end()) {
            for (const auto& pointer : update->second.reset) {
                const auto path = pointer_to_path(pointer);
                if (!path) {
                    return deployment_failure{
                        "Invalid RESET path " + pointer + " for " + name + ": not a JSON pointer",
                        {"DEPLOYMENT_FAILURE", "DEPLOYMENT_DOCUMENT_NOT_VALID"},
                        {"REQUEST_ERROR"}};
                }
                append_changes(planned.changed, planned.configuration.remove(*path));
            }
        }
        append_changes(planned.changed,
                       planned.configuration.merge(interpolated(*r, r->default_configuration),
                                                   default_value_time, now));
        if (const auto update = request.configuration.find(name);
            update != request.configuration.end()) {
            append_changes(planned.changed,
                           planned.configuration.merge(interpolated(*r, update->second.merge),
                                                       request.timestamp, now));
        }
        if (planned.restart || !planned.changed.empty()) plan.components.push_back(std::move(planned));
    }
    return plan;
}

}  // namespace standin::server::deployments
