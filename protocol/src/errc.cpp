// SPDX-License-Identifier: Apache-2.0
#include "standin/protocol/errc.hpp"

#include <string>

namespace standin::protocol {
namespace {

class protocol_category_impl final : public std::error_category {
public:
    const char* name() const noexcept override { return "standin.protocol"; }

    std::string message(int value) const override {
        switch (static_cast<errc>(value)) {
            case errc::prelude_crc_mismatch:
                return "event-stream prelude CRC mismatch";
            case errc::frame_too_short:
                return "event-stream frame shorter than 16 bytes";
            case errc::headers_too_long:
                return "event-stream headers length exceeds the frame";
            case errc::frame_too_long:
                return "event-stream frame exceeds the maximum size";
            case errc::message_crc_mismatch:
                return "event-stream message CRC mismatch";
            case errc::header_truncated:
                return "event-stream header runs past the header block";
            case errc::header_name_empty:
                return "event-stream header name is empty";
            case errc::header_value_too_long:
                return "event-stream header value exceeds 32767 bytes";
            case errc::unknown_header_type:
                return "event-stream header has an unknown value type";
            case errc::too_many_headers:
                return "event-stream message has too many headers";
            case errc::decoder_failed:
                return "event-stream decoder already failed";
            case errc::frame_size_mismatch:
                return "bytes are not exactly one event-stream frame";
            case errc::header_name_too_long:
                return "event-stream header name exceeds 255 bytes";
        }
        return "unknown standin.protocol error";
    }
};

}  // namespace

const std::error_category& protocol_category() noexcept {
    static const protocol_category_impl category;
    return category;
}

std::error_code make_error_code(errc e) noexcept {
    return {static_cast<int>(e), protocol_category()};
}

}  // namespace standin::protocol
