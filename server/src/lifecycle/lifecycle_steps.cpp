// SPDX-License-Identifier: Apache-2.0
#include "lifecycle/lifecycle_steps.hpp"

#include <cmath>

#include "standin/protocol/message.hpp"

namespace standin::server::lifecycle {

namespace {

constexpr std::array<step, step_count> all_steps{step::install, step::startup, step::run, step::shutdown,
                                                 step::recover};

// The nucleus coerces scalar config values to strings (Coerce.toString).
std::optional<std::string> scalar_text(const nlohmann::json& value) {
    if (value.is_string()) return value.get<std::string>();
    if (value.is_boolean()) return value.get<bool>() ? "true" : "false";
    if (value.is_number_integer()) return std::to_string(value.get<long long>());
    if (value.is_number()) return value.dump();
    return std::nullopt;
}

std::map<std::string, std::string> read_setenv(const nlohmann::json& value, const std::string& where,
                                               std::vector<std::string>& warnings) {
    std::map<std::string, std::string> out;
    if (!value.is_object()) {
        warnings.push_back(where + ": Setenv must be a map of names to values; ignored");
        return out;
    }
    for (const auto& [name, v] : value.items()) {
        if (auto text = scalar_text(v)) {
            out[name] = *text;
        } else {
            warnings.push_back(where + ": Setenv." + name + " is not a plain value; ignored");
        }
    }
    return out;
}

// Coerce.toInt: numbers and numeric strings.
std::optional<long long> whole_seconds(const nlohmann::json& value) {
    if (value.is_number()) return static_cast<long long>(std::llround(value.get<double>()));
    if (value.is_string()) {
        try {
            std::size_t used = 0;
            const auto text = value.get<std::string>();
            const double parsed = std::stod(text, &used);
            if (used == text.size()) return static_cast<long long>(std::llround(parsed));
        } catch (const std::exception&) {
        }
    }
    return std::nullopt;
}

bool truthy(const nlohmann::json& value) {
    if (value.is_boolean()) return value.get<bool>();
    if (value.is_string()) return protocol::ascii_iequals(value.get<std::string>(), "true");
    return false;
}

std::optional<step_spec> read_step(const std::string& name, const nlohmann::json& value,
                                   std::vector<std::string>& warnings) {
    const std::string where = "Lifecycle." + name;
    step_spec spec;
    if (auto text = scalar_text(value)) {
        spec.script = *text;
        return spec;
    }
    if (!value.is_object()) {
        warnings.push_back(where + " must be a script or a map; ignored");
        return std::nullopt;
    }
    bool has_script = false;
    for (const auto& [key, v] : value.items()) {
        if (protocol::ascii_iequals(key, "Script")) {
            if (auto text = scalar_text(v)) {
                spec.script = *text;
                has_script = true;
            }
        } else if (protocol::ascii_iequals(key, "Timeout")) {
            if (auto seconds = whole_seconds(v); seconds && *seconds >= 0) {
                spec.timeout = std::chrono::seconds{*seconds};
            } else {
                warnings.push_back(where + ".Timeout is not a number of seconds; the default applies");
            }
        } else if (protocol::ascii_iequals(key, "Setenv")) {
            spec.setenv = read_setenv(v, where, warnings);
        } else if (protocol::ascii_iequals(key, "RequiresPrivilege")) {
            spec.requires_privilege = truthy(v);
        } else if (protocol::ascii_iequals(key, "Skipif")) {
            spec.skipif = scalar_text(v);
        } else {
            warnings.push_back(where + "." + key + " is not a lifecycle step property; ignored");
        }
    }
    if (!has_script) {
        // The nucleus runs nothing for a step without a script ("NothingDone").
        return std::nullopt;
    }
    return spec;
}

}  // namespace

steps_present lifecycle_spec::present() const noexcept {
    steps_present out;
    for (const auto s : all_steps)
        out[s] = find(s) != nullptr;
    return out;
}

std::optional<std::chrono::seconds> default_timeout(step s) noexcept {
    switch (s) {
        case step::install:
        case step::startup:
            return std::chrono::seconds{120};
        case step::shutdown:
            return std::chrono::seconds{15};
        case step::recover:
            return std::chrono::seconds{60};
        case step::run:
            return std::nullopt;
    }
    return std::nullopt;
}

std::optional<std::chrono::seconds> effective_timeout(step s, const step_spec& spec) noexcept {
    return spec.timeout ? spec.timeout : default_timeout(s);
}

lifecycle_spec parse_lifecycle(const nlohmann::json& lifecycle, std::vector<std::string>& warnings) {
    lifecycle_spec out;
    if (lifecycle.is_null()) return out;
    if (!lifecycle.is_object()) {
        warnings.push_back("Lifecycle must be a map of steps; the component has no lifecycle");
        return out;
    }
    for (const auto& [key, value] : lifecycle.items()) {
        if (protocol::ascii_iequals(key, "Setenv")) {
            out.setenv = read_setenv(value, "Lifecycle", warnings);
            continue;
        }
        bool known = false;
        for (const auto s : all_steps) {
            if (!protocol::ascii_iequals(key, step_name(s))) continue;
            known = true;
            out.steps[static_cast<std::size_t>(s)] = read_step(key, value, warnings);
        }
        if (known) continue;
        // Bootstrap and Uninstall are run by deployments, not by the lifecycle.
        if (protocol::ascii_iequals(key, "Bootstrap")) {
            out.bootstrap = read_step(key, value, warnings);
        } else if (protocol::ascii_iequals(key, "Uninstall")) {
            out.uninstall = read_step(key, value, warnings);
        } else {
            warnings.push_back("Lifecycle." + key + " is not a lifecycle step; ignored");
        }
    }
    // The nucleus runs startup or run, never both: startup wins.
    if (out.find(step::startup) && out.find(step::run)) {
        warnings.push_back("Lifecycle has both Startup and Run; only Startup runs");
    }
    return out;
}

}  // namespace standin::server::lifecycle
