// SPDX-License-Identifier: Apache-2.0
// Builders and accessors for eventstream-RPC messages in tests: client frames with the three RPC
// headers, hex helpers for the spec's byte vectors, and typed header look-ups.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "standin/protocol/message.hpp"
#include "standin/protocol/rpc.hpp"

namespace standin::test::frames {

namespace rpc = protocol::rpc;

// Header constructors.
protocol::header str(std::string_view name, std::string_view value);
protocol::header i32(std::string_view name, std::int32_t value);

// `extra` headers first, then :message-type, :message-flags, :stream-id (the order the C client
// writes them in).
protocol::message rpc_message(rpc::message_type type, std::int32_t flags, std::int32_t stream_id,
                              std::vector<protocol::header> extra = {}, std::string payload = {});

// CONNECT as the SDKs send it: :version "0.1.0", then the RPC headers, payload {"authToken":"..."}.
protocol::message connect(std::string_view token);
// CONNECT with the given extra headers (no :version unless given) and a raw payload.
protocol::message connect_raw(std::vector<protocol::header> extra, std::string payload);

// The first message of a stream: type 0, flags 0, `operation`, JSON payload.
protocol::message request(std::int32_t stream_id, std::string_view operation,
                          const nlohmann::json& payload);
// The same with a raw (possibly malformed) payload.
protocol::message request_raw(std::int32_t stream_id, std::string_view operation, std::string payload);
// The client's empty close: type 0, flags TERMINATE, no other headers, empty payload.
protocol::message terminate(std::int32_t stream_id);
// PING on stream 0 with the given extra headers and payload.
protocol::message ping(std::vector<protocol::header> extra = {}, std::string payload = {});

// Encodes a message into one contiguous frame (throws on encoder errors).
std::string encode(const protocol::message& msg);

// Parses hex digits separated by spaces, newlines or '|'; a "quoted" run is copied literally, so
// the spec's vectors can be pasted as written.
std::string from_hex(std::string_view text);
std::string to_hex(std::string_view bytes);

// Big-endian u32 at `offset` / written at `offset`.
std::uint32_t read_u32(std::string_view bytes, std::size_t offset);
void write_u32(std::string& bytes, std::size_t offset, std::uint32_t value);
// A 12-byte prelude with a valid prelude CRC.
std::string prelude(std::uint32_t total_len, std::uint32_t headers_len);
// Recomputes the prelude CRC and the message CRC of a whole frame after an edit.
void fix_crcs(std::string& frame);

// Typed look-ups by exact header name.
std::optional<std::string> string_header(const protocol::message& msg, std::string_view name);
std::optional<std::int32_t> int_header(const protocol::message& msg, std::string_view name);
std::vector<std::string> header_names(const protocol::message& msg);
// The three RPC headers; throws when one is missing.
rpc::metadata meta(const protocol::message& msg);

// The payload as JSON; a discarded value when it does not parse.
nlohmann::json json_of(const protocol::message& msg);

// A one-line rendering for failure messages.
std::string describe(const protocol::message& msg);
std::string describe(const std::vector<protocol::message>& msgs);

}  // namespace standin::test::frames
