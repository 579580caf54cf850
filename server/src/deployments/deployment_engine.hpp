// SPDX-License-Identifier: Apache-2.0
// The local deployment queue, as the nucleus's DeploymentService and the CLI plugin run it
// (semantics.md §8): deployments run one at a time in the order submitted, each recorded as
//
//   QUEUED (submitted) -> IN_PROGRESS (taken from the queue) -> SUCCEEDED | FAILED | CANCELED
//
// A deployment reads its recipe directory and copies its artifacts (a failure: FAILED,
// FAILED_NO_STATE_CHANGE), works out what changes (deployment_plan.hpp), asks the components whose
// configuration changes (same version) to validate it (a rejection or a timeout:
// FAILED_NO_STATE_CHANGE), then applies the change and waits for the components it restarted. One
// that goes BROKEN, or a Bootstrap step that fails, fails the deployment: with ROLLBACK the previous
// components and configuration are put back (FAILED_ROLLBACK_COMPLETE); with DO_NOTHING, the nucleus's
// local default, what was applied stays (FAILED_ROLLBACK_NOT_REQUESTED). A cancel takes effect until the
// change is applied (CANCELED); after that the deployment runs to its end.
//
// Local deployments skip the pre/post component-update events (the nucleus's
// SKIP_NOTIFY_COMPONENTS for them, semantics.md §5.2). Touched from the I/O thread only.
#pragma once

#include <chrono>
#include <deque>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "deployments/deployment.hpp"
#include "deployments/deployment_host.hpp"
#include "deployments/deployment_plan.hpp"
#include "deployments/recipe_store.hpp"

namespace standin::server::deployments {

class deployment_engine {
public:
    deployment_engine();
    ~deployment_engine();
    deployment_engine(const deployment_engine&) = delete;
    deployment_engine& operator=(const deployment_engine&) = delete;

    // Connects the engine to the daemon (before any submit): the recipes known at startup go to
    // the store, and the deployed components are the roots of LOCAL_DEPLOYMENT. `host` outlives
    // the engine's work.
    void attach(deployment_host& host, const std::vector<recipe>& startup_recipes);
    bool attached() const noexcept { return host_ != nullptr; }

    // Queues `request`; returns its new id. Precondition: attached().
    std::string submit(deployment_request request);

    // nullptr when no deployment has the id.
    const deployment_record* find(std::string_view id) const;
    // Every deployment, oldest first.
    const std::vector<deployment_record>& records() const noexcept { return records_; }

    enum class cancel_outcome { submitted, already_finished, not_found };
    cancel_outcome cancel(std::string_view id);

    // The daemon is shutting down: nothing more is started or applied (a deployment under way
    // stays IN_PROGRESS, as the nucleus leaves one its shutdown interrupts).
    void stop() noexcept { stopped_ = true; }

    // How long a component may take to answer a validation request.
    void set_validation_timeout(std::chrono::milliseconds timeout) { validation_timeout_ = timeout; }
    std::chrono::milliseconds validation_timeout() const noexcept { return validation_timeout_; }

private:
    struct running;

    deployment_record* lookup(std::string_view id);
    void run_next();
    void on_prepared(deployment_host::prepared result);
    void validate();
    void on_validated();
    void apply();
    void on_applied(std::optional<deployment_host::apply_failure> failed);
    void finish(deployment_status status, std::optional<detailed_status> detailed,
                std::optional<deployment_failure> failure = std::nullopt);
    bool cancel_requested() const;

    deployment_host* host_ = nullptr;
    recipe_store store_;
    std::map<std::string, group_roots> groups_;
    std::map<std::string, run_with, std::less<>> run_with_;  // each component's RunWith
    std::vector<deployment_record> records_;
    std::deque<std::pair<std::string, deployment_request>> queue_;
    std::unique_ptr<running> current_;
    std::chrono::milliseconds validation_timeout_;
    bool stopped_ = false;
};

}  // namespace standin::server::deployments
