// SPDX-License-Identifier: Apache-2.0
// The uniform steps of every request: look up -> decode -> authorize -> validate -> handle ->
// encode the response or the error. Handlers hold only the operation's own semantics.
#pragma once

#include <cstdint>
#include <memory>
#include <string_view>

#include "rpc/operation.hpp"
#include "standin/protocol/frame_encoder.hpp"

namespace standin::server {

struct dispatch_result {
    protocol::encoded_frame frame;            // the response or error to queue on the stream
    bool terminates = true;                   // the frame carries TERMINATE_STREAM
    std::unique_ptr<stream_resource> stream;  // held while a streaming operation's stream is open
};

// Runs the first message of a stream. `call.stream_id` is the new stream.
dispatch_result dispatch(operation_call& call, std::string_view operation, std::string_view payload);

}  // namespace standin::server
