// SPDX-License-Identifier: Apache-2.0
// A connection for tests without sockets: records the events, server-side closes and late replies
// it is given.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "rpc/operation.hpp"

namespace standin::server::testing {

class fake_sink final : public call_sink {
public:
    struct event {
        std::int32_t stream_id;
        std::string shape;
        std::string payload;
    };
    struct closed {
        std::int32_t stream_id;
        std::optional<model::ipc_error> error;
    };
    struct late_reply {
        std::int32_t stream_id;
        const model::operation_info* op;
        reply_body reply;
    };

    bool send_event(std::int32_t stream_id, std::string_view shape,
                    const protocol::shared_payload& payload) override {
        if (refuse) return false;
        events.push_back({stream_id, std::string{shape}, payload->bytes()});
        payloads.push_back(payload);
        return true;
    }
    void close_stream(std::int32_t stream_id, std::optional<model::ipc_error> error) override {
        closes.push_back({stream_id, std::move(error)});
    }
    void complete_call(std::int32_t stream_id, const model::operation_info& op,
                       reply_body reply) override {
        replies.push_back({stream_id, &op, std::move(reply)});
    }
    std::uint64_t connection_id() const noexcept override { return 1; }

    bool refuse = false;
    std::vector<event> events;
    std::vector<protocol::shared_payload> payloads;  // to check that fan-out shares one buffer
    std::vector<closed> closes;
    std::vector<late_reply> replies;
};

}  // namespace standin::server::testing
