// SPDX-License-Identifier: Apache-2.0
// The validate-configuration handshake between deployments and components (semantics.md §4.5):
// a component that opened SubscribeToValidateConfigurationUpdates is asked to validate a proposed
// configuration; its SendConfigurationValidityReport settles the pending request for (component,
// deploymentId). As in the nucleus, the first open stream of a component is its listener, and
// closing any of that component's streams removes it. Component names match exactly. No timers
// here: the caller gives up with discard() (configuration_validation.hpp adds the timeout).
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <utility>

#include <nlohmann/json.hpp>

#include "standin/model/config.hpp"

namespace standin::server {

class config_validation {
public:
    // Sends the validate event to the component's stream.
    using listener =
        std::function<void(const std::string& deployment_id, const nlohmann::json& configuration)>;
    using report_handler = std::function<void(const model::configuration_validity_report& report)>;

    // Removes the component's listener when destroyed (whichever stream registered it).
    class registration {
    public:
        registration(config_validation& owner, std::string component)
            : owner_(owner), component_(std::move(component)) {}
        ~registration() { owner_.listeners_.erase(component_); }
        registration(const registration&) = delete;
        registration& operator=(const registration&) = delete;

    private:
        config_validation& owner_;
        std::string component_;
    };

    // Registers `l` unless the component already has a listener; the registration lasts while
    // the stream is open either way.
    std::unique_ptr<registration> subscribe(const std::string& component, listener l);
    bool has_listener(const std::string& component) const { return listeners_.contains(component); }

    // Asks `component` to validate `configuration` for `deployment_id`; `on_report` is called once
    // with its report. False (and nothing asked) when the component has no listener.
    bool request(const std::string& component, const std::string& deployment_id,
                 const nlohmann::json& configuration, report_handler on_report);

    // A report from `component`. False when no request is pending for (component,
    // report.deploymentId): "Validation request either timed out or was never made".
    bool report(const std::string& component, const model::configuration_validity_report& report);

    // Gives up waiting (a timeout); false when nothing was pending.
    bool discard(const std::string& component, const std::string& deployment_id);

    std::size_t pending_count() const noexcept { return pending_.size(); }

private:
    std::map<std::string, listener> listeners_;
    std::map<std::pair<std::string, std::string>, report_handler> pending_;
};

}  // namespace standin::server
