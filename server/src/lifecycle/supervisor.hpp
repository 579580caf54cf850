// SPDX-License-Identifier: Apache-2.0
// The components' lifecycles, run: one component_lifecycle per component, whose actions become
// lifecycle scripts (script_process) with the component's environment, recipe variables and work
// directory; dependency order from ComponentDependencies (a HARD dependency must be RUNNING or
// FINISHED before its dependent starts; shutdown goes the other way); output to
// <root>/logs/<component>.log and the terminal. Touched from the I/O thread only.
//
// Without launching (--no-launch), the lifecycle runs without processes: install, startup,
// shutdown and recover "succeed" at once and run "runs" until stopped, so components are declared
// RUNNING for programs that connect as them on their own, and every operation still works.
#pragma once

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <functional>
#include <list>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include <boost/asio/any_io_executor.hpp>
#include <nlohmann/json.hpp>

#include "core/blocking_work.hpp"
#include "lifecycle/component_lifecycle.hpp"
#include "lifecycle/lifecycle_steps.hpp"
#include "lifecycle/recipe_variables.hpp"
#include "recipes/recipe_artifacts.hpp"

namespace standin::server::lifecycle {

class script_process;
struct script_options;

// What the supervisor needs to know of a component, from its recipe and registration.
struct component_facts {
    std::string name;
    std::string version;
    std::string component_type = "aws.greengrass.generic";
    std::string token;                                       // SVCUID
    nlohmann::json lifecycle;                                // the recipe's selected Lifecycle
    nlohmann::json dependencies = nlohmann::json::object();  // ComponentDependencies
    std::filesystem::path recipe_file;
    // The selected manifest's Artifacts: archives among them are unpacked before install.
    recipe_artifacts artifacts;
    // RunWith.posixUser ("user" or "user:group"): its scripts run as that user when the daemon
    // runs as root; otherwise a warning, as for RequiresPrivilege. Empty: as the daemon.
    std::string posix_user;
};

// What a deployment's Bootstrap or Uninstall step did: its exit code, or nullopt when it timed out
// or could not start (`why` says which).
struct deployment_step_result {
    std::optional<int> exit_code;
    std::string why;
};
enum class deployment_step { bootstrap, uninstall };

struct supervisor_settings {
    std::filesystem::path root;
    // --artifacts: <dir>/<component>/<version>; else an `artifacts` folder next to the recipe's
    // (a GDK project's greengrass-build/), else the nucleus's <root>/packages/artifacts.
    std::optional<std::filesystem::path> artifacts_dir;
    bool launch = true;
    // The environment every component gets (its token is filled in per component).
    std::string socket, client_socket, thing_name, region, root_ca_path;
    // Put first on the PATH of component processes (standin's own directory, so that recipes can
    // call `standin ...`); empty: PATH as inherited.
    std::filesystem::path path_prefix;
    // SIGTERM to SIGKILL when a process group is ended.
    std::chrono::milliseconds kill_grace{5000};
    std::FILE* terminal = stdout;  // null: no echo
    // Where archives are unpacked (blocking file I/O); without it, on the I/O thread.
    std::shared_ptr<const blocking_work> blocking;
};

// What the daemon may watch (standin run ends with its component). Called on the I/O thread.
struct supervisor_events {
    // After each state change.
    std::function<void(std::string_view component, component_state to)> state_changed;
    // When a script exits, before the lifecycle moves on (a stop requested here comes first).
    std::function<void(std::string_view component, step which, int exit_code)> script_exited;
};

// A component as the operations see it.
struct component_view {
    const std::string& name;
    const std::string& version;
    const std::string& component_type;
    component_state state;
    bool paused;
};

class component_supervisor {
public:
    component_supervisor();
    ~component_supervisor();
    component_supervisor(const component_supervisor&) = delete;
    component_supervisor& operator=(const component_supervisor&) = delete;

    // Declares a component (before launch). Problems in its lifecycle are logged as warnings.
    void add(component_facts facts);
    void set_events(supervisor_events events) { events_ = std::move(events); }
    // Where {configuration:...} and the details' configuration come from.
    void set_configuration_source(std::function<std::optional<nlohmann::json>(std::string_view)> source);
    // Starts every component (installs, then starts in dependency order), or only declares them.
    void launch(const boost::asio::any_io_executor& io, supervisor_settings settings);
    // Stops every component (dependents first; shutdown scripts run), ends every process it
    // started, then calls `done` once on the I/O thread. Without launch(), `done` at once.
    void stop_all(std::function<void()> done);
    // A second signal: SIGKILL every process group now; stop_all's `done` follows their reaping.
    void kill_all();

