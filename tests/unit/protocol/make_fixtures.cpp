// SPDX-License-Identifier: Apache-2.0
// Regenerates the checked-in golden frames and fuzz seeds:
//   protocol_make_fixtures <fixtures-dir>
// Positive frames are either the literal bytes of protocol.md §1.4 or encoder output for a message
// written out below; the sibling .json is written from that message, not from a decode, so the unit
// tests compare the decoder against an independent description, and says which of the two the
// frame is ("origin"). None of them comes from a client: what the real JS SDK sends is recorded by
// tests/conformance/record_frames.js into frames/captured/, which this program only reads, to seed
// the fuzzers with. Negative frames are assembled byte by byte so that exactly one rule is broken.
#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "standin/protocol/crc32.hpp"
#include "standin/protocol/frame_encoder.hpp"
#include "standin/protocol/limits.hpp"
#include "standin/protocol/rpc.hpp"
#include "test_support.hpp"

namespace fs = std::filesystem;
using namespace standin::protocol;
using namespace standin::protocol::test;
using json = nlohmann::ordered_json;

namespace {

std::string be32(std::uint32_t v) {
    return {static_cast<char>(v >> 24), static_cast<char>(v >> 16), static_cast<char>(v >> 8),
            static_cast<char>(v)};
}

// A frame around an arbitrary (possibly invalid) header block and payload, with correct CRCs.
// `total_len`/`headers_len` default to the real sizes.
struct raw_frame {
    std::string headers;
    std::string payload;
    std::optional<std::uint32_t> total_len;
    std::optional<std::uint32_t> headers_len;

    std::string bytes() const {
        const auto total =
            total_len.value_or(static_cast<std::uint32_t>(16 + headers.size() + payload.size()));
        const auto hlen = headers_len.value_or(static_cast<std::uint32_t>(headers.size()));
        std::string out = be32(total) + be32(hlen);
        out += be32(crc32(0, out));
        out += headers + payload;
        out += be32(crc32(0, out));
        return out;
    }
};

std::string frame_of(std::string headers, std::string payload = {}) {
    return raw_frame{std::move(headers), std::move(payload), std::nullopt, std::nullopt}.bytes();
}

// Only the 12 prelude bytes with the given lengths (and a correct CRC).
std::string prelude_of(std::uint32_t total_len, std::uint32_t headers_len) {
    return raw_frame{{}, {}, total_len, headers_len}.bytes().substr(0, 12);
}

std::string header_record(std::string_view name, std::uint8_t type, std::string_view value) {
    std::string out;
    out.push_back(static_cast<char>(name.size()));
    out.append(name);
    out.push_back(static_cast<char>(type));
    out.append(value);
    return out;
}

std::string rpc_block(std::int32_t type, std::int32_t flags, std::int32_t stream) {
    return header_record(":message-type", 4, be32(static_cast<std::uint32_t>(type))) +
           header_record(":message-flags", 4, be32(static_cast<std::uint32_t>(flags))) +
           header_record(":stream-id", 4, be32(static_cast<std::uint32_t>(stream)));
}

message rpc_message(rpc::message_type type, std::int32_t flags, std::int32_t stream,
                    std::vector<header> before = {}, std::vector<header> after = {},
                    std::string payload = {}) {
    message m;
    m.headers = std::move(before);
    rpc::append_rpc_headers(m.headers, type, flags, stream);
    for (auto& h : after)
        m.headers.push_back(std::move(h));
    m.payload = std::move(payload);
    return m;
}

class writer {
public:
    explicit writer(fs::path root) : root_{std::move(root)} {
        for (const char* dir :
             {"frames/positive", "frames/negative", "fuzz/frame_decoder", "fuzz/header_block"}) {
            fs::create_directories(root_ / dir);
            // Start from a clean slate so that renamed vectors do not linger.
            for (const auto& entry : fs::directory_iterator{root_ / dir})
                fs::remove(entry.path());
        }
    }

    void positive(const std::string& name, const std::string& description, const message& msg,
                  std::optional<std::string> literal = std::nullopt) {
        auto encoded = encode_message(msg);
        if (!encoded) throw std::runtime_error("cannot encode " + name);
        if (literal && *literal != *encoded)
            throw std::runtime_error("spec bytes differ from encoder: " + name);
        const std::string bytes = literal.value_or(*encoded);
        json j;
        j["description"] = description;
        j["origin"] = literal ? "the literal bytes of the spec, checked against our encoder"
                              : "our encoder (tests/unit/protocol/make_fixtures.cpp), not a client";
        j["total_len"] = bytes.size();
        message_to_json(msg, j);
        write_binary(root_ / "frames/positive" / (name + ".bin"), bytes);
        write_text(root_ / "frames/positive" / (name + ".json"), j);
        seed(name, bytes);
        all_positive_ += bytes;
    }

