// SPDX-License-Identifier: Apache-2.0
// aws.greengrass.ipc.pubsub: local publish/subscribe (semantics.md §3).
#pragma once

#include <string_view>

#include "authz/authorizer.hpp"
#include "rpc/operation.hpp"

namespace standin::server::pubsub_service {

// The accessControl namespace of both operations.
inline constexpr std::string_view service_id = pubsub_service_id;

operation_entry publish_to_topic();
operation_entry subscribe_to_topic();

}  // namespace standin::server::pubsub_service
