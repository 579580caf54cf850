// SPDX-License-Identifier: Apache-2.0
// Deployment ids and times as the CLI plugin writes them.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace standin::server::deployments {

// A random (version 4) UUID in lower case, as java.util.UUID.randomUUID().toString().
std::string make_deployment_id();

// Whether java.util.UUID.fromString accepts `text`: five groups of hex digits separated by '-',
// at most 36 characters. The CLI answers anything else with InvalidArgumentsError.
bool is_uuid(std::string_view text) noexcept;

// createdOn as the CLI formats it: "dd-MM-uuuu HH:mm:ss z" in UTC ("21-07-2023 10:15:30 UTC").
std::string created_on_text(std::int64_t epoch_ms);

}  // namespace standin::server::deployments
