// SPDX-License-Identifier: Apache-2.0
// Framing errors. After any of them the stream of bytes can no longer be trusted.
#pragma once

#include <system_error>

namespace standin::protocol {

enum class errc {
    prelude_crc_mismatch = 1,  // bytes 8..11 are not the CRC of bytes 0..7
    frame_too_short,           // total_len < 16
    headers_too_long,          // headers_len > total_len - 16
    frame_too_long,            // total_len over the configured maximum
    message_crc_mismatch,      // the trailing CRC does not match
    header_truncated,          // a header record runs past the header block
    header_name_empty,         // name length 0
    header_value_too_long,     // string/byte_buf value over 32767 bytes
    unknown_header_type,       // value type byte over 9
    too_many_headers,          // more headers than the configured maximum
    decoder_failed,            // put() after an earlier error
    frame_size_mismatch,       // decode_frame(): the bytes are not exactly one frame
    header_name_too_long,      // encoder only: a name over 255 bytes cannot be written
};

const std::error_category& protocol_category() noexcept;
std::error_code make_error_code(errc e) noexcept;

}  // namespace standin::protocol

template <>
struct std::is_error_code_enum<standin::protocol::errc> : std::true_type {};
