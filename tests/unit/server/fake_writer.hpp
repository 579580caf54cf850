// SPDX-License-Identifier: Apache-2.0
// A stream_writer that records the events it is given, for tests without sockets.
#pragma once

#include <string>
#include <vector>

#include "rpc/operation.hpp"

namespace standin::server::testing {

class fake_writer final : public stream_writer {
public:
    struct event {
        std::int32_t stream_id;
        std::string shape;
        std::string payload;
    };

    bool send_event(std::int32_t stream_id, std::string_view shape,
                    const protocol::shared_payload& payload) override {
        if (refuse) return false;
        events.push_back({stream_id, std::string{shape}, *payload});
        payloads.push_back(payload);
        return true;
    }
    std::uint64_t connection_id() const noexcept override { return 1; }

    bool refuse = false;
    std::vector<event> events;
    std::vector<protocol::shared_payload> payloads;  // to check that fan-out shares one buffer
};

}  // namespace standin::server::testing
