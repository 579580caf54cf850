// SPDX-License-Identifier: Apache-2.0
#include "deployments/deployment_engine.hpp"

#include <algorithm>
#include <utility>

#include "deployments/deployment_id.hpp"
#include "util/log.hpp"

namespace standin::server::deployments {

namespace {

const std::shared_ptr<spdlog::logger>& log() {
    static const auto instance = logger("deployments");
    return instance;
}

}  // namespace

struct deployment_engine::running {
    std::string id;
    deployment_request request;
    std::optional<deployment_plan> plan;
    change_set rollback;
    std::size_t validations_pending = 0;
    std::vector<std::string> rejections;  // "{ name = <c>, message = <m> }" each
    bool validation_timed_out = false;
    bool cancel_requested = false;
    std::optional<deployment_failure> failure;  // what broke, while rolling back
    std::map<std::string, run_with, std::less<>> run_with_before;
};

deployment_engine::deployment_engine() : validation_timeout_(local_validation_timeout) {}
deployment_engine::~deployment_engine() = default;

void deployment_engine::attach(deployment_host& host, const std::vector<recipe>& startup_recipes) {
    host_ = &host;
    auto& roots = groups_[local_deployment_group];
    for (const auto& r : startup_recipes) {
        roots[r.component_name] = r.component_version;
        store_.save(r);
    }
}

std::string deployment_engine::submit(deployment_request request) {
    std::string id = make_deployment_id();
    while (find(id) != nullptr)
        id = make_deployment_id();
    records_.push_back({id, host_->now(), deployment_status::queued, std::nullopt, std::nullopt});
    log()->info("deployment {} queued", id);
    queue_.emplace_back(id, std::move(request));
    if (!current_) host_->post([this] { run_next(); });
    return id;
}

const deployment_record* deployment_engine::find(std::string_view id) const {
    const auto it = std::find_if(records_.begin(), records_.end(),
                                 [id](const deployment_record& r) { return r.id == id; });
    return it == records_.end() ? nullptr : &*it;
}

deployment_record* deployment_engine::lookup(std::string_view id) {
    return const_cast<deployment_record*>(std::as_const(*this).find(id));
}

deployment_engine::cancel_outcome deployment_engine::cancel(std::string_view id) {
    auto* record = lookup(id);
    if (record == nullptr) return cancel_outcome::not_found;
    if (record->status == deployment_status::queued) {
        std::erase_if(queue_, [id](const auto& queued) { return queued.first == id; });
        record->status = deployment_status::canceled;
        log()->info("deployment {} finished: CANCELED (while queued)", id);
        return cancel_outcome::submitted;
    }
    if (record->status != deployment_status::in_progress) return cancel_outcome::already_finished;
    if (current_ && current_->id == id) current_->cancel_requested = true;
    return cancel_outcome::submitted;
}

bool deployment_engine::cancel_requested() const {
    return current_ && current_->cancel_requested;
}

void deployment_engine::run_next() {
    if (stopped_ || current_ || queue_.empty()) return;
    auto [id, request] = std::move(queue_.front());
    queue_.pop_front();
    current_ = std::make_unique<running>();
    current_->id = id;
    current_->request = std::move(request);
    lookup(id)->status = deployment_status::in_progress;
    log()->info("deployment {} in progress", id);
    host_->prepare(current_->request,
                   [this](deployment_host::prepared result) { on_prepared(std::move(result)); });
}

void deployment_engine::on_prepared(deployment_host::prepared result) {
    if (stopped_) return;
    if (auto* failure = std::get_if<deployment_failure>(&result)) {
        finish(deployment_status::failed, detailed_status::failed_no_state_change, std::move(*failure));
        return;
    }
    // Recipes go to the store whatever becomes of the deployment, as the nucleus copies them.
    for (auto& r : std::get<std::vector<recipe>>(result))
        store_.save(std::move(r));
    if (cancel_requested()) {
        finish(deployment_status::canceled, std::nullopt);
        return;
    }
    plan_inputs inputs{store_, {}, groups_, run_with_, nullptr};
    inputs.interpolate = [this](const recipe& component, const nlohmann::json& configuration,
                                const std::vector<recipe>& resolved) {
        return host_->interpolate(component, configuration, resolved);
    };
    for (const auto& [name, source] : host_->deployed())
        inputs.current.emplace(name, current_component{source, host_->configuration(name)});
    auto planned = plan_deployment(current_->request, inputs, host_->now());
    if (auto* failure = std::get_if<deployment_failure>(&planned)) {
        finish(deployment_status::failed, detailed_status::failed_no_state_change, std::move(*failure));
        return;
    }
    current_->plan = std::move(std::get<deployment_plan>(planned));
    for (const auto& name : current_->plan->run_with_ignored) {
        log()->warn(
            "deployment {}: componentToRunWithInfo for {} ignored: the deployment does not "
            "run it",
            current_->id, name);
    }
    validate();
}

void deployment_engine::validate() {
    // As DynamicComponentConfigurationValidator: a component that stays at its version and whose
    // configuration changes is asked, when it listens.
    const auto deployed = host_->deployed();
    std::vector<const planned_component*> to_ask;
    for (const auto& c : current_->plan->components) {
        const auto it = deployed.find(c.source.component_name);
        if (!c.existed || c.changed.empty() || it == deployed.end() ||
            it->second->component_version != c.source.component_version)
            continue;
        to_ask.push_back(&c);
    }
    current_->validations_pending = 1;  // held while asking, so that no answer finishes early
    for (const auto* c : to_ask) {
        const std::string name = c->source.component_name;
        const bool asked = host_->request_validation(
            name, current_->id, c->configuration.root().to_json(), validation_timeout_,
            [this, name, id = current_->id](std::optional<model::configuration_validity_report> report) {
                if (!current_ || current_->id != id) return;
                if (!report) {
                    current_->validation_timed_out = true;
                } else if (report->status.known() == model::configuration_validity_status::rejected) {
                    current_->rejections.push_back(
                        "{ name = " + name + ", message = " + report->message.value_or("null") + " }");
                }
                if (--current_->validations_pending == 0) on_validated();
            });
        if (asked) ++current_->validations_pending;
    }
    if (--current_->validations_pending == 0) on_validated();
}

void deployment_engine::on_validated() {
    if (stopped_) return;
    if (!current_->rejections.empty()) {
        std::string cause = "Components reported that their to-be-deployed configuration is invalid";
        for (const auto& rejection : current_->rejections)
            cause += " " + rejection;
        finish(deployment_status::failed, detailed_status::failed_no_state_change,
               deployment_failure{std::move(cause),
                                  {"DEPLOYMENT_FAILURE", "COMPONENT_CONFIGURATION_NOT_VALID"},
                                  {"COMPONENT_ERROR"}});
        return;
    }
    if (current_->validation_timed_out) {
        finish(deployment_status::failed, detailed_status::failed_no_state_change,
               deployment_failure{"Error while waiting for validation report for one or more "
                                  "components: no report within " +
                                      std::to_string(validation_timeout_.count()) + " ms",
                                  {"DEPLOYMENT_FAILURE", "COMPONENT_CONFIGURATION_NOT_VALID"},
                                  {"COMPONENT_ERROR"}});
        return;
    }
    if (cancel_requested()) {
        finish(deployment_status::canceled, std::nullopt);
        return;
    }
    apply();
}

void deployment_engine::apply() {
    const auto deployed = host_->deployed();
    deployment_plan& plan = *current_->plan;
    change_set changes;
    change_set& rollback = current_->rollback;
    changes.remove = plan.removed;
    // The way back: what is new goes; what changed or went comes back as it was, restarted when
    // its recipe changed or it stopped.
    const auto restore = [&](const std::string& name, bool restart, std::vector<config_path> changed) {
        const auto it = deployed.find(name);
        const config_tree* configuration = host_->configuration(name);
        const auto before = run_with_.find(name);
        rollback.components.push_back(
            {*it->second,
             configuration != nullptr ? configuration->clone() : config_tree{name, host_->now()},
             std::move(changed), restart, false,
             before == run_with_.end() ? run_with{} : before->second});
    };
    for (const auto& name : plan.removed)
        restore(name, true, {});
    for (auto& c : plan.components) {
        if (!c.existed) {
            rollback.remove.push_back(c.source.component_name);
        } else {
            restore(c.source.component_name, c.restart, c.changed);
        }
        const auto& limits = c.run_as;
        if (c.restart && (limits.memory_kib || limits.cpus)) {
            log()->warn(
                "deployment {}: {} systemResourceLimits (memory {} KiB, cpus {}) recorded, "
                "not enforced",
                current_->id, c.source.component_name,
                limits.memory_kib ? std::to_string(*limits.memory_kib) : "-",
                limits.cpus ? nlohmann::json(*limits.cpus).dump() : "-");
        }
        changes.components.push_back({std::move(c.source), std::move(c.configuration),
                                      std::move(c.changed), c.restart, c.bootstrap, c.run_as});
    }
    log()->info("deployment {}: {} component(s) to install or reconfigure, {} to remove", current_->id,
                changes.components.size(), changes.remove.size());
    current_->run_with_before = run_with_;
    for (const auto& name : changes.remove)
        run_with_.erase(name);
    for (const auto& c : changes.components)
        run_with_.insert_or_assign(c.source.component_name, c.run_as);
    host_->apply(std::move(changes),
                 [this, id = current_->id](std::optional<deployment_host::apply_failure> failed) {
                     if (current_ && current_->id == id) on_applied(std::move(failed));
                 });
}

void deployment_engine::on_applied(std::optional<deployment_host::apply_failure> failed) {
    if (stopped_) return;
    if (current_->failure) {
        // The rollback is done (what it could restore, it did).
        finish(deployment_status::failed, detailed_status::failed_rollback_complete,
               std::move(current_->failure));
        return;
    }
    if (!failed) {
        groups_[current_->plan->group] = current_->plan->roots;
        finish(deployment_status::succeeded, detailed_status::successful);
        return;
    }
    if (failed->bootstrap) {
        // Bootstrap steps run before anything is stopped or installed: nothing changed.
        run_with_ = std::move(current_->run_with_before);
        finish(deployment_status::failed, detailed_status::failed_no_state_change,
               std::move(*failed->bootstrap));
        return;
    }
    deployment_failure failure{"Service " + failed->component + " in broken state after deployment",
                               {"DEPLOYMENT_FAILURE", "COMPONENT_UPDATE_ERROR", "COMPONENT_BROKEN"},
                               {"USER_COMPONENT_ERROR"}};
    if (!current_->request.rollback) {
        // The nucleus keeps the group's new roots when it does not roll back.
        groups_[current_->plan->group] = current_->plan->roots;
        finish(deployment_status::failed, detailed_status::failed_rollback_not_requested,
               std::move(failure));
        return;
    }
    log()->warn("deployment {}: {}; rolling back", current_->id, failure.cause);
    current_->failure = std::move(failure);
    for (const auto& name : current_->rollback.remove)
        run_with_.erase(name);
    for (const auto& c : current_->rollback.components)
        run_with_.insert_or_assign(c.source.component_name, c.run_as);
    host_->apply(std::move(current_->rollback),
                 [this, id = current_->id](std::optional<deployment_host::apply_failure> still) {
                     if (!current_ || current_->id != id) return;
                     if (still)
                         log()->warn("deployment {}: {} is broken after the rollback too", id,
                                     still->component);
                     on_applied(std::nullopt);
                 });
}

void deployment_engine::finish(deployment_status status, std::optional<detailed_status> detailed,
                               std::optional<deployment_failure> failure) {
    auto* record = lookup(current_->id);
    record->status = status;
    record->detailed = detailed;
    // One line per finished deployment, the same for every outcome (scripts and tests wait on it).
    log()->info("deployment {} finished: {}{}", current_->id, status_name(status),
                failure ? ": " + failure->cause : "");
    record->failure = std::move(failure);
    current_.reset();
    host_->post([this] { run_next(); });
}

}  // namespace standin::server::deployments