    void negative(const std::string& name, const std::string& description, errc expected,
                  const std::string& bytes, json limits = nullptr) {
        json j;
        j["description"] = description;
        j["errc"] = errc_name(expected);
        if (!limits.is_null()) j["limits"] = std::move(limits);
        write_binary(root_ / "frames/negative" / (name + ".bin"), bytes);
        write_text(root_ / "frames/negative" / (name + ".json"), j);
        seed("neg_" + name, bytes);
    }

    // The frames a real client sent (frames/captured/*.bin) as fuzz seeds, named captured_*.
    void captured_seeds() {
        const auto dir = root_ / "frames/captured";
        if (!fs::is_directory(dir)) return;
        std::vector<fs::path> files;
        for (const auto& entry : fs::directory_iterator{dir}) {
            if (entry.path().extension() == ".bin") files.push_back(entry.path());
        }
        std::sort(files.begin(), files.end());
        for (const auto& file : files)
            seed("captured_" + file.stem().string(), read_binary(file));
    }

    void finish() {
        // Several frames in one input exercise the between-frames state.
        write_binary(root_ / "fuzz/frame_decoder/all_positive_concatenated.bin",
                     all_positive_.substr(0, 8192));
    }

private:
    // Large seeds slow libFuzzer down (its max_len follows the largest seed); they add nothing there.
    static constexpr std::size_t max_seed = 8192;

    void seed(const std::string& name, const std::string& bytes) {
        if (bytes.size() > max_seed) return;
        write_binary(root_ / "fuzz/frame_decoder" / (name + ".bin"), bytes);
        if (bytes.size() >= 12) {
            const std::size_t hlen = (std::size_t{static_cast<unsigned char>(bytes[4])} << 24) |
                                     (std::size_t{static_cast<unsigned char>(bytes[5])} << 16) |
                                     (std::size_t{static_cast<unsigned char>(bytes[6])} << 8) |
                                     std::size_t{static_cast<unsigned char>(bytes[7])};
            const std::string block = bytes.substr(12, hlen);
            if (!block.empty() && blocks_.insert(block).second) {
                write_binary(root_ / "fuzz/header_block" / (name + ".bin"), block);
            }
        }
    }

    static void write_text(const fs::path& path, const json& j) { write_binary(path, j.dump(2) + "\n"); }

    fs::path root_;
    std::string all_positive_;
    std::set<std::string> blocks_;
};

header str(std::string name, std::string value) {
    return header{std::move(name), std::move(value)};
}

}  // namespace

