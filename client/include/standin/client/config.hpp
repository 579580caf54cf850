// SPDX-License-Identifier: Apache-2.0
// How a client connection finds the server and authenticates, and the limits it keeps.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>

#include "standin/client/error.hpp"
#include "standin/protocol/limits.hpp"

namespace standin::client {

// Environment variables a Greengrass component runs with (protocol.md §0, §8).
inline constexpr const char* env_svcuid = "SVCUID";
inline constexpr const char* env_socket_for_component =
    "AWS_GG_NUCLEUS_DOMAIN_SOCKET_FILEPATH_FOR_COMPONENT";
inline constexpr const char* env_socket = "AWS_GG_NUCLEUS_DOMAIN_SOCKET_FILEPATH";

// Which optional headers go on the first message of a stream (protocol.md §4.1). The server routes
// on `operation` alone, so both are accepted by the nucleus and by standin.
enum class request_headers {
    // What the JS SDK (aws-iot-device-sdk-v2 + aws-crt) sends: :message-type, :message-flags,
    // :stream-id, operation. Byte-exact with its frames.
    js_sdk,
    // What the Python SDK sends: :content-type application/json and service-model-type
    // "aws.greengrass#<Op>Request" first, then the four headers above.
    python_sdk,
};

struct connection_config {
    // The server's Unix socket. from_environment(): AWS_GG_NUCLEUS_DOMAIN_SOCKET_FILEPATH_FOR_COMPONENT,
    // else AWS_GG_NUCLEUS_DOMAIN_SOCKET_FILEPATH.
    std::string socket_path;
    // The component's token (SVCUID), sent in CONNECT as {"authToken":"..."}.
    std::string auth_token;

    // Socket connect plus the CONNECT/CONNECT_ACK handshake must finish within this (our choice; the
    // Python SDK also waits 10 s). It also bounds how long a graceful close waits for the server to
    // close its side.
    std::chrono::milliseconds connect_timeout{10'000};
    // Default timeout of the blocking calls (call, subscribe, ping); nullopt waits until the reply or
    // the end of the connection. Asynchronous calls take cancellation instead.
    std::optional<std::chrono::milliseconds> call_timeout;
    // Largest frame accepted from the server and sent to it (compatibility: aws-c-event-stream's
    // 24 MiB; protocol::lite_max_frame_size to stay within what nucleus lite accepts).
    std::uint32_t max_frame_size = protocol::default_max_frame_size;
    // A new request or stream is refused with errc::outbound_queue_full while this many bytes wait
    // to be written (our choice).
    std::size_t max_outbound_bytes = 16u * 1024u * 1024u;
    request_headers headers = request_headers::js_sdk;

    // Called once, on the connection's executor, when an established connection ends for any reason
    // other than close(): the server closed it, the socket failed, or the server sent a connection
    // error. Pending calls and open streams have already been failed with the same error.
    std::function<void(const error&)> on_disconnect;

    // Socket path and token from the component environment (empty when unset; connect() then fails
    // with errc::missing_socket_path / errc::missing_token naming the variables).
    static connection_config from_environment();
};

}  // namespace standin::client
