// SPDX-License-Identifier: Apache-2.0
#include "lifecycle/component_lifecycle.hpp"

#include <utility>

namespace standin::server::lifecycle {

std::string_view state_name(component_state state) noexcept {
    switch (state) {
        case component_state::new_:
            return "NEW";
        case component_state::installed:
            return "INSTALLED";
        case component_state::starting:
            return "STARTING";
        case component_state::running:
            return "RUNNING";
        case component_state::stopping:
            return "STOPPING";
        case component_state::finished:
            return "FINISHED";
        case component_state::errored:
            return "ERRORED";
        case component_state::broken:
            return "BROKEN";
    }
    return "NEW";
}

std::string_view step_name(step s) noexcept {
    switch (s) {
        case step::install:
            return "install";
        case step::startup:
            return "startup";
        case step::run:
            return "run";
        case step::shutdown:
            return "shutdown";
        case step::recover:
            return "recover";
    }
    return "run";
}

component_lifecycle::component_lifecycle(steps_present steps, std::function<clock::time_point()> now,
                                         std::chrono::seconds error_reset_time)
    : steps_(steps),
      now_(now ? std::move(now) : [] { return clock::now(); }),
      error_reset_time_(error_reset_time) {}

bool component_lifecycle::at_rest() const noexcept {
    if (awaited_) return false;
    switch (state_) {
        case component_state::finished:
        case component_state::broken:
            return true;
        case component_state::new_:
        case component_state::installed:
            return desired_ != desire::running;
        default:
            return false;
    }
}

std::vector<action> component_lifecycle::take_actions() {
    return std::exchange(actions_, {});
}

void component_lifecycle::request_start() {
    desired_ = desire::running;
    if (state_ == component_state::finished) enter(component_state::installed);
    settle();
}

void component_lifecycle::request_stop() {
    // FINISHED is unreachable from BROKEN: a broken component stays broken ([N] Lifecycle.java).
    if (state_ == component_state::broken || state_ == component_state::finished) {
        desired_ = desire::none;
        return;
    }
    desired_ = desire::finished;
    settle();
}

bool component_lifecycle::request_restart() {
    if (state_ == component_state::new_ && desired_ == desire::none && !awaited_) return false;
    desired_ = desire::running;
    switch (state_) {
        case component_state::broken:
            // A restart gives a broken component a new chance: its error history goes.
            for (auto& times : errors_)
                times.clear();
            awaited_.reset();
            enter(component_state::installed);
            break;
        case component_state::finished:
            enter(component_state::installed);
            break;
        case component_state::starting:
        case component_state::running:
            begin_stopping();
            break;
        default:
            // NEW, INSTALLED: settle() starts it; STOPPING, ERRORED: it starts again once the step
            // under way has ended, since RUNNING is now wanted.
            break;
    }
    settle();
    return true;
}

void component_lifecycle::set_dependencies_ready(bool ready) {
    dependencies_ready_ = ready;
    settle();
}

bool component_lifecycle::report(reported_state reported) {
    // [N] Lifecycle.java ALLOWED_STATE_TRANSITION_FOR_REPORTING, for the two states UpdateState
    // can report.
    switch (reported) {
        case reported_state::running:
            if (state_ != component_state::starting) return false;
            reset_errors(component_state::starting);
            enter(component_state::running);
            settle();
            return true;
        case reported_state::errored:
            if (state_ != component_state::new_ && state_ != component_state::starting &&
                state_ != component_state::running && state_ != component_state::stopping) {
                return false;
            }
            errored(state_, "the component reported ERRORED");
            settle();
            return true;
    }
    return false;
}

void component_lifecycle::step_exited(step which, std::uint64_t generation, int exit_code) {
    const std::string code = std::to_string(exit_code);
    if (which == step::startup) {
        // A startup that exits after the component reported RUNNING itself still counts.
        if (generation != startup_generation_) return;
        startup_generation_ = 0;
        if (state_ == component_state::starting && exit_code == 0) {
            reset_errors(component_state::starting);
            enter(component_state::running);
        } else if ((state_ == component_state::starting || state_ == component_state::running) &&
                   exit_code != 0) {
            errored(state_, "Non-zero exit code in startup: " + code);
        }
    } else if (which == step::run) {
        if (generation != run_generation_ || state_ != component_state::running) return;
        run_generation_ = 0;
        if (exit_code == 0) {
            // The service finished running: it stops, and ends FINISHED.
            desired_ = desire::finished;
        } else {
            errored(component_state::running, "Run script exited with code " + code);
        }
    } else {
        if (!awaiting(which, generation)) return;
        awaited_.reset();
        switch (which) {
            case step::install:
                if (exit_code == 0) {
                    reset_errors(component_state::new_);
                    enter(component_state::installed);
                } else {
                    errored(component_state::new_, "Script errored in install: exit code " + code);
                }
                break;
            case step::shutdown:
                // The shutdown script's exit code does not matter; its end does.
                if (state_ == component_state::stopping) {
                    finish_stopping();
                } else {
                    actions_.push_back(end_processes{});  // BROKEN
                }
                break;
            case step::recover:
                after_error();
                break;
            default:
                break;
        }
    }
    settle();
}

void component_lifecycle::step_timed_out(step which, std::uint64_t generation) {
    if (which == step::startup) {
        if (generation != startup_generation_ || state_ != component_state::starting) return;
        startup_generation_ = 0;
        errored(component_state::starting, "startup timeout");
    } else if (which == step::run) {
        if (generation != run_generation_ || state_ != component_state::running) return;
        run_generation_ = 0;
        errored(component_state::running, "Service failed to run within timeout");
    } else {
        if (!awaiting(which, generation)) return;
        awaited_.reset();
        switch (which) {
            case step::install:
                errored(component_state::new_, "Timeout in install");
                break;
            case step::shutdown:
                actions_.push_back(end_processes{});
                if (state_ == component_state::stopping) {
                    errored(component_state::stopping, "Timeout in shutdown");
                }
                break;
            case step::recover:
                // The nucleus logs a recovery handler that times out and carries on.
                after_error();
                break;
            default:
                break;
        }
    }
    settle();
}

// ---- transitions -------------------------------------------------------------------------------

std::vector<component_lifecycle::transition> component_lifecycle::take_transitions() {
    return std::exchange(transitions_, {});
}

void component_lifecycle::enter(component_state next) {
    if (next != state_) transitions_.push_back({state_, next});
    state_ = next;
}

void component_lifecycle::settle() {
    for (bool moved = true; moved;) {
        moved = false;
        if (awaited_) return;  // the end of the step under way decides what comes next
        switch (state_) {
            case component_state::new_:
                if (desired_ == desire::running) {
                    begin_install();
                    moved = true;
                } else if (desired_ == desire::finished) {
                    desired_ = desire::none;
                }
                break;
            case component_state::installed:
                if (desired_ == desire::running && dependencies_ready_) {
                    begin_starting();
                    moved = true;
                } else if (desired_ == desire::finished) {
                    desired_ = desire::none;
                    enter(component_state::finished);
                }
                break;
            case component_state::starting:
            case component_state::running:
                if (desired_ == desire::finished) {
                    begin_stopping();
                    moved = true;
                }
                break;
            default:
                break;
        }
    }
}

void component_lifecycle::begin_install() {
    if (steps_[step::install]) {
        run(step::install);
    } else {
        enter(component_state::installed);
    }
}

void component_lifecycle::begin_starting() {
    enter(component_state::starting);
    if (steps_[step::startup]) {
        run(step::startup);
        startup_generation_ = generation_;
    } else if (steps_[step::run]) {
        // Run reports RUNNING as soon as its process is started.
        run(step::run);
        run_generation_ = generation_;
        reset_errors(component_state::starting);
        enter(component_state::running);
    } else {
        // Nothing to start: done.
        desired_ = desire::none;
        enter(component_state::finished);
    }
}

void component_lifecycle::begin_stopping() {
    enter(component_state::stopping);
    awaited_.reset();
    startup_generation_ = 0;
    run_generation_ = 0;
    if (steps_[step::shutdown]) {
        run(step::shutdown);
        awaited_ = step::shutdown;
        awaited_generation_ = generation_;
    } else {
        finish_stopping();
    }
}

void component_lifecycle::finish_stopping() {
    actions_.push_back(end_processes{});
    go_to_desired_after_stop();
}

void component_lifecycle::go_to_desired_after_stop() {
    if (desired_ == desire::running) {
        enter(component_state::installed);
    } else {
        desired_ = desire::none;
        enter(component_state::finished);
    }
}

void component_lifecycle::errored(component_state from, std::string why) {
    reason_ = std::move(why);
    awaited_.reset();
    startup_generation_ = 0;
    run_generation_ = 0;
    auto& times = errors_[static_cast<std::size_t>(from)];
    const auto now = now_();
    if (!times.empty() && now - times.back() >= error_reset_time_) times.clear();
    times.push_back(now);
    if (times.size() >= static_cast<std::size_t>(maximum_continual_errors)) {
        // Stopping service in BROKEN state: its shutdown runs, its processes end.
        desired_ = desire::none;
        enter(component_state::broken);
        if (steps_[step::shutdown]) {
            run(step::shutdown);
            awaited_ = step::shutdown;
            awaited_generation_ = generation_;
        } else {
            actions_.push_back(end_processes{});
        }
        return;
    }
    errored_from_ = from;
    enter(component_state::errored);
    if (steps_[step::recover]) {
        run(step::recover);
        awaited_ = step::recover;
        awaited_generation_ = generation_;
    } else {
        after_error();
    }
}

void component_lifecycle::after_error() {
    // An error is retried: RUNNING is wanted again unless something else was asked for.
    if (desired_ == desire::none) desired_ = desire::running;
    switch (errored_from_) {
        case component_state::starting:
        case component_state::running:
            begin_stopping();
            break;
        case component_state::new_:
            enter(component_state::new_);  // install again
            break;
        default:
            // From STOPPING (its processes already ended): where the stop was going.
            go_to_desired_after_stop();
            break;
    }
}

void component_lifecycle::run(step which) {
    ++generation_;
    actions_.push_back(run_step{which, generation_});
    if (which == step::install) {
        awaited_ = step::install;
        awaited_generation_ = generation_;
    }
}

bool component_lifecycle::awaiting(step which, std::uint64_t generation) const noexcept {
    return awaited_ && *awaited_ == which && awaited_generation_ == generation;
}

void component_lifecycle::reset_errors(component_state from) noexcept {
    errors_[static_cast<std::size_t>(from)].clear();
}

}  // namespace standin::server::lifecycle
