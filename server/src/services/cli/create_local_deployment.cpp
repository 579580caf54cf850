// SPDX-License-Identifier: Apache-2.0
// aws.greengrass#CreateLocalDeployment (semantics.md §8.1), in the CLI's order after
// authorization: componentToConfiguration read as MERGE (an object) and RESET (a list of JSON
// pointers) per component; an artifacts directory that contains the root's artifact store is
// InvalidArtifactsDirectoryPathError (a recursive copy); a groupName with ':' is
// InvalidArgumentsError; a componentToRunWithInfo posixUser that is not user[:group], or a negative
// limit, is InvalidArgumentsError (the nucleus takes them as they come; a component named there
// that the deployment does not run is ignored, as by the nucleus, with a warning in the log).
// Then the deployment is queued and its id answered; everything else (a
// missing recipe folder, a bad recipe, an unknown version) fails the deployment, not the call.
#include <chrono>

#include "services/cli/local_deployments.hpp"

namespace standin::server::cli_service {

namespace {

namespace fs = std::filesystem;

// Path.startsWith: whole components, after making both absolute.
bool contains(const fs::path& dir, const fs::path& inside) {
    const auto parent = fs::absolute(dir).lexically_normal();
    const auto child = fs::absolute(inside).lexically_normal();
    auto p = parent.begin();
    auto c = child.begin();
    for (; p != parent.end(); ++p, ++c) {
        if (p->empty()) continue;  // the trailing "" of "dir/"
        if (c == child.end() || *p != *c) return false;
    }
    return true;
}

// The CLI's cast of each entry to a ConfigurationUpdateOperation; a shape it cannot cast is the
// ServiceError its translateExceptions makes of the ClassCastException.
std::variant<deployments::configuration_update, model::ipc_error> configuration_update_of(
    const std::string& component, const nlohmann::json& entry) {
    deployments::configuration_update out;
    if (!entry.is_object())
        return model::ipc_error::service("componentToConfiguration." + component + " must be an object");
    if (const auto merge = entry.find("MERGE"); merge != entry.end() && !merge->is_null()) {
        if (!merge->is_object())
            return model::ipc_error::service("MERGE of " + component + " must be an object");
        out.merge = *merge;
    }
    if (const auto reset = entry.find("RESET"); reset != entry.end() && !reset->is_null()) {
        if (!reset->is_array())
            return model::ipc_error::service("RESET of " + component +
                                             " must be a list of JSON pointers");
        for (const auto& pointer : *reset) {
            if (!pointer.is_string())
                return model::ipc_error::service("RESET of " + component +
                                                 " must be a list of JSON pointers");
            out.reset.push_back(pointer.get<std::string>());
        }
    }
    return out;
}

// A componentToRunWithInfo entry: the nucleus takes posixUser as "user" or "user:group" and the
// limits as given; what cannot be a user or a limit is refused here, before it could fail every
// script of the component.
std::variant<deployments::run_with, model::ipc_error> run_with_of(const std::string& component,
                                                                  const model::run_with_info& info) {
    deployments::run_with out;
    if (info.posixUser) {
        const auto& user = *info.posixUser;
        const auto colon = user.find(':');
        const bool well_formed =
            !user.empty() && colon != 0 &&
            (colon == std::string::npos ||
             (colon + 1 < user.size() && user.find(':', colon + 1) == std::string::npos));
        if (!well_formed)
            return model::ipc_error::invalid_arguments("componentToRunWithInfo." + component +
                                                       ".posixUser must be user or user:group, not '" +
                                                       user + "'");
        out.posix_user = user;
    }
    out.windows_user = info.windowsUser;
    if (const auto& limits = info.systemResourceLimits) {
        if (limits->memory && *limits->memory < 0)
            return model::ipc_error::invalid_arguments(
                "componentToRunWithInfo." + component +
                ".systemResourceLimits.memory must not be negative");
        if (limits->cpus && !(*limits->cpus > 0))
            return model::ipc_error::invalid_arguments("componentToRunWithInfo." + component +
                                                       ".systemResourceLimits.cpus must be positive");
        out.memory_kib = limits->memory;
        out.cpus = limits->cpus;
    }
    return out;
}

struct create_local_deployment_op {
    using row = model::operation<"CreateLocalDeployment">;
    using state = local_deployments;

    static std::optional<model::ipc_error> validate(local_deployments& state, const call_context&,
                                                    const row::request& r) {
        if (r.componentToConfiguration) {
            for (const auto& [component, entry] : *r.componentToConfiguration) {
                auto update = configuration_update_of(component, entry);
                if (auto* error = std::get_if<model::ipc_error>(&update)) return std::move(*error);
            }
        }
        if (r.componentToRunWithInfo) {
            for (const auto& [component, info] : *r.componentToRunWithInfo) {
                auto run_with = run_with_of(component, info);
                if (auto* error = std::get_if<model::ipc_error>(&run_with)) return std::move(*error);
            }
        }
        if (r.artifactsDirectoryPath && !r.artifactsDirectoryPath->empty() &&
            contains(*r.artifactsDirectoryPath, state.root / "packages" / "artifacts")) {
            return model::ipc_error::make(
                model::error_kind::invalid_artifacts_directory_path_error,
                "Requested artifacts directory path is parent of kernel artifacts directory path. "
                "Specify another path to avoid recursive copy");
        }
        if (r.groupName && r.groupName->find(':') != std::string::npos)
            return model::ipc_error::invalid_arguments(
                "Thing group name cannot contain colon characters");
        if (!state.engine.attached())
            return model::ipc_error::service(
                "Greengrass not setup to receive deployments. The Greengrass CLI component may "
                "not have been installed correctly.");
        return std::nullopt;
    }

    static answer<row::response> handle(local_deployments& state, const call_context&, row::request& r) {
        deployments::deployment_request request;
        request.group_name = r.groupName.value_or("");
        if (r.rootComponentVersionsToAdd)
            request.components_to_add = std::move(*r.rootComponentVersionsToAdd);
        if (r.rootComponentsToRemove)
            request.components_to_remove = std::move(*r.rootComponentsToRemove);
        if (r.componentToConfiguration) {
            for (const auto& [component, entry] : *r.componentToConfiguration)
                request.configuration[component] = std::get<deployments::configuration_update>(
                    configuration_update_of(component, entry));
        }
        if (r.componentToRunWithInfo) {
            for (const auto& [component, info] : *r.componentToRunWithInfo)
                request.run_with_info[component] =
                    std::get<deployments::run_with>(run_with_of(component, info));
        }
        if (r.recipeDirectoryPath && !r.recipeDirectoryPath->empty())
            request.recipe_dir = fs::path{*r.recipeDirectoryPath};
        if (r.artifactsDirectoryPath && !r.artifactsDirectoryPath->empty())
            request.artifacts_dir = fs::path{*r.artifactsDirectoryPath};
        request.rollback = r.failureHandlingPolicy.known() == model::failure_handling_policy::rollback;
        request.timestamp = std::chrono::duration_cast<std::chrono::milliseconds>(
                                std::chrono::system_clock::now().time_since_epoch())
                                .count();
        return row::response{.deploymentId = state.engine.submit(std::move(request))};
    }
};

}  // namespace

operation_entry create_local_deployment(local_deployments& state) {
    return make_operation<create_local_deployment_op>(state);
}

}  // namespace standin::server::cli_service
