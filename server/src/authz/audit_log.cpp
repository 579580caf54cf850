// SPDX-License-Identifier: Apache-2.0
#include "authz/audit_log.hpp"

#include <cerrno>
#include <chrono>
#include <cstring>
#include <stdexcept>
#include <string>

#include <nlohmann/json.hpp>

namespace standin::server {

audited_access_checker::audited_access_checker(const access_checker& inner,
                                               const std::filesystem::path& file)
    : inner_(inner), file_(std::fopen(file.c_str(), "a")) {
    if (!file_) {
        throw std::runtime_error("cannot open the audit file " + file.string() + ": " +
                                 std::strerror(errno));
    }
}

access_decision audited_access_checker::check(const access_request& request, bool explain) const {
    // Explained always: the line names the policy that allowed the call.
    auto decision = inner_.check(request, /*explain=*/true);
    if (!explain && decision.allowed) decision.explanation.clear();
    const auto now = std::chrono::system_clock::now().time_since_epoch();
    nlohmann::ordered_json line{
        {"time", std::chrono::duration<double>(now).count()},
        {"component", request.principal},
        {"serviceId", request.service_id},
        {"operation", request.operation},
        {"resource",
         request.resource ? nlohmann::ordered_json(*request.resource) : nlohmann::ordered_json(nullptr)},
        {"decision", decision.allowed ? "ALLOWED" : "DENIED"},
    };
    if (decision.allowed) {
        line["policy"] = decision.policy;
    } else {
        line["message"] = decision.message;
    }
    const auto text = line.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
    std::fwrite(text.data(), 1, text.size(), file_.get());
    std::fflush(file_.get());
    return decision;
}

}  // namespace standin::server
