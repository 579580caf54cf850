// SPDX-License-Identifier: Apache-2.0
// `standin pubsub pub|sub`: local publish/subscribe from the shell, as a component, through the
// client library (like greengrass-cli's pubsub commands). Messages received are printed as JSON
// lines so that scripts and tests can read them.
#pragma once

#include <string>
#include <string_view>

#include "cli/command.hpp"
#include "standin/model/pubsub.hpp"

namespace standin::server {

// The message `standin pubsub pub` sends for MESSAGE: its bytes as a binaryMessage with --binary,
// else MESSAGE parsed as JSON into a jsonMessage. Throws std::invalid_argument (with a hint to use
// --binary or to quote a string) when it is not JSON.
model::publish_message message_from_argument(std::string_view text, bool binary);

// One received message as `standin pubsub sub` prints it (without the newline):
//   {"topic":"t","message":<json>}          for a jsonMessage
//   {"topic":"t","binary":"<base64>"}       for a binaryMessage
// or, with raw (--binary), the payload alone: the bytes of a binaryMessage, the JSON text of a
// jsonMessage.
std::string received_line(const model::subscription_response_message& message, bool raw);

// `standin pubsub pub ...` and `standin pubsub sub ...`.
command add_pubsub_command(CLI::App& app);

}  // namespace standin::server
