// SPDX-License-Identifier: Apache-2.0
// What a deployment calls to have a component validate its proposed configuration (semantics.md
// §4.5, the nucleus's DynamicComponentConfigurationValidator): the validate event goes to the
// component's SubscribeToValidateConfigurationUpdates stream, and `done` runs once, on the I/O
// thread, with the component's report or with the timeout, after which a late report is refused
// ("Validation request either timed out or was never made").
#pragma once

#include <chrono>
#include <functional>
#include <optional>
#include <string>

#include <boost/asio/any_io_executor.hpp>
#include <nlohmann/json.hpp>

#include "config/config_validation.hpp"

namespace standin::server {

// The nucleus's configurationValidationPolicy.timeoutInSeconds default (DEFAULT_TIMEOUT_SECOND);
// compatibility.
inline constexpr std::chrono::seconds default_validation_timeout{20};

struct validation_outcome {
    // The component's report; nullopt when it did not answer in time (the nucleus then fails the
    // deployment: "Error while waiting for validation report for one or more components").
    std::optional<model::configuration_validity_report> report;
};

// Asks `component` to validate `configuration` for `deployment_id` and waits up to `timeout`.
// False, and `done` never called, when the component has no validate stream open (the nucleus
// then deploys without asking it). `validation` outlives the wait; `io` is the I/O executor.
bool request_configuration_validation(boost::asio::any_io_executor io, config_validation& validation,
                                      const std::string& component, const std::string& deployment_id,
                                      const nlohmann::json& configuration,
                                      std::chrono::milliseconds timeout,
                                      std::function<void(validation_outcome)> done);

}  // namespace standin::server
