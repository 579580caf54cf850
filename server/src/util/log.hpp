// SPDX-License-Identifier: Apache-2.0
// One spdlog logger per subsystem ("ipc.session", "ipc.pubsub", "authz", ...), all on stderr so
// that stdout stays for machine output (the ready line, env exports).
#pragma once

#include <memory>
#include <string>

#include <spdlog/spdlog.h>

namespace standin::server {

// The logger named `name`, created on first use with the current global level.
std::shared_ptr<spdlog::logger> logger(const std::string& name);

// Sets the level of every logger, present and future. Throws std::invalid_argument on an unknown
// level name (trace, debug, info, warn, error, critical, off).
void set_log_level(const std::string& level);

}  // namespace standin::server
