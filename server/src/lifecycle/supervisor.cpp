// SPDX-License-Identifier: Apache-2.0
#include "lifecycle/supervisor.hpp"

#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <list>

#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>

#include "components/component_environment.hpp"
#include "lifecycle/artifact_preparation.hpp"
#include "lifecycle/component_output.hpp"
#include "lifecycle/script_process.hpp"
#include "standin/protocol/message.hpp"
#include "util/log.hpp"

extern char** environ;

namespace standin::server::lifecycle {

namespace asio = boost::asio;
namespace fs = std::filesystem;

namespace {

// Archives to unpack, or Artifacts to refuse: work for the start of the install step.
bool needs_preparation(const recipe_artifacts& artifacts) {
    return !artifacts.problems.empty() ||
           std::any_of(artifacts.artifacts.begin(), artifacts.artifacts.end(),
                       [](const recipe_artifact& a) { return a.unarchive != unarchive_method::none; });
}

const std::shared_ptr<spdlog::logger>& log() {
    static const auto instance = logger("lifecycle");
    return instance;
}

bool is_hard(const nlohmann::json& dependency) {
    if (!dependency.is_object()) return true;
    for (const auto& [key, value] : dependency.items()) {
        if (protocol::ascii_iequals(key, "DependencyType") && value.is_string())
            return !protocol::ascii_iequals(value.get<std::string>(), "SOFT");
    }
    return true;
}

std::string seconds_text(std::chrono::seconds s) {
    return std::to_string(s.count()) + " s";
}

}  // namespace

struct component_supervisor::live_process {
    step which;
    std::uint64_t generation;
    std::shared_ptr<script_process> process;
    std::unique_ptr<asio::steady_timer> timeout;
    std::unique_ptr<asio::steady_timer> kill_after_grace;
    bool ending = false;
};

struct component_supervisor::supervised {
    supervised(component_facts f, lifecycle_spec s)
        : facts(std::move(f)), spec(std::move(s)), fsm(spec.present()) {}

