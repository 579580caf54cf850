// SPDX-License-Identifier: Apache-2.0
// What the deployment engine needs of the rest of the daemon, and nothing more: the components
// deployed now and their configuration, the validate-configuration handshake, and applying a
// change (stop, install, reconfigure, start, and wait for the result). The daemon implements it
// over the supervisor, the registry, the authorizer and the config store (live_host); tests fake
// it. Everything is called, and calls back, on the I/O thread.
#pragma once

#include <chrono>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include <nlohmann/json.hpp>

#include "config/config_tree.hpp"
#include "deployments/deployment.hpp"
#include "recipes/recipe.hpp"
#include "standin/model/config.hpp"

namespace standin::server::deployments {

// One component as a change leaves it.
struct component_install {
    recipe source;
    config_tree configuration;
    std::vector<config_path> changed;  // configuration paths to tell its watchers of
    bool restart = false;              // stop it if it runs, then install and start it
    // Run its Bootstrap step (when it has one) after stopping it and before installing it: the
    // component is new or its version changes ([N] GenericExternalService#isBootstrapRequired).
    bool bootstrap = false;
    run_with run_as;  // its RunWith, as the deployment leaves it
};

struct change_set {
    std::vector<std::string> remove;  // stopped, then forgotten
    std::vector<component_install> components;
};

class deployment_host {
public:
    virtual ~deployment_host() = default;

    // Runs `work` later on the I/O thread.
    virtual void post(std::function<void()> work) = 0;

    // The recipe components deployed now, by name.
    virtual std::map<std::string, const recipe*, std::less<>> deployed() const = 0;
    virtual const config_tree* configuration(std::string_view component) const = 0;
    virtual config_time now() const = 0;

    // Configuration as the daemon hands it to `component` (its DefaultConfiguration, a MERGE):
    // with --interpolate-component-configuration, its system recipe variables replaced; `resolved`
    // holds every recipe the deployment resolved (for its dependencies' paths). As is by default.
    virtual nlohmann::json interpolate(const recipe& component, const nlohmann::json& configuration,
                                       const std::vector<recipe>& resolved) const {
        (void)component;
        (void)resolved;
        return configuration;
    }

    // Reads the request's recipe directory and copies its artifact directory into the root's, off
    // the I/O thread; `done` with the recipes, or with why it could not.
    using prepared = std::variant<std::vector<recipe>, deployment_failure>;
    virtual void prepare(const deployment_request& request, std::function<void(prepared)> done) = 0;

    // Asks `component` to validate `proposed` for `deployment_id`; `done` with its report, or with
    // nullopt when it did not answer within `timeout`. False (and no `done`) when it does not
    // listen.
    virtual bool request_validation(
        const std::string& component, const std::string& deployment_id, const nlohmann::json& proposed,
        std::chrono::milliseconds timeout,
        std::function<void(std::optional<model::configuration_validity_report>)> done) = 0;

    // Applies `changes`; `done` once every component restarted is RUNNING or FINISHED and stays so
    // (nullopt), or with why not: the name of one that went BROKEN, or a Bootstrap step that
    // failed (then nothing was installed).
    struct apply_failure {
        std::string component;
        std::optional<deployment_failure> bootstrap;  // nullopt: the component went BROKEN
    };
    virtual void apply(change_set changes, std::function<void(std::optional<apply_failure>)> done) = 0;
};

}  // namespace standin::server::deployments
