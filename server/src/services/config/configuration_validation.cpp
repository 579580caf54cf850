// SPDX-License-Identifier: Apache-2.0
#include "services/config/configuration_validation.hpp"

#include <memory>
#include <utility>

#include <boost/asio/steady_timer.hpp>

namespace standin::server {

bool request_configuration_validation(boost::asio::any_io_executor io, config_validation& validation,
                                      const std::string& component, const std::string& deployment_id,
                                      const nlohmann::json& configuration,
                                      std::chrono::milliseconds timeout,
                                      std::function<void(validation_outcome)> done) {
    struct waiting {
        boost::asio::steady_timer timer;
        std::function<void(validation_outcome)> done;
        void finish(validation_outcome outcome) {
            if (auto callback = std::exchange(done, nullptr)) callback(std::move(outcome));
        }
    };
    auto wait = std::make_shared<waiting>(waiting{boost::asio::steady_timer{io}, std::move(done)});
    const bool asked = validation.request(component, deployment_id, configuration,
                                          [wait](const model::configuration_validity_report& report) {
                                              wait->timer.cancel();
                                              wait->finish({report});
                                          });
    if (!asked) return false;
    wait->timer.expires_after(timeout);
    wait->timer.async_wait(
        [wait, &validation, component, deployment_id](const boost::system::error_code& ec) {
            if (ec) return;  // the report came first
            validation.discard(component, deployment_id);
            wait->finish({std::nullopt});
        });
    return true;
}

}  // namespace standin::server