int main(int argc, char** argv) {
    if (argc != 2) {
        std::fprintf(stderr, "usage: %s <fixtures-dir>\n", argv[0]);
        return 2;
    }
    writer w{argv[1]};
    using rpc::message_type;

    // ---- positive: protocol.md §1.4 literal vectors ----
    w.positive("empty_message", "protocol.md §1.4: empty message (aws-c-event-stream deserializer test)",
               message{}, from_hex("00 00 00 10 00 00 00 00 05 c2 48 eb 7d 98 c8 ff"));
    w.positive(
        "content_type_foo_bar",
        "protocol.md §1.4: content-type: application/json, payload {'foo':'bar'}",
        message{{str("content-type", "application/json")}, "{'foo':'bar'}"},
        from_hex(R"(00 00 00 3d 00 00 00 20 07 fd 83 96 0c "content-type" 07 00 10 "application/json"
                           "{'foo':'bar'}" 8d 9c 08 b1)"));
    const char* connect_ack_hex =
        R"(00 00 00 47 00 00 00 37 37 4c fe 3f | 0d ":message-type" 04 00 00 00 05 |
        0e ":message-flags" 04 00 00 00 %s | 0a ":stream-id" 04 00 00 00 00 | %s)";
    char hex[512];
    std::snprintf(hex, sizeof hex, connect_ack_hex, "01", "e2 37 e2 7d");
    w.positive("connect_ack_accepted",
               "protocol.md §1.4: CONNECT_ACK flags 1 as the Java nucleus sends it",
               rpc_message(message_type::connect_ack, rpc::flag_connection_accepted, 0), from_hex(hex));
    std::snprintf(hex, sizeof hex, connect_ack_hex, "00", "65 91 29 3e");
    w.positive("connect_ack_rejected", "protocol.md §1.4: CONNECT_ACK flags 0 (rejected)",
               rpc_message(message_type::connect_ack, 0, 0), from_hex(hex));

    // ---- positive: encoder output for described messages ----
    w.positive("ping_response_empty",
               "protocol.md §1.4: PING_RESPONSE with nothing echoed; CRC d1 53 57 fe",
               rpc_message(message_type::ping_response, 0, 0));
    w.positive("publish_to_topic_response",
               "protocol.md §4.2: 165-byte PublishToTopicResponse on stream 1 with TERMINATE",
               rpc_message(message_type::application_message, rpc::flag_terminate_stream, 1,
                           {str(":content-type", "application/json"),
                            str("service-model-type", "aws.greengrass#PublishToTopicResponse")},
                           {}, "{}"));
    // Encoder-made frames shaped after what the spec says clients send; the JS client's real bytes
    // are in frames/captured/ (js_connect, js_publish_to_topic_request).
    w.positive("encoded_js_connect",
               "Encoder-made, not captured: CONNECT shaped as protocol.md §3.2 [PROBE] says the JS SDK "
               "sends it (the captured one is frames/captured/js_connect.bin)",
               rpc_message(message_type::connect, 0, 0, {str(":version", "0.1.0")}, {},
                           R"({"authToken":"ABCDEFGHIJKLMNOP"})"));
    w.positive("encoded_python_connect",
               "Encoder-made, not captured: CONNECT shaped as protocol.md §3.2 says the Python SDK "
               "sends it, from reading its source (note the space)",
               rpc_message(message_type::connect, 0, 0, {str(":version", "0.1.0")}, {},
                           R"({"authToken": "ABCDEFGHIJKLMNOP"})"));
    w.positive(
        "encoded_js_publish_to_topic_request",
        "Encoder-made, not captured: PublishToTopic on stream 1 shaped as protocol.md §4.1 [PROBE] "
        "says the JS SDK sends it (the captured one is "
        "frames/captured/js_publish_to_topic_request.bin)",
        rpc_message(message_type::application_message, 0, 1, {},
                    {str("operation", "aws.greengrass#PublishToTopic")},
                    R"({"topic":"t","publishMessage":{"jsonMessage":{"message":{"a":1}}}})"));
    w.positive("client_terminate_stream_1", "protocol.md §4.3: a client's empty TERMINATE on stream 1",
               rpc_message(message_type::application_message, rpc::flag_terminate_stream, 1));
    w.positive("ping_with_custom_header",
               "protocol.md §6: PING with an application header and payload to echo",
               rpc_message(message_type::ping, 0, 0, {str("x-custom", "hello")}, {}, "ping-data"));
    {
        message m;
        m.headers = {
            header{"t", true},
            header{"f", false},
            header{"byte", std::int8_t{-2}},
            header{"int16", std::int16_t{-12345}},
            header{"int32", std::int32_t{-123456789}},
            header{"int64", std::int64_t{-1234567890123456789}},
            header{"buf", byte_buf{std::string{"\x00\x01\xfe\xff", 4}}},
            header{"str", std::string{"caf\xc3\xa9"}},
            header{"ts", timestamp_ms{1700000000123}},
            header{"id", uuid{0x00, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88, 0x99, 0xaa, 0xbb,
                              0xcc, 0xdd, 0xee, 0xff}},
        };
        m.payload = std::string{
            "\x00\x01\x02"
            "binary"
            "\xff",
            10};
        w.positive("all_header_types", "all 10 header value types, negative numbers, binary payload", m);
    }
    w.positive("boundary_name_255_value_32767",
               "the largest header name and string value the rules allow",
               message{{str(std::string(255, 'n'), std::string(32767, 'v'))}, "{}"});

    // ---- negative ----
    const std::string ack = from_hex(hex);  // rejected CONNECT_ACK, a valid 71-byte frame
    const std::string ack_block = rpc_block(5, 0, 0);
    {
        std::string b = ack;
        b[11] = static_cast<char>(b[11] ^ 0x01);
        w.negative("prelude_crc_mismatch", "prelude CRC byte flipped", errc::prelude_crc_mismatch, b);
        b = ack;
        b[3] = static_cast<char>(b[3] ^ 0x40);
        w.negative("prelude_crc_mismatch_length_changed",
                   "total_len changed without fixing the CRC: the length must not be trusted",
                   errc::prelude_crc_mismatch, b);
    }
    w.negative("frame_too_short", "total_len 15 with a valid prelude CRC", errc::frame_too_short,
               prelude_of(15, 0) + std::string(4, '\0'));
    w.negative("frame_too_short_zero", "total_len 0 with a valid prelude CRC", errc::frame_too_short,
               prelude_of(0, 0));
    w.negative("headers_too_long", "headers_len = total_len - 15", errc::headers_too_long,
               raw_frame{ack_block, {}, std::nullopt, 56}.bytes());
    w.negative("headers_too_long_huge", "headers_len 0xFFFFFFFF (no wrap-around)",
               errc::headers_too_long, prelude_of(16, 0xFFFFFFFF));
    w.negative("frame_too_long_default", "total_len 24 MiB + 1: prelude only, the body never comes",
               errc::frame_too_long, prelude_of(default_max_frame_size + 1, 0));
    w.negative("frame_too_long_huge", "total_len 0xFFFFFFFF: prelude only", errc::frame_too_long,
               prelude_of(0xFFFFFFFF, 0x37));
    w.negative("frame_too_long_small_limit", "a valid 71-byte frame under a 70-byte limit",
               errc::frame_too_long, ack, json{{"max_frame_size", 70}});
    {
        std::string b = ack;
        b.back() = static_cast<char>(b.back() ^ 0x01);
        w.negative("message_crc_mismatch", "trailing CRC byte flipped", errc::message_crc_mismatch, b);
        b = ack;
        b[20] = static_cast<char>(b[20] ^ 0x20);
        w.negative("message_crc_mismatch_header_changed", "a header name byte changed, CRC left alone",
                   errc::message_crc_mismatch, b);
    }
    w.negative("header_truncated_value", "int32 header with only 2 value bytes in the block",
               errc::header_truncated,
               frame_of(header_record(":stream-id", 4, std::string(2, '\0')), "{}"));
    w.negative("header_truncated_name", "name length 20 with 5 bytes left", errc::header_truncated,
               frame_of(std::string{"\x14"} + "abcd"));
    w.negative("header_truncated_type", "name but no type byte", errc::header_truncated,
               frame_of(std::string{"\x01"} + "a", "xyz"));
    w.negative("header_truncated_string", "string length 10 with 3 bytes left", errc::header_truncated,
               frame_of(header_record("s", 7, std::string{"\x00\x0a", 2} + "abc")));
    w.negative("header_truncated_string_length", "string with 1 of its 2 length bytes",
               errc::header_truncated, frame_of(header_record("s", 7, std::string{"\x00", 1})));
    w.negative("header_truncated_uuid", "uuid with 15 bytes", errc::header_truncated,
               frame_of(ack_block + header_record("u", 9, std::string(15, '\x01'))));
    w.negative("header_name_empty", "name length 0 after a valid header", errc::header_name_empty,
               frame_of(ack_block + header_record("", 4, be32(1))));
    w.negative("unknown_header_type", "value type 10", errc::unknown_header_type,
               frame_of(header_record("a", 10, be32(1))));
    w.negative("unknown_header_type_255", "value type 255", errc::unknown_header_type,
               frame_of(ack_block + header_record("a", 255, "")));
    w.negative("header_value_too_long_string",
               "string length 32768 (the u16 allows it, the rules do not)", errc::header_value_too_long,
               frame_of(header_record("s", 7, std::string{"\x80\x00", 2} + std::string(32768, 's'))));
    w.negative("header_value_too_long_byte_buf", "byte_buf length 0xFFFF, block far shorter",
               errc::header_value_too_long,
               frame_of(header_record("b", 6, std::string{"\xff\xff", 2} + "abc")));
    {
        std::string block;
        for (int i = 0; i < 1025; ++i)
            block += header_record("a", 0, "");
        w.negative("too_many_headers_default", "1025 bool headers (the limit is 1024)",
                   errc::too_many_headers, frame_of(block));
        block = ack_block + header_record("a", 1, "") + header_record("b", 0, "");
        w.negative("too_many_headers_small_limit", "5 headers under a limit of 4",
                   errc::too_many_headers, frame_of(block), json{{"max_headers", 4}});
    }
    w.captured_seeds();
    w.finish();
    return 0;
}
