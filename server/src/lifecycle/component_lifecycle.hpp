// SPDX-License-Identifier: Apache-2.0
// One component's lifecycle as the nucleus runs it (semantics.md §5.1; [N] Lifecycle.java,
// GenericExternalService.java), as a pure state machine: events in (requests, step exits,
// UpdateState reports), actions out (run a step, end the component's processes). No processes, no
// clocks of its own, no I/O: the supervisor executes the actions and feeds back what happened.
//
//   NEW --install ok--> INSTALLED --dependencies ready--> STARTING
//   STARTING: startup exits 0 (or UpdateState RUNNING) -> RUNNING; no startup: run starts -> RUNNING;
//             neither -> FINISHED ("nothing done")
//   RUNNING: run exits 0 -> STOPPING -> FINISHED; run exits non-zero -> ERRORED
//   ERRORED(from S): recover runs, then S=STARTING|RUNNING -> STOPPING -> INSTALLED -> STARTING
//             (a restart), S=NEW -> NEW (install again), S=STOPPING -> FINISHED
//   the third error from the same state within errorResetTime (1 h) -> BROKEN (shutdown runs,
//             processes end; only a restart request leaves BROKEN)
//
// Each start of startup/run gets a new generation; exits of an older generation are ignored, so a
// process that ends after the component moved on cannot change its state.
#pragma once

#include <array>
#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace standin::server::lifecycle {

enum class component_state : std::uint8_t {
    new_,
    installed,
    starting,
    running,
    stopping,
    finished,
    errored,
    broken,
};
inline constexpr std::size_t component_state_count = 8;

// "NEW", "INSTALLED", ...: the nucleus's (and the IPC LifecycleState's) names.
std::string_view state_name(component_state state) noexcept;

enum class step : std::uint8_t { install, startup, run, shutdown, recover };
inline constexpr std::size_t step_count = 5;

// "install", "startup", ...: the recipe's lifecycle keys, lower case.
std::string_view step_name(step s) noexcept;

// Compatibility ([N] Lifecycle.java): errors from one state before BROKEN, and how long an error
// is remembered.
inline constexpr int maximum_continual_errors = 3;
inline constexpr std::chrono::seconds default_error_reset_time{3600};

// Which lifecycle steps the component's recipe defines.
struct steps_present {
    std::array<bool, step_count> has{};
    bool operator[](step s) const noexcept { return has[static_cast<std::size_t>(s)]; }
    bool& operator[](step s) noexcept { return has[static_cast<std::size_t>(s)]; }
};

// Run a step's script. The supervisor answers with step_exited or step_timed_out carrying the
// same generation.
struct run_step {
    step which;
    std::uint64_t generation;
};
// End every process the component still has (its process groups): SIGTERM, then SIGKILL.
struct end_processes {};
using action = std::variant<run_step, end_processes>;

// What a component reports with UpdateState (ReportedLifecycleState).
enum class reported_state : std::uint8_t { running, errored };

class component_lifecycle {
public:
    using clock = std::chrono::steady_clock;

    // `now` stands for the clock (for errorResetTime); steady_clock::now by default.
    explicit component_lifecycle(steps_present steps, std::function<clock::time_point()> now = {},
                                 std::chrono::seconds error_reset_time = default_error_reset_time);

    component_state state() const noexcept { return state_; }
    // Whether a start is wanted (RUNNING desired); false once a stop was requested.
    bool wants_running() const noexcept { return desired_ == desire::running; }
    // True in FINISHED or BROKEN, and in NEW / INSTALLED when nothing more is wanted: no step of
    // this component runs or will run until the next request.
    bool at_rest() const noexcept;
    // The last status line (why it errored, ...), for logs and details.
    const std::string& reason() const noexcept { return reason_; }

    // The actions queued by the events so far, oldest first; the queue is emptied.
    std::vector<action> take_actions();
    // The state changes since the last call, oldest first (several per event at times: ERRORED,
    // STOPPING, INSTALLED, STARTING, RUNNING for a retried run); the list is emptied.
    struct transition {
        component_state from;
        component_state to;
    };
    std::vector<transition> take_transitions();

    // ---- requests -------------------------------------------------------------------------------
    // Launch (the daemon starting up): NEW -> install -> INSTALLED -> (dependencies) STARTING.
    void request_start();
    // StopComponent / daemon shutdown: STARTING|RUNNING -> STOPPING -> FINISHED.
    void request_stop();
    // RestartComponent: stop if needed, then start again; leaves BROKEN and FINISHED. False when
    // there is nothing to restart (never launched: still NEW with nothing wanted).
    bool request_restart();
    // Whether the component's HARD dependencies are RUNNING or FINISHED (the supervisor's view).
    void set_dependencies_ready(bool ready);

    // ---- what happened --------------------------------------------------------------------------
    // UpdateState. False when the nucleus would ignore the report (not an allowed transition from
    // the current state); the caller still answers success, as the nucleus does.
    bool report(reported_state reported);
    void step_exited(step which, std::uint64_t generation, int exit_code);
    void step_timed_out(step which, std::uint64_t generation);

private:
    enum class desire : std::uint8_t { none, running, finished };

    void enter(component_state next);
    // Moves on as far as the current state and the desired one allow without waiting.
    void settle();
    void begin_install();
    void begin_starting();
    void begin_stopping();
    void finish_stopping();
    void go_to_desired_after_stop();
    void errored(component_state from, std::string why);
    void after_error();
    void run(step which);
    bool awaiting(step which, std::uint64_t generation) const noexcept;
    void reset_errors(component_state from) noexcept;

    steps_present steps_;
    std::function<clock::time_point()> now_;
    std::chrono::seconds error_reset_time_;
    component_state state_ = component_state::new_;
    component_state errored_from_ = component_state::new_;
    desire desired_ = desire::none;
    bool dependencies_ready_ = true;
    // The step whose end the machine waits for (install, shutdown, recover), if any.
    std::optional<step> awaited_;
    std::uint64_t awaited_generation_ = 0;
    std::uint64_t generation_ = 0;          // of the last run_step
    std::uint64_t startup_generation_ = 0;  // the startup process that counts, 0 if none
    std::uint64_t run_generation_ = 0;      // the run process that counts, 0 if none
    // Error times per state they came from; cleared by a good report from that state.
    std::array<std::vector<clock::time_point>, component_state_count> errors_;
    std::vector<action> actions_;
    std::vector<transition> transitions_;
    std::string reason_;
};

}  // namespace standin::server::lifecycle
