// SPDX-License-Identifier: Apache-2.0
// An event-stream message: an ordered list of typed headers plus an opaque payload.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace standin::protocol {

// Wire value of each header type (protocol.md §1.2).
enum class header_type : std::uint8_t {
    bool_true = 0,
    bool_false = 1,
    byte = 2,
    int16 = 3,
    int32 = 4,
    int64 = 5,
    byte_buf = 6,
    string = 7,
    timestamp = 8,
    uuid = 9,
};

// Milliseconds since the epoch, as carried by header type 8.
struct timestamp_ms {
    std::int64_t value = 0;
    friend bool operator==(const timestamp_ms&, const timestamp_ms&) = default;
};

// Raw bytes of header type 6 (kept apart from type 7 so the type round-trips).
struct byte_buf {
    std::string bytes;
    friend bool operator==(const byte_buf&, const byte_buf&) = default;
};

using uuid = std::array<std::uint8_t, 16>;

// Alternative index order matches nothing on the wire; use header_type_of() for the wire type.
using header_value = std::variant<bool, std::int8_t, std::int16_t, std::int32_t, std::int64_t, byte_buf,
                                  std::string, timestamp_ms, uuid>;

// The wire type a value is encoded with.
header_type header_type_of(const header_value& value) noexcept;

// Header names compared as aws-c-event-stream compares the RPC ones: ASCII case folded.
bool ascii_iequals(std::string_view a, std::string_view b) noexcept;

struct header {
    std::string name;
    header_value value;
    friend bool operator==(const header&, const header&) = default;
};

struct message {
    std::vector<header> headers;
    std::string payload;  // opaque bytes (JSON text for Greengrass IPC)

    friend bool operator==(const message&, const message&) = default;

    // First header whose name equals `name` exactly, or nullptr. The pointer lives as long as `headers`.
    const header* find(std::string_view name) const noexcept;
    // First header whose name equals `name` ignoring ASCII case, or nullptr.
    const header* find_case_insensitive(std::string_view name) const noexcept;
};

}  // namespace standin::protocol
