// SPDX-License-Identifier: Apache-2.0
#include "standin/client/config.hpp"

#include <cstdlib>

namespace standin::client {
namespace {

std::string env(const char* name) {
    const char* value = std::getenv(name);
    return value == nullptr ? std::string{} : std::string{value};
}

}  // namespace

connection_config connection_config::from_environment() {
    connection_config config;
    config.socket_path = env(env_socket_for_component);
    if (config.socket_path.empty()) config.socket_path = env(env_socket);
    config.auth_token = env(env_svcuid);
    return config;
}

}  // namespace standin::client
