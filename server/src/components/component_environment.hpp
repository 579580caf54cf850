// SPDX-License-Identifier: Apache-2.0
// The environment the nucleus gives a component process (semantics.md §11; contract.md
// `standin env`): one list, used by `standin env` and by the processes standin starts.
#pragma once

#include <string>
#include <utility>
#include <vector>

namespace standin::server {

// Compatibility: the nucleus version standin reports as GGC_VERSION.
inline constexpr const char* emulated_nucleus_version = "2.14.0";

struct component_identity {
    std::string token;          // the component's SVCUID
    std::string client_socket;  // what components connect to (a short alias when needed)
    std::string socket;         // the socket's own path
    std::string thing_name;
    std::string region;
    std::string root_ca_path;  // empty when none is set
};

// SVCUID, AWS_CONTAINER_AUTHORIZATION_TOKEN, the two socket variables, AWS_IOT_THING_NAME,
// AWS_REGION, AWS_DEFAULT_REGION, GGC_VERSION, and GG_ROOT_CA_PATH when one is set, in that order.
std::vector<std::pair<std::string, std::string>> component_environment(const component_identity& id);

}  // namespace standin::server
