// SPDX-License-Identifier: Apache-2.0
// The deployment host of the running daemon: deployments reach the component supervisor, the
// component registry (tokens), the authorizer (each component's accessControl policies) and the
// configuration service's store and validation handshake through it, and nothing else of theirs.
#pragma once

#include <chrono>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/steady_timer.hpp>

#include "authz/authorizer.hpp"
#include "components/component_registry.hpp"
#include "config/config_store.hpp"
#include "config/config_validation.hpp"
#include "core/blocking_work.hpp"
#include "deployments/deployment_host.hpp"
#include "lifecycle/configuration_variables.hpp"
#include "lifecycle/supervisor.hpp"

namespace standin::server {

// How long after the components a deployment started reached RUNNING it looks at them again
// (the nucleus's WAIT_SVC_START_POLL_INTERVAL_MILLISEC; compatibility).
inline constexpr std::chrono::milliseconds steady_check_interval{1000};

struct live_deployment_parts {
    component_registry& registry;
    authorizer& authz;
    config_store& configuration;
    config_validation& validation;
    lifecycle::component_supervisor& supervisor;
    blocking_work work;
    std::filesystem::path root;
    // After a deployment added or removed components (new tokens for `standin env`).
    std::function<void()> components_changed;
    // --interpolate-component-configuration: the device the variables resolve to; nullopt: off.
    std::optional<device_layout> interpolation;
};

// A Bootstrap step's exit codes that ask for more ([N] BootstrapSuccessCode).
inline constexpr int bootstrap_restart_requested = 100;
inline constexpr int bootstrap_reboot_requested = 101;

class live_deployment_host final : public deployments::deployment_host {
public:
    explicit live_deployment_host(live_deployment_parts parts) : parts_(std::move(parts)) {}

    void post(std::function<void()> work) override;
    std::map<std::string, const recipe*, std::less<>> deployed() const override;
    const config_tree* configuration(std::string_view component) const override;
    config_time now() const override;
    void prepare(const deployments::deployment_request& request,
                 std::function<void(deployments::deployment_host::prepared)> done) override;
    bool request_validation(
        const std::string& component, const std::string& deployment_id, const nlohmann::json& proposed,
        std::chrono::milliseconds timeout,
        std::function<void(std::optional<model::configuration_validity_report>)> done) override;
    nlohmann::json interpolate(const recipe& component, const nlohmann::json& configuration,
                               const std::vector<recipe>& resolved) const override;
    void apply(deployments::change_set changes,
               std::function<void(std::optional<apply_failure>)> done) override;

    // The daemon stops: pending waits (validation reports, components settling) end unanswered.
    void stop();

private:
    void install(deployments::change_set& changes);
    // Each supervised component's resolved lifecycle (component_supervisor::resolved_lifecycle).
    std::map<std::string, std::string> resolved_lifecycles() const;
    // Restarts each component of `before` whose resolved lifecycle is no longer what it was and
    // that is not in `restarted` yet; adds it there.
    void restart_changed_lifecycles(const std::map<std::string, std::string>& before,
                                    std::vector<std::string>& restarted);
    lifecycle::component_facts facts_of(const deployments::component_install& c,
                                        std::string token) const;
    // Runs the Bootstrap step of each component of `changes` from `next` on that needs it, in
    // order; `done` with the first that fails.
    void bootstrap_from(std::shared_ptr<deployments::change_set> changes, std::size_t next,
                        std::function<void(std::optional<apply_failure>)> done);
    // Runs the Uninstall step of each removed component from `next` on; failures are logged.
    void uninstall_from(std::shared_ptr<std::vector<lifecycle::component_facts>> removed,
                        std::size_t next, std::function<void()> done);
    // Stops and forgets `names`, dependents before their dependencies; then `done`.
    void retire_in_order(std::vector<std::string> names, std::function<void()> done);
    // `done` once every one of `names` is RUNNING or FINISHED and still is a poll interval later
    // (nullopt), or with one that went BROKEN.
    void wait_until_steady(std::vector<std::string> names,
                           std::function<void(std::optional<std::string>)> done);
    // Keeps a weak hold on `timer` for stop().
    std::shared_ptr<boost::asio::steady_timer> track(std::shared_ptr<boost::asio::steady_timer> timer);

    live_deployment_parts parts_;
    std::vector<std::weak_ptr<boost::asio::steady_timer>> timers_;
};

// The root's artifact store, <root>/packages/artifacts, where deployments copy artifacts.
std::filesystem::path artifact_store(const std::filesystem::path& root);

}  // namespace standin::server
