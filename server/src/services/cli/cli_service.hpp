// SPDX-License-Identifier: Apache-2.0
// The Greengrass CLI plugin's component management (semantics.md §5.3, §5.4; [CLI]
// CLIEventStreamAgent.java): ListComponents, GetComponentDetails, RestartComponent,
// StopComponent, authorized under aws.greengrass.Cli (the CLI itself and greengrass-cli# clients
// skip the policies: the operation table's trusted callers). Its operations see the component
// supervisor alone: it is the nucleus's service registry here. The local deployments are in
// local_deployments.hpp, on the deployment queue.
#pragma once

#include <chrono>
#include <functional>
#include <string>
#include <vector>

#include "lifecycle/supervisor.hpp"
#include "rpc/operation.hpp"
#include "rpc/operation_registry.hpp"
#include "services/cli/local_deployments.hpp"

namespace standin::server {

// CreateDebugPassword's state: the fingerprints it reports (set at start) and what it issued.
struct debug_passwords {
    struct issued_password {
        std::string password;
        std::chrono::system_clock::time_point expiration;
    };
    struct fingerprints {
        std::string sha1;    // "AB:CD:..."; empty: not reported
        std::string sha256;  // likewise
    };
    // The broker server certificate's fingerprints, which the response reports; set by the daemon
    // (the certificate belongs to client device auth, which makes it on first use).
    std::function<fingerprints()> server_certificate_fingerprints;
    std::vector<issued_password> issued;
};

namespace cli_service {
operation_entry list_components(lifecycle::component_supervisor& components);
operation_entry get_component_details(lifecycle::component_supervisor& components);
operation_entry restart_component(lifecycle::component_supervisor& components);
operation_entry stop_component(lifecycle::component_supervisor& components);
operation_entry create_debug_password(debug_passwords& passwords);

// The request checks the CLI makes before authorization.
std::optional<model::ipc_error> require_component_name(const std::optional<std::string>& name);
// ResourceNotFoundError "Component with name <n> not found in Greengrass" when unknown.
std::optional<model::ipc_error> require_known(const lifecycle::component_supervisor& components,
                                              const std::string& name);
// ComponentDetails as the CLI fills them: name, version, state, the configuration subtree.
model::component_details details_of(const lifecycle::component_supervisor& components,
                                    const lifecycle::component_view& component);
}  // namespace cli_service

void register_cli_service(operation_registry& registry, lifecycle::component_supervisor& components,
                          local_deployments& deployments);

}  // namespace standin::server
