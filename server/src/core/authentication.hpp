// SPDX-License-Identifier: Apache-2.0
// The outcome of checking a CONNECT's auth token, between the component registry (which decides)
// and the connection state machine (which answers the client).
#pragma once

#include <optional>
#include <string>

namespace standin::server {

struct authentication {
    std::optional<std::string> component;  // who the connection speaks for, when accepted
    std::string reason;                    // set when refused: the nucleus's log message
};

}  // namespace standin::server
