// SPDX-License-Identifier: Apache-2.0
#include "deployments/deployment_plan.hpp"

#include <algorithm>
#include <deque>
#include <set>

namespace standin::server::deployments {

namespace {

deployment_failure no_version(const std::string& component, const std::string& constraints) {
    return {
        "No local or cloud component version satisfies the requirements. Check whether the "
        "version constraints conflict and that the component exists in your AWS account with a "
        "version that matches the version constraints. If the version constraints conflict, "
        "revise deployments to resolve the conflict. Component " +
            component + " version constraints: " + constraints + ".",
        {"DEPLOYMENT_FAILURE", "NO_AVAILABLE_COMPONENT_VERSION", "COMPONENT_NOT_FOUND"},
        {"REQUEST_ERROR"}};
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

    // Every group's roots, this group's as they will be.
    std::map<std::string, const recipe*, std::less<>> target;
    std::deque<std::string> dependencies_of;
    const auto add_root = [&](const std::string& group, const std::string& name,
                              const std::string& version) -> std::optional<deployment_failure> {
        const recipe* r = inputs.store.find(name, version);
        if (r == nullptr) return no_version(name, group + " requires =" + version);
        const auto [it, inserted] = target.emplace(name, r);
        if (!inserted && it->second->component_version != version) {
            return no_version(name, group + " requires =" + version +
                                        ", and another group =" + it->second->component_version);
        }
        if (inserted) dependencies_of.push_back(name);
        return std::nullopt;
    };
    for (const auto& [name, version] : plan.roots) {
        if (auto failure = add_root(plan.group, name, version)) return *failure;
    }
    for (const auto& [group, roots] : inputs.groups) {
        if (group == plan.group) continue;
        for (const auto& [name, version] : roots) {
            if (auto failure = add_root(group, name, version)) return *failure;
        }
    }
    while (!dependencies_of.empty()) {
        const recipe& dependent = *target.at(dependencies_of.front());
        dependencies_of.pop_front();
        if (!dependent.dependencies.is_object()) continue;
        for (const auto& [name, dependency] : dependent.dependencies.items()) {
            if (target.contains(name)) continue;
            const recipe* chosen = nullptr;
            if (const auto it = inputs.current.find(name); it != inputs.current.end())
                chosen = inputs.store.find(name, it->second.source->component_version);
            if (chosen == nullptr) chosen = inputs.store.latest(name);
            if (chosen == nullptr) {
                std::string requirement = "*";
                if (dependency.is_object()) {
                    for (const auto& [key, value] : dependency.items()) {
                        if (key == "VersionRequirement" && value.is_string())
                            requirement = value.get<std::string>();
                    }
                }
                return no_version(name, dependent.component_name + " requires " + requirement);
            }
            target.emplace(name, chosen);
            dependencies_of.push_back(name);
        }
    }

    for (const auto& [name, current] : inputs.current) {
        if (!target.contains(name)) plan.removed.push_back(name);
    }
    for (const auto& [name, r] : target) {
        const auto current = inputs.current.find(name);
        const bool existed = current != inputs.current.end();
        planned_component planned{*r,
                                  existed && current->second.configuration != nullptr
                                      ? current->second.configuration->clone()
                                      : config_tree{name, now},
                                  {},
                                  existed,
                                  !existed || !same_install(*current->second.source, *r)};
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
                       planned.configuration.merge(r->default_configuration, default_value_time, now));
        if (const auto update = request.configuration.find(name);
            update != request.configuration.end()) {
            append_changes(planned.changed,
                           planned.configuration.merge(update->second.merge, request.timestamp, now));
        }
        if (planned.restart || !planned.changed.empty()) plan.components.push_back(std::move(planned));
    }
    return plan;
}

}  // namespace standin::server::deployments
