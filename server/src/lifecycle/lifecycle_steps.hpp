// SPDX-License-Identifier: Apache-2.0
// A recipe's selected Lifecycle read into steps (semantics.md §10; [N] Lifecycle.java,
// GenericExternalService.java): each step is a script string or {Script, Timeout, Setenv,
// RequiresPrivilege, Skipif}; step and property names are case-insensitive, as the nucleus's
// config keys are. Pure: no processes, no file system.
#pragma once

#include <array>
#include <chrono>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "lifecycle/component_lifecycle.hpp"

namespace standin::server::lifecycle {

struct step_spec {
    std::string script;
    std::optional<std::chrono::seconds> timeout;  // as written; nullopt: the step's default
    std::map<std::string, std::string> setenv;
    bool requires_privilege = false;
    std::optional<std::string> skipif;  // "onpath <cmd>" | "exists <file>", optional leading "!"
};

struct lifecycle_spec {
    std::array<std::optional<step_spec>, step_count> steps;
    // Steps a deployment runs, outside the component's lifecycle: Bootstrap before a new component
    // or version is installed, Uninstall after a removed component stopped (nucleus 2.17+).
    std::optional<step_spec> bootstrap;
    std::optional<step_spec> uninstall;
    std::map<std::string, std::string> setenv;  // Lifecycle.Setenv, for every step

    const step_spec* find(step s) const noexcept {
        const auto& found = steps[static_cast<std::size_t>(s)];
        return found ? &*found : nullptr;
    }
    steps_present present() const noexcept;
};

// Compatibility ([N] GenericExternalService.DEFAULT_BOOTSTRAP_TIMEOUT_SEC,
// Lifecycle.DEFAULT_UNINSTALL_STAGE_TIMEOUT_IN_SEC).
inline constexpr std::chrono::seconds default_bootstrap_timeout{120};
inline constexpr std::chrono::seconds default_uninstall_timeout{120};

// Compatibility ([N] Lifecycle.java defaults): install 120 s, startup 120 s, shutdown 15 s,
// recover 60 s; run has none unless the recipe gives one.
std::optional<std::chrono::seconds> default_timeout(step s) noexcept;
// The timeout that applies to `spec` of step `s`.
std::optional<std::chrono::seconds> effective_timeout(step s, const step_spec& spec) noexcept;

// Reads a recipe's `lifecycle` (null or an object). Problems the nucleus would skip over (a step
// that is neither a string nor a map, an unknown step, a Timeout that is not a number) are
// appended to `warnings` and the step or property is left out.
lifecycle_spec parse_lifecycle(const nlohmann::json& lifecycle, std::vector<std::string>& warnings);

}  // namespace standin::server::lifecycle