    component_facts facts;
    lifecycle_spec spec;
    component_lifecycle fsm;
    std::set<std::string, std::less<>> hard_dependencies;
    std::set<std::string, std::less<>> dependencies;
    std::unique_ptr<component_output> output;
    std::list<live_process> processes;
    // Process groups of scripts that have exited, for whatever they left running.
    std::vector<pid_t> left_groups;
    bool deps_ready = true;
    bool paused = false;
    bool stop_requested = false;  // by stop_all
    bool privilege_warned = false;
    bool run_as_warned = false;
};

struct component_supervisor::one_shot {
    one_shot(component_facts facts, lifecycle_spec spec)
        : component(std::move(facts), std::move(spec)) {}
    supervised component;  // not in components_: its variables and environment only
    std::shared_ptr<script_process> process;
    std::unique_ptr<asio::steady_timer> timeout;
    std::function<void(deployment_step_result)> done;
    bool timed_out = false;
};

component_supervisor::component_supervisor() = default;

component_supervisor::~component_supervisor() {
    for (const auto& started : started_) {
        if (const auto process = started.lock()) process->detach();
    }
}

void component_supervisor::add(component_facts facts) {
    std::vector<std::string> warnings;
    auto spec = parse_lifecycle(facts.lifecycle, warnings);
    for (const auto& w : warnings)
        log()->warn("{}: {}", facts.name, w);
    // Archives are unpacked (and bad Artifacts refused) as the install step starts: a component
    // with no Install of its own gets an empty one, so that its artifacts are prepared all the same.
    if (needs_preparation(facts.artifacts) && !spec.steps[static_cast<std::size_t>(step::install)])
        spec.steps[static_cast<std::size_t>(step::install)] = step_spec{};
    auto c = std::make_unique<supervised>(std::move(facts), std::move(spec));
    if (c->facts.dependencies.is_object()) {
        for (const auto& [name, dependency] : c->facts.dependencies.items()) {
            c->dependencies.insert(name);
            if (is_hard(dependency)) c->hard_dependencies.insert(name);
        }
    }
    const std::string name = c->facts.name;
    if (io_ && settings_.launch) {
        c->output = std::make_unique<component_output>(settings_.root / "logs", name, settings_.terminal,
                                                       components_.size());
    }
    components_.insert_or_assign(name, std::move(c));
}

void component_supervisor::set_configuration_source(
    std::function<std::optional<nlohmann::json>(std::string_view)> source) {
    configuration_source_ = std::move(source);
}

void component_supervisor::launch(const asio::any_io_executor& io, supervisor_settings settings) {
    io_ = io;
    settings_ = std::move(settings);
    std::size_t index = 0;
    for (auto& [name, c] : components_) {
        for (const auto& dependency : c->dependencies) {
            if (!components_.contains(dependency))
                log()->warn("{} depends on {}, which no recipe defines; ignored", name, dependency);
        }
        if (settings_.launch) {
            c->output = std::make_unique<component_output>(settings_.root / "logs", name,
                                                           settings_.terminal, index++);
        }
        c->deps_ready = dependencies_ready(*c);
        c->fsm.set_dependencies_ready(c->deps_ready);
        c->fsm.request_start();
    }
    settle_all();
}

void component_supervisor::stop_all(std::function<void()> done) {
    stopped_ = std::move(done);
    if (!io_) {
        if (auto call = std::exchange(stopped_, nullptr)) call();
        return;
    }
    stopping_all_ = true;
    settle_all();
}

void component_supervisor::kill_all() {
    for (auto& [name, c] : components_) {
        if (c->paused) {
            for (auto& p : c->processes)
                p.process->signal_group(SIGCONT);
        }
        for (auto& p : c->processes)
            p.process->signal_group(SIGKILL);
        for (const auto group : c->left_groups)
            ::kill(-group, SIGKILL);
        c->left_groups.clear();
    }
}

// ---- operations --------------------------------------------------------------------------------

std::vector<component_view> component_supervisor::components() const {
    std::vector<component_view> out;
    out.reserve(components_.size());
    for (const auto& [name, c] : components_)
        out.push_back(
            {c->facts.name, c->facts.version, c->facts.component_type, c->fsm.state(), c->paused});
    return out;
}

std::optional<component_view> component_supervisor::find(std::string_view name) const {
    const auto it = components_.find(name);
    if (it == components_.end()) return std::nullopt;
    const auto& c = *it->second;
    return component_view{c.facts.name, c.facts.version, c.facts.component_type, c.fsm.state(),
                          c.paused};
}

const component_facts* component_supervisor::facts_of(std::string_view name) const {
    const auto it = components_.find(name);
    return it == components_.end() ? nullptr : &it->second->facts;
}

namespace {

void interpolate_strings(nlohmann::json& value, const variable_context& context) {
    if (value.is_string()) {
        value = interpolate(value.get_ref<const std::string&>(), context);
    } else if (value.is_structured()) {
        for (auto& child : value)
            interpolate_strings(child, context);
    }
}

}  // namespace

std::string component_supervisor::resolved_lifecycle(std::string_view name) const {
    const auto it = components_.find(name);
    if (it == components_.end()) return {};
    auto lifecycle = it->second->facts.lifecycle;
    interpolate_strings(lifecycle, variables_for(*it->second));
    return lifecycle.dump();
}

std::optional<nlohmann::json> component_supervisor::configuration_of(std::string_view name) const {
    if (!configuration_source_) return std::nullopt;
    return configuration_source_(name);
}

bool component_supervisor::restart(std::string_view name) {
    auto* c = lookup(name);
    if (c == nullptr || !io_) return false;
    const bool accepted = c->fsm.request_restart();
    settle_all();
    return accepted;
}

void component_supervisor::stop(std::string_view name) {
    auto* c = lookup(name);
    if (c == nullptr || !io_) return;
    c->fsm.request_stop();
    settle_all();
}

bool component_supervisor::report(std::string_view name, reported_state reported) {
    auto* c = lookup(name);
    if (c == nullptr) return false;
    const bool accepted = c->fsm.report(reported);
    if (c->output) {
        c->output->note(
            std::string{"UpdateState "} + (reported == reported_state::running ? "RUNNING" : "ERRORED") +
            (accepted ? "" : " ignored in state " + std::string{state_name(c->fsm.state())}));
    }
    settle_all();
    return accepted;
}

component_supervisor::update_listener::update_listener(component_supervisor& owner,
                                                       std::string component)
    : owner_(owner), component_(std::move(component)) {
    ++owner_.update_listeners_[component_];
}

component_supervisor::update_listener::~update_listener() {
    const auto it = owner_.update_listeners_.find(component_);
    if (it != owner_.update_listeners_.end() && --it->second == 0) owner_.update_listeners_.erase(it);
}

std::unique_ptr<component_supervisor::update_listener> component_supervisor::listen_for_updates(
    std::string_view component) {
    return std::make_unique<update_listener>(*this, std::string{component});
}

bool component_supervisor::listens_for_updates(std::string_view component) const {
    return update_listeners_.contains(component);
}

bool component_supervisor::awaits_update_answer(std::string_view, std::string_view) const {
    return false;
}

void component_supervisor::start(std::string_view name) {
    auto* c = lookup(name);
    if (c == nullptr || !io_) return;
    c->deps_ready = dependencies_ready(*c);
    c->fsm.set_dependencies_ready(c->deps_ready);
    c->fsm.request_start();
    settle_all();
}

void component_supervisor::retire(std::vector<std::string> names, std::function<void()> done) {
    std::erase_if(names, [this](const std::string& name) { return lookup(name) == nullptr; });
    for (const auto& name : names) {
        auto* c = lookup(name);
        if (c->paused) set_paused(name, false);  // resumed for a graceful shutdown
        c->fsm.request_stop();
    }
    retirements_.push_back({std::move(names), std::move(done)});
    if (io_) {
        settle_all();
    } else {
        check_waiters();
    }
}

void component_supervisor::await_settled(std::vector<std::string> names,
                                         std::function<void(std::optional<std::string>)> done) {
    settle_waiters_.push_back({std::move(names), std::move(done)});
    check_waiters();
}

void component_supervisor::check_waiters() {
    std::vector<std::function<void()>> calls;
    for (auto it = retirements_.begin(); it != retirements_.end();) {
        const bool all_at_rest = std::all_of(it->names.begin(), it->names.end(), [this](const auto& n) {
            const auto* c = lookup(n);
            return c == nullptr || (c->fsm.at_rest() && c->processes.empty());
        });
        if (!all_at_rest) {
            ++it;
            continue;
        }
        for (const auto& name : it->names) {
            const auto found = components_.find(name);
            if (found == components_.end()) continue;
            for (const auto group : found->second->left_groups)
                ::kill(-group, SIGKILL);
            components_.erase(found);
        }
        calls.push_back(std::move(it->done));
        it = retirements_.erase(it);
    }
    for (auto it = settle_waiters_.begin(); it != settle_waiters_.end();) {
        std::optional<std::string> broken;
        bool all_settled = true;
        for (const auto& name : it->names) {
            const auto* c = lookup(name);
            const auto state = c == nullptr ? component_state::broken : c->fsm.state();
            if (state == component_state::broken) {
                broken = name;
                break;
            }
            if (state != component_state::running && state != component_state::finished)
                all_settled = false;
        }
        if (!broken && !all_settled) {
            ++it;
            continue;
        }
        calls.push_back([done = std::move(it->done), broken] { done(broken); });
        it = settle_waiters_.erase(it);
    }
    // Called later, on the I/O thread: a caller may start or retire more from its callback.
    for (auto& call : calls) {
        if (io_) {
            asio::post(*io_, std::move(call));
        } else {
            call();
        }
    }
}

void component_supervisor::set_paused(std::string_view name, bool paused) {
    auto* c = lookup(name);
    if (c == nullptr || c->paused == paused) return;
    c->paused = paused;
    const int signal = paused ? SIGSTOP : SIGCONT;
    for (auto& p : c->processes)
        p.process->signal_group(signal);
    for (const auto group : c->left_groups)
        ::kill(-group, signal);
    if (c->output) c->output->note(paused ? "paused" : "resumed");
    log()->info("{} {}", c->facts.name, paused ? "paused" : "resumed");
}

// ---- driving the state machines ----------------------------------------------------------------

component_supervisor::supervised* component_supervisor::lookup(std::string_view name) {
    const auto it = components_.find(name);
    return it == components_.end() ? nullptr : it->second.get();
}

void component_supervisor::settle_all() {
    // Events can arrive while actions run (a spawn that fails); they are taken in the next round.
    if (settling_) {
        settle_again_ = true;
        return;
    }
    settling_ = true;
    do {
        settle_again_ = false;
        for (auto& [name, c] : components_) {
            for (const auto& t : c->fsm.take_transitions()) {
                log()->info("{}: {} -> {}{}", name, state_name(t.from), state_name(t.to),
                            t.to == component_state::errored || t.to == component_state::broken
                                ? " (" + c->fsm.reason() + ")"
                                : "");
                if (c->output)
                    c->output->note(std::string{state_name(t.from)} + " -> " +
                                    std::string{state_name(t.to)});
                if (events_.state_changed) events_.state_changed(name, t.to);
            }
            for (const auto& a : c->fsm.take_actions()) {
                execute(*c, a);
                settle_again_ = true;
            }
        }
        for (auto& [name, c] : components_) {
            const bool ready = dependencies_ready(*c);
            if (ready != c->deps_ready) {
                c->deps_ready = ready;
                c->fsm.set_dependencies_ready(ready);
                settle_again_ = true;
            }
        }
        if (stopping_all_) advance_shutdown();
    } while (settle_again_);
    settling_ = false;
    check_waiters();
    check_stopped();
}

bool component_supervisor::dependencies_ready(const supervised& c) const {
    for (const auto& name : c.hard_dependencies) {
        const auto it = components_.find(name);
        if (it == components_.end()) continue;  // warned at launch
        const auto state = it->second->fsm.state();
        if (state != component_state::running && state != component_state::finished) return false;
    }
    return true;
}

void component_supervisor::advance_shutdown() {
    // Dependents stop first: a component is asked to stop once everything that depends on it is
    // at rest.
    bool any_requested = false;
    bool any_pending = false;
    bool all_requested_at_rest = true;
    for (auto& [name, c] : components_) {
        if (c->stop_requested) {
            if (!c->fsm.at_rest() || !c->processes.empty()) all_requested_at_rest = false;
            continue;
        }
        bool dependents_at_rest = true;
        for (const auto& [other_name, other] : components_) {
            if (other->dependencies.contains(name) &&
                (!other->fsm.at_rest() || !other->processes.empty())) {
                dependents_at_rest = false;
                break;
            }
        }
        if (!dependents_at_rest) {
            any_pending = true;
            continue;
        }
        c->stop_requested = true;
        any_requested = true;
        if (c->paused) set_paused(name, false);  // resumed for a graceful shutdown, as the nucleus does
        c->fsm.request_stop();
        settle_again_ = true;
    }
    // A dependency cycle would wait for ever: stop what is left together.
    if (!any_requested && any_pending && all_requested_at_rest) {
        for (auto& [name, c] : components_) {
            if (c->stop_requested) continue;
            c->stop_requested = true;
            c->fsm.request_stop();
        }
        settle_again_ = true;
    }
}

void component_supervisor::check_stopped() {
    if (!stopping_all_ || !stopped_) return;
    for (const auto& [name, c] : components_) {
        if (!c->stop_requested || !c->fsm.at_rest() || !c->processes.empty()) return;
    }
    // What exited scripts left behind ends with them: standin leaves no process behind.
    for (auto& [name, c] : components_) {
        for (const auto group : c->left_groups)
            ::kill(-group, SIGKILL);
        c->left_groups.clear();
    }
    for (const auto& started : started_) {
        if (const auto process = started.lock()) process->detach();
    }
    started_.clear();
    asio::post(*io_, [done = std::exchange(stopped_, nullptr)] { done(); });
}

void component_supervisor::execute(supervised& c, const action& a) {
    if (const auto* step_to_run = std::get_if<run_step>(&a)) {
        start_step(c, step_to_run->which, step_to_run->generation);
    } else {
        end_processes(c);
    }
}

void component_supervisor::post_exit(supervised& c, step which, std::uint64_t generation,
                                     int exit_code) {
    asio::post(*io_, [this, name = c.facts.name, which, generation, exit_code] {
        if (auto* target = lookup(name)) {
            target->fsm.step_exited(which, generation, exit_code);
            settle_all();
        }
    });
}

void component_supervisor::start_step(supervised& c, step which, std::uint64_t generation) {
    // As the nucleus prepares artifacts before it installs; declared components get no files.
    if (which == step::install && settings_.launch && needs_preparation(c.facts.artifacts)) {
        prepare_then_install(c, generation);
        return;
    }
    run_script(c, which, generation);
}

void component_supervisor::prepare_then_install(supervised& c, std::uint64_t generation) {
    auto work = [artifacts = c.facts.artifacts, paths = paths_of(c.facts.name)] {
        return prepare_artifacts(artifacts, paths);
    };
    auto done = [this, name = c.facts.name, generation](preparation_outcome outcome) {
        auto* target = lookup(name);
        if (target == nullptr) return;  // retired meanwhile
        for (const auto& note : outcome.notes) {
            log()->info("{}: {}", name, note);
            if (target->output) target->output->note(note);
        }
        if (outcome.error) {
            // The nucleus fails the deployment (IO_UNZIP_ERROR); here the install fails, so that
            // the component goes the error path to BROKEN while the others carry on.
            log()->error("{}: install failed: {}", name, *outcome.error);
            if (target->output) target->output->note("install failed: " + *outcome.error);
            post_exit(*target, step::install, generation, 1);
            return;
        }
        if (!target->fsm.wants_running()) {
            // Stopped while unpacking: no new process now; installed, and at rest.
            post_exit(*target, step::install, generation, 0);
            return;
        }
        run_script(*target, step::install, generation);
    };
    if (!settings_.blocking) {
        done(work());
        return;
    }
    settings_.blocking->run(std::move(work), [done = std::move(done)](auto result) {
        if (result) {
            done(std::move(*result));
            return;
        }
        preparation_outcome failed;
        try {
            std::rethrow_exception(result.error());
        } catch (const std::exception& e) {
            failed.error = e.what();
        } catch (...) {
            failed.error = "unknown error";
        }
        done(std::move(failed));
    });
}

void component_supervisor::run_script(supervised& c, step which, std::uint64_t generation) {
    const step_spec* spec = c.spec.find(which);
    if (spec == nullptr || (spec->script.empty() && which != step::run)) {
        post_exit(c, which, generation, 0);
        return;
    }
    if (!settings_.launch) {
        // Declared only: every step succeeds at once, and run runs until it is stopped.
        if (which != step::run) post_exit(c, which, generation, 0);
        return;
    }
    const auto name = std::string{step_name(which)};
    if (should_skip(c, *spec)) {
        c.output->note(name + " skipped (Skipif " + *spec->skipif + ")");
        post_exit(c, which, generation, 0);
        return;
    }
    if (spec->requires_privilege && ::geteuid() != 0 && !c.privilege_warned) {
        c.privilege_warned = true;
        log()->warn("{}: RequiresPrivilege ignored: standin runs as an unprivileged user", c.facts.name);
    }
    const auto variables = variables_for(c);
    script_options options;
    options.script = interpolate(spec->script, variables);
    options.working_directory = paths_of(c.facts.name).work;
    options.environment = environment_for(c, *spec);
    run_as(c, options);
    std::error_code ignored;
    fs::create_directories(options.working_directory, ignored);

    c.output->note(name + ": " + options.script);
    auto& live = c.processes.emplace_back(live_process{which, generation, nullptr, nullptr, nullptr});
    const auto component = c.facts.name;
    auto started = script_process::start(
        *io_, options,
        [this, component, name](std::string_view line) {
            if (auto* target = lookup(component); target && target->output)
                target->output->line(name, line);
        },
        [this, component, key = static_cast<const void*>(&live)](int exit_code) {
            on_exit(component, key, exit_code);
        });
    if (!started) {
        log()->error("{}: cannot start its {} script: {}", c.facts.name, name, started.error());
        c.output->note(name + " could not start: " + started.error());
        c.processes.pop_back();
        post_exit(c, which, generation, 127);  // the shell's "cannot run"
        return;
    }
    live.process = std::move(*started);
    started_.push_back(live.process);
    if (c.paused) live.process->signal_group(SIGSTOP);
    if (const auto timeout = effective_timeout(which, *spec)) {
        live.timeout = std::make_unique<asio::steady_timer>(*io_, *timeout);
        live.timeout->async_wait([this, component, key = static_cast<const void*>(&live)](
                                     const boost::system::error_code& ec) {
            if (!ec) on_timeout(component, key);
        });
    }
}

void component_supervisor::on_exit(const std::string& name, const void* key, int exit_code) {
    auto* c = lookup(name);
    if (c == nullptr) return;
    const auto it = std::find_if(c->processes.begin(), c->processes.end(),
                                 [key](const live_process& p) { return &p == key; });
    if (it == c->processes.end()) return;
    const step which = it->which;
    const auto generation = it->generation;
    c->left_groups.push_back(it->process->pid());
    if (c->output)
        c->output->note(std::string{step_name(which)} + " exited with code " +
                        std::to_string(exit_code));
    c->processes.erase(it);
    if (events_.script_exited) events_.script_exited(name, which, exit_code);
    c->fsm.step_exited(which, generation, exit_code);
    settle_all();
}

void component_supervisor::on_timeout(const std::string& name, const void* key) {
    auto* c = lookup(name);
    if (c == nullptr) return;
    const auto it = std::find_if(c->processes.begin(), c->processes.end(),
                                 [key](const live_process& p) { return &p == key; });
    if (it == c->processes.end()) return;
    const step which = it->which;
    const auto timeout = effective_timeout(which, *c->spec.find(which));
    log()->warn("{}: {} timed out after {}", name, step_name(which), seconds_text(*timeout));
    if (c->output)
        c->output->note(std::string{step_name(which)} + " timed out after " + seconds_text(*timeout));
    // Startup and run go on when the component reported RUNNING; the machine decides. A script
    // of the other steps is ended.
    if (which != step::startup && which != step::run) end_process(*c, *it);
    c->fsm.step_timed_out(which, it->generation);
    settle_all();
}

void component_supervisor::end_processes(supervised& c) {
    for (auto& p : c.processes)
        end_process(c, p);
    for (const auto group : c.left_groups) {
        if (c.paused) ::kill(-group, SIGCONT);
        ::kill(-group, SIGTERM);
    }
    c.left_groups.clear();
}

void component_supervisor::end_process(supervised& c, live_process& p) {
    if (p.ending) return;
    p.ending = true;
    if (c.paused) p.process->signal_group(SIGCONT);
    p.process->signal_group(SIGTERM);
    p.kill_after_grace = std::make_unique<asio::steady_timer>(*io_, settings_.kill_grace);
    p.kill_after_grace->async_wait(
        [process = std::weak_ptr<script_process>(p.process)](const boost::system::error_code& ec) {
            if (ec) return;
            if (const auto alive = process.lock(); alive && !alive->exited())
                alive->signal_group(SIGKILL);
        });
}

// ---- a deployment's Bootstrap and Uninstall ---------------------------------------------------

void component_supervisor::run_deployment_step(component_facts facts, deployment_step which,
                                               std::function<void(deployment_step_result)> done) {
    std::vector<std::string> warnings;
    auto spec = parse_lifecycle(facts.lifecycle, warnings);
    const auto& chosen = which == deployment_step::bootstrap ? spec.bootstrap : spec.uninstall;
    const std::string name = which == deployment_step::bootstrap ? "bootstrap" : "uninstall";
    if (!io_) {
        done({0, {}});
        return;
    }
    if (!chosen || !settings_.launch) {
        asio::post(*io_, [done = std::move(done)] { done({0, {}}); });
        return;
    }
    const step_spec to_run = *chosen;
    auto& run = *one_shots_.emplace_back(std::make_unique<one_shot>(std::move(facts), std::move(spec)));
    run.done = std::move(done);
    supervised& c = run.component;
    c.output = std::make_unique<component_output>(settings_.root / "logs", c.facts.name,
                                                  settings_.terminal, components_.size());
    const auto finish = [this, key = &run](deployment_step_result result) {
        const auto it = std::find_if(one_shots_.begin(), one_shots_.end(),
                                     [key](const auto& r) { return r.get() == key; });
        if (it == one_shots_.end()) return;
        auto call = std::move((*it)->done);
        if ((*it)->process) started_.push_back((*it)->process);  // its group is ended with the rest
        one_shots_.erase(it);
        call(std::move(result));
    };
    if (should_skip(c, to_run)) {
        c.output->note(name + " skipped (Skipif " + *to_run.skipif + ")");
        asio::post(*io_, [finish] { finish({0, {}}); });
        return;
    }
    script_options options;
    options.script = interpolate(to_run.script, variables_for(c));
    options.working_directory = paths_of(c.facts.name).work;
    options.environment = environment_for(c, to_run);
    run_as(c, options);
    std::error_code ignored;
    fs::create_directories(options.working_directory, ignored);
    c.output->note(name + ": " + options.script);
    const auto component = c.facts.name;
    auto started = script_process::start(
        *io_, options,
        [key = &run, name, this](std::string_view line) {
            for (const auto& r : one_shots_) {
                if (r.get() == key) r->component.output->line(name, line);
            }
        },
        [this, key = &run, name, finish](int exit_code) {
            for (const auto& r : one_shots_) {
                if (r.get() != key) continue;
                if (r->timeout) r->timeout->cancel();
                r->component.output->note(name + " exited with code " + std::to_string(exit_code));
                if (r->timed_out) return;  // already answered
                finish({exit_code, {}});
                return;
            }
        });
    if (!started) {
        log()->error("{}: cannot start its {} script: {}", component, name, started.error());
        asio::post(*io_, [finish, why = started.error()] { finish({std::nullopt, why}); });
        return;
    }
    run.process = std::move(*started);
    const auto timeout = to_run.timeout.value_or(
        which == deployment_step::bootstrap ? default_bootstrap_timeout : default_uninstall_timeout);
    run.timeout = std::make_unique<asio::steady_timer>(*io_, timeout);
    run.timeout->async_wait(
        [this, key = &run, name, component, timeout, finish](const boost::system::error_code& ec) {
            if (ec) return;
            for (const auto& r : one_shots_) {
                if (r.get() != key) continue;
                r->timed_out = true;
                log()->warn("{}: {} timed out after {}", component, name, seconds_text(timeout));
                r->component.output->note(name + " timed out after " + seconds_text(timeout));
                // Ended as any step's process is, SIGTERM then SIGKILL; the kill timer owns itself
                // since the run is answered (and gone) now.
                r->process->signal_group(SIGTERM);
                auto grace = std::make_shared<asio::steady_timer>(*io_, settings_.kill_grace);
                grace->async_wait([grace, process = std::weak_ptr<script_process>(r->process)](
                                      const boost::system::error_code& e) {
                    if (e) return;
                    if (const auto alive = process.lock(); alive && !alive->exited())
                        alive->signal_group(SIGKILL);
                });
                finish({std::nullopt, std::string{name == "bootstrap" ? "Bootstrap" : "Uninstall"} +
                                          " step timed out after '" + std::to_string(timeout.count()) +
                                          "' seconds."});
                return;
            }
        });
}

void component_supervisor::run_as(supervised& c, script_options& options) {
    if (c.facts.posix_user.empty()) return;
    if (::geteuid() != 0) {
        if (!c.run_as_warned) {
            c.run_as_warned = true;
            log()->warn("{}: RunWith posixUser {} ignored: standin runs as an unprivileged user",
                        c.facts.name, c.facts.posix_user);
        }
        return;
    }
    const auto colon = c.facts.posix_user.find(':');
    options.user = c.facts.posix_user.substr(0, colon);
    if (colon != std::string::npos) options.group = c.facts.posix_user.substr(colon + 1);
}

// ---- what a script gets ------------------------------------------------------------------------

component_paths component_supervisor::paths_of(std::string_view name) const {
    const auto it = components_.find(name);
    if (it == components_.end()) return paths_in(settings_.root, settings_.artifacts_dir, name, {}, {});
    return paths_in(settings_.root, settings_.artifacts_dir, name, it->second->facts.version,
                    it->second->facts.recipe_file);
}

variable_context component_supervisor::variables_for(const supervised& c) const {
    variable_context context;
    context.component = c.facts.name;
    context.root = settings_.root;
    context.thing_name = settings_.thing_name;
    context.direct_dependencies = c.dependencies;
    // A component run outside supervision (a deployment's Bootstrap) has its own version.
    context.paths_of = [this, &c](std::string_view name) {
        if (name == c.facts.name)
            return paths_in(settings_.root, settings_.artifacts_dir, name, c.facts.version,
                            c.facts.recipe_file);
        return paths_of(name);
    };
    context.configuration_of = [this](std::string_view name) { return configuration_of(name); };
    return context;
}

std::vector<std::string> component_supervisor::environment_for(const supervised& c,
                                                               const step_spec& spec) const {
    // On Linux the nucleus's whole environment is inherited (UnixExec), then the component's.
    std::map<std::string, std::string> variables;
    for (char** entry = environ; entry != nullptr && *entry != nullptr; ++entry) {
        const std::string_view text{*entry};
        const auto equals = text.find('=');
        if (equals == std::string_view::npos) continue;
        variables[std::string{text.substr(0, equals)}] = std::string{text.substr(equals + 1)};
    }
    if (!settings_.path_prefix.empty()) {
        const auto path = variables.find("PATH");
        variables["PATH"] =
            settings_.path_prefix.string() +
            (path == variables.end() ? std::string{":/usr/bin:/bin"} : ":" + path->second);
    }
    const component_identity id{c.facts.token,        settings_.client_socket, settings_.socket,
                                settings_.thing_name, settings_.region,        settings_.root_ca_path};
    for (auto& [name, value] : component_environment(id))
        variables[name] = value;
    const auto context = variables_for(c);
    for (const auto& [name, value] : c.spec.setenv)
        variables[name] = interpolate(value, context);
    for (const auto& [name, value] : spec.setenv)
        variables[name] = interpolate(value, context);
    std::vector<std::string> out;
    out.reserve(variables.size());
    for (const auto& [name, value] : variables)
        out.push_back(name + "=" + value);
    return out;
}

bool component_supervisor::should_skip(const supervised& c, const step_spec& spec) const {
    if (!spec.skipif) return false;
    std::string_view text = *spec.skipif;
    const bool negated = text.starts_with('!');
    if (negated) text.remove_prefix(1);
    const auto space = text.find(' ');
    if (space == std::string_view::npos) return false;
    const auto verb = text.substr(0, space);
    const auto argument = interpolate(text.substr(space + 1), variables_for(c));
    bool holds = false;
    std::error_code ec;
    if (verb == "exists") {
        holds = fs::exists(argument, ec);
    } else if (verb == "onpath") {
        const char* path = std::getenv("PATH");
        std::string_view dirs = path == nullptr ? "" : path;
        while (!holds && !dirs.empty()) {
            const auto colon = dirs.find(':');
            const auto dir = dirs.substr(0, colon);
            holds = ::access((fs::path{dir} / argument).c_str(), X_OK) == 0;
            dirs = colon == std::string_view::npos ? std::string_view{} : dirs.substr(colon + 1);
        }
    } else {
        log()->warn("{}: Skipif '{}' is neither onpath nor exists; the step runs", c.facts.name,
                    *spec.skipif);
        return false;
    }
    return holds != negated;
}

}  // namespace standin::server::lifecycle
