// SPDX-License-Identifier: Apache-2.0
#include "config/config_validation.hpp"

namespace standin::server {

std::unique_ptr<config_validation::registration> config_validation::subscribe(
    const std::string& component, listener l) {
    listeners_.try_emplace(component, std::move(l));
    return std::make_unique<registration>(*this, component);
}

bool config_validation::request(const std::string& component, const std::string& deployment_id,
                                const nlohmann::json& configuration, report_handler on_report) {
    const auto it = listeners_.find(component);
    if (it == listeners_.end()) return false;
    pending_.insert_or_assign({component, deployment_id}, std::move(on_report));
    const auto send = it->second;  // the send may close the stream, and so end the listener
    send(deployment_id, configuration);
    return true;
}

bool config_validation::report(const std::string& component,
                               const model::configuration_validity_report& report) {
    const auto it = pending_.find({component, report.deploymentId.value_or("")});
    if (it == pending_.end()) return false;
    auto handler = std::move(it->second);
    pending_.erase(it);
    if (handler) handler(report);
    return true;
}

bool config_validation::discard(const std::string& component, const std::string& deployment_id) {
    return pending_.erase({component, deployment_id}) > 0;
}

}  // namespace standin::server
