// SPDX-License-Identifier: Apache-2.0
// Everything the IPC core shares between connections. Touched only from the io_context thread.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

#include "authz/authorizer.hpp"
#include "components/component_registry.hpp"
#include "pubsub/broker.hpp"
#include "rpc/operation_registry.hpp"
#include "standin/protocol/limits.hpp"

namespace standin::server {

struct connection_limits {
    // Compatibility: the largest frame current SDKs accept (lite profile: 10,000 bytes).
    std::uint32_t max_frame_size = protocol::default_max_frame_size;
    // Our choice: stream events queued for one connection beyond this close the stream with a
    // ServiceError instead of growing memory (architecture.md decision 2).
    std::size_t max_outbound_bytes = 64u * 1024u * 1024u;
    // Our choice: stop reading requests from a connection while this much is waiting to be written.
    std::size_t read_pause_bytes = 4u * 1024u * 1024u;
};

struct device_identity {
    std::string thing_name = "standin-thing";
    std::string region = "us-east-1";
};

class server_state {
public:
    server_state(connection_limits limits, device_identity device);

    const connection_limits& limits() const noexcept { return limits_; }
    const device_identity& device() const noexcept { return device_; }

    component_registry& components() noexcept { return components_; }
    const component_registry& components() const noexcept { return components_; }
    authorizer& authz() noexcept { return authz_; }
    const authorizer& authz() const noexcept { return authz_; }
    broker& pubsub() noexcept { return pubsub_; }
    const operation_registry& operations() const noexcept { return operations_; }

    // Adds a component from its recipe: token, and the policies of its accessControl.
    // Returns the policy loader's diagnostics (ignored policies, with why).
    std::vector<std::string> add_component(recipe source);

private:
    connection_limits limits_;
    device_identity device_;
    component_registry components_;
    authorizer authz_;
    broker pubsub_;
    operation_registry operations_;
};

}  // namespace standin::server
