// SPDX-License-Identifier: Apache-2.0
#include "util/log.hpp"

#include <stdexcept>

#include <spdlog/sinks/stdout_color_sinks.h>

namespace standin::server {

std::shared_ptr<spdlog::logger> logger(const std::string& name) {
    if (auto existing = spdlog::get(name)) return existing;
    auto created = spdlog::stderr_color_mt(name);
    created->set_level(spdlog::get_level());
    return created;
}

void set_log_level(const std::string& level) {
    const auto parsed = spdlog::level::from_str(level);
    // from_str maps anything unknown to "off"; only "off" itself may mean off.
    if (parsed == spdlog::level::off && level != "off") {
        throw std::invalid_argument("unknown log level '" + level + "'");
    }
    spdlog::set_level(parsed);
}

}  // namespace standin::server