    // ---- for the operations ---------------------------------------------------------------------
    std::vector<component_view> components() const;
    std::optional<component_view> find(std::string_view name) const;
    // What the component was added with (its Uninstall step runs with the same user, token and
    // artifacts); nullptr when unknown.
    const component_facts* facts_of(std::string_view name) const;
    std::optional<nlohmann::json> configuration_of(std::string_view name) const;
    // The component's Lifecycle with the recipe variables replaced as they would be now, every
    // string in it (scripts, Setenv, Skipif); empty when unknown. A deployment compares it before
    // and after it changes configuration: the nucleus resolves each service's lifecycle at
    // deployment time and restarts a service whose resolved lifecycle changed
    // ([N] GenericExternalService's config subscriber).
    std::string resolved_lifecycle(std::string_view name) const;
    // RestartComponent: false when there is nothing to restart (never launched).
    bool restart(std::string_view name);
    void stop(std::string_view name);
    // UpdateState from `name`; false when the nucleus would ignore the report.
    bool report(std::string_view name, reported_state reported);
    // SubscribeToComponentUpdates: a component listening for deployments' update events. Its
    // destruction ends the listening. Must not outlive the supervisor.
    class update_listener {
    public:
        update_listener(component_supervisor& owner, std::string component);
        ~update_listener();
        update_listener(const update_listener&) = delete;
        update_listener& operator=(const update_listener&) = delete;

    private:
        component_supervisor& owner_;
        std::string component_;
    };
    std::unique_ptr<update_listener> listen_for_updates(std::string_view component);
    bool listens_for_updates(std::string_view component) const;
    // Whether a pre-update event of `deployment_id` to `component` awaits its answer. Deployments,
    // which send them, are not run by standin yet: never.
    bool awaits_update_answer(std::string_view component, std::string_view deployment_id) const;

    // ---- for deployments ------------------------------------------------------------------------
    // Starts a component add()ed after launch(): install, then startup once its HARD dependencies
    // are RUNNING or FINISHED. Before launch() it waits for launch() like the others.
    void start(std::string_view name);
    // Stops each of `names` (shutdown runs, its processes end) and forgets it; then `done` once,
    // on the I/O thread. Names it does not know are skipped.
    void retire(std::vector<std::string> names, std::function<void()> done);
    // `done` once, on the I/O thread, when every one of `names` is RUNNING or FINISHED (with
    // nullopt), or with the name of the first that is BROKEN or unknown (as the nucleus's
    // deployments wait for the services they changed).
    void await_settled(std::vector<std::string> names,
                       std::function<void(std::optional<std::string> broken)> done);

    // Runs the Bootstrap or Uninstall step of `facts` once, outside its lifecycle (it is not
    // supervised then: a deployment stopped it or has not started it yet), with the environment,
    // variables and work directory its other steps get, ended at its Timeout (default 120 s).
    // `done` once, on the I/O thread; at once with exit code 0 when it has no such step or
    // nothing is launched. Precondition: launch() was called.
    void run_deployment_step(component_facts facts, deployment_step which,
                             std::function<void(deployment_step_result)> done);

    // Freezes (SIGSTOP) or thaws (SIGCONT) the component's process groups. Precondition: find()
    // found it; the operation checked the state rules.
    void set_paused(std::string_view name, bool paused);

private:
    struct supervised;
    struct live_process;
    struct one_shot;  // a deployment's Bootstrap or Uninstall run

    supervised* lookup(std::string_view name);
    void settle_all();
    void execute(supervised& c, const action& a);
    void start_step(supervised& c, step which, std::uint64_t generation);
    // Unpacks the component's archives, then runs its install step (or fails it).
    void prepare_then_install(supervised& c, std::uint64_t generation);
    void run_script(supervised& c, step which, std::uint64_t generation);
    void end_processes(supervised& c);
    void end_process(supervised& c, live_process& p);
    void on_exit(const std::string& name, const void* process, int exit_code);
    void on_timeout(const std::string& name, const void* process);
    void post_exit(supervised& c, step which, std::uint64_t generation, int exit_code);
    bool dependencies_ready(const supervised& c) const;
    void advance_shutdown();
    void check_stopped();
    void check_waiters();
    component_paths paths_of(std::string_view name) const;
    variable_context variables_for(const supervised& c) const;
    std::vector<std::string> environment_for(const supervised& c, const step_spec& spec) const;
    bool should_skip(const supervised& c, const step_spec& spec) const;
    // The component's RunWith posixUser into `options` (as root only; else warned once).
    void run_as(supervised& c, script_options& options);

    std::map<std::string, std::unique_ptr<supervised>, std::less<>> components_;
    std::map<std::string, std::size_t, std::less<>> update_listeners_;  // component -> open streams
    // Every script started: detached when all is stopped, so that a pipe something left open
    // holds no I/O past the daemon's end.
    std::vector<std::weak_ptr<script_process>> started_;
    std::function<std::optional<nlohmann::json>(std::string_view)> configuration_source_;
    std::optional<boost::asio::any_io_executor> io_;
    supervisor_events events_;
    supervisor_settings settings_;
    bool settling_ = false;
    bool settle_again_ = false;
    bool stopping_all_ = false;
    std::function<void()> stopped_;
    struct retirement {
        std::vector<std::string> names;
        std::function<void()> done;
    };
    std::vector<retirement> retirements_;
    struct settle_waiter {
        std::vector<std::string> names;
        std::function<void(std::optional<std::string>)> done;
    };
    std::vector<settle_waiter> settle_waiters_;
    std::list<std::unique_ptr<one_shot>> one_shots_;
};

}  // namespace standin::server::lifecycle
