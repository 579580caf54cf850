// SPDX-License-Identifier: Apache-2.0
// The uniform steps of every request, in the nucleus's order: look the operation up in the table
// -> decode the request -> the row's caller rule -> the operation's prechecks -> its resources ->
// authorize each (unless the caller is trusted) -> validate -> handle -> encode the response or
// the error. Operations hold only their own semantics; authorization lives here alone.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string_view>
#include <vector>

#include "rpc/access_check.hpp"
#include "rpc/operation.hpp"
#include "rpc/operation_registry.hpp"
#include "rpc/server_frames.hpp"
#include "standin/protocol/frame_encoder.hpp"

namespace standin::server {

struct dispatch_result {
    // The response or error to queue on the stream; nullopt while the operation answers later
    // (its reply then arrives through call_sink::complete_call, to be passed to finish()).
    std::optional<protocol::encoded_frame> frame;
    bool terminates = true;                   // the frame carries TERMINATE_STREAM
    std::unique_ptr<stream_resource> stream;  // held while a streaming operation's stream is open
};

class dispatcher {
public:
    // All three outlive the dispatcher.
    dispatcher(const operation_registry& operations, const access_checker& access,
               std::uint32_t max_frame_size);

    // Runs the first message of a stream: `call.stream_id` is the new stream.
    dispatch_result dispatch(const call_context& call, std::string_view operation,
                             std::string_view payload) const;

    // Encodes a reply that operation `op` delivered after dispatch() returned.
    dispatch_result finish(const call_context& call, const model::operation_info& op,
                           reply_body reply) const;

    std::uint32_t max_frame_size() const noexcept { return max_frame_size_; }

private:
    std::optional<model::ipc_error> authorize(const call_context& call, const model::operation_info& op,
                                              const resource_list& resources) const;

    const operation_registry& operations_;
    const access_checker& access_;
    std::uint32_t max_frame_size_;
    // Each operation's response head, by model::operation_info::index: encoded once, not per call.
    std::vector<frames::message_head_encoder> response_heads_;
};

}  // namespace standin::server
