// SPDX-License-Identifier: Apache-2.0
#include "components/component_environment.hpp"

namespace standin::server {

std::vector<std::pair<std::string, std::string>> component_environment(const component_identity& id) {
    std::vector<std::pair<std::string, std::string>> out{
        {"SVCUID", id.token},
        {"AWS_CONTAINER_AUTHORIZATION_TOKEN", id.token},
        {"AWS_GG_NUCLEUS_DOMAIN_SOCKET_FILEPATH_FOR_COMPONENT", id.client_socket},
        {"AWS_GG_NUCLEUS_DOMAIN_SOCKET_FILEPATH", id.socket},
        {"AWS_IOT_THING_NAME", id.thing_name},
        {"AWS_REGION", id.region},
        {"AWS_DEFAULT_REGION", id.region},
        {"GGC_VERSION", emulated_nucleus_version},
    };
    if (!id.root_ca_path.empty()) out.emplace_back("GG_ROOT_CA_PATH", id.root_ca_path);
    return out;
}

}  // namespace standin::server
