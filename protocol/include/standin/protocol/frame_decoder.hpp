// SPDX-License-Identifier: Apache-2.0
// Incremental event-stream frame decoder over byte spans (no I/O).
//
// Usage:
//   frame_decoder dec{limits};
//   while (!bytes.empty()) {
//       auto r = dec.put(bytes);            // consumes up to the end of one frame
//       if (r.ec) { /* framing error: close the connection */ }
//       bytes = bytes.subspan(r.consumed);
//       if (dec.has_message()) handle(dec.take_message());
//   }
//
// Checks, in this order: prelude CRC; total_len >= 16; headers_len <= total_len - 16;
// total_len <= max_frame_size (all before any body byte is buffered); then, once the whole frame
// is in, the message CRC; then the header block (name 1..255, type 0..9, value <= 32767,
// count <= max_headers, exact fit). Once an error is returned the decoder is dead and every later
// put() returns errc::decoder_failed.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <system_error>
#include <vector>

#include "standin/protocol/limits.hpp"
#include "standin/protocol/message.hpp"

namespace standin::protocol {

struct put_result {
    std::size_t consumed = 0;  // bytes taken from the input; never more than one frame's worth
    std::error_code ec;        // set on a framing error
};

class frame_decoder {
public:
    explicit frame_decoder(decoder_limits limits = {}) noexcept;

    // Feeds bytes. Stops after the byte that completes a frame so the caller can take it. A non-empty
    // put() always consumes at least one byte or fails. Precondition: !has_message() (take the
    // previous message first); if violated, nothing is consumed.
    put_result put(std::span<const std::uint8_t> bytes);

    bool has_message() const noexcept { return state_ == state::message_ready; }
    // Moves the completed message out. Precondition: has_message().
    message take_message();

    // True between frames: nothing of a partial frame is buffered.
    bool at_frame_boundary() const noexcept { return state_ == state::prelude && buffer_.empty(); }
    bool failed() const noexcept { return state_ == state::failed; }

    const decoder_limits& limits() const noexcept { return limits_; }

private:
    enum class state { prelude, body, message_ready, failed };

    put_result fail(std::size_t consumed, std::error_code ec);
    std::error_code check_prelude();
    std::error_code finish_frame();

    decoder_limits limits_;
    state state_ = state::prelude;
    std::uint32_t total_len_ = 0;
    std::uint32_t headers_len_ = 0;
    std::string buffer_;  // prelude then whole frame
    message ready_;
};

// Decodes a header block (exactly `block.size()` bytes) into `out`, which is cleared first and
// unspecified on error. Pure; used by the decoder and by tests and fuzzers on their own.
std::error_code decode_headers(std::span<const std::uint8_t> block, const decoder_limits& limits,
                               std::vector<header>& out);

// Decodes one complete frame held in `bytes`; errc::frame_size_mismatch unless `bytes` is exactly
// one frame. For tests/tools.
std::error_code decode_frame(std::span<const std::uint8_t> bytes, const decoder_limits& limits,
                             message& out);

}  // namespace standin::protocol
