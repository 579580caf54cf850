// SPDX-License-Identifier: Apache-2.0
#include "standin/protocol/frame_decoder.hpp"

#include <gtest/gtest.h>

#include "standin/protocol/crc32.hpp"
#include "standin/protocol/frame_encoder.hpp"
#include "standin/protocol/rpc.hpp"
#include "test_support.hpp"

namespace standin::protocol {
namespace {

using test::as_span;
using test::feed_all;
using test::from_hex;

std::string be32(std::uint32_t v) {
    return {static_cast<char>(v >> 24), static_cast<char>(v >> 16), static_cast<char>(v >> 8),
            static_cast<char>(v)};
}

std::string prelude(std::uint32_t total_len, std::uint32_t headers_len) {
    std::string p = be32(total_len) + be32(headers_len);
    return p + be32(crc32(0, p));
}

// A frame with correct CRCs around any header block.
std::string frame_around(const std::string& block, const std::string& payload = {}) {
    std::string f = prelude(static_cast<std::uint32_t>(16 + block.size() + payload.size()),
                            static_cast<std::uint32_t>(block.size())) +
                    block + payload;
    return f + be32(crc32(0, f));
}

std::string encode(const message& m) {
    auto r = encode_message(m);
    if (!r) throw std::runtime_error("encode failed");
    return *r;
}

message rpc_message(rpc::message_type type, std::int32_t flags, std::int32_t stream,
                    std::string payload = {}) {
    message m;
    rpc::append_rpc_headers(m.headers, type, flags, stream);
    m.payload = std::move(payload);
    return m;
}

TEST(frame_decoder, starts_idle) {
    frame_decoder dec;
    EXPECT_TRUE(dec.at_frame_boundary());
    EXPECT_FALSE(dec.has_message());
    EXPECT_FALSE(dec.failed());
    EXPECT_EQ(dec.limits().max_frame_size, default_max_frame_size);
    EXPECT_EQ(dec.limits().max_headers, default_max_headers);
}

TEST(frame_decoder, empty_put_is_a_no_op) {
    frame_decoder dec;
    const auto r = dec.put({});
    EXPECT_EQ(r.consumed, 0u);
    EXPECT_FALSE(r.ec);
    EXPECT_TRUE(dec.at_frame_boundary());
}

TEST(frame_decoder, stops_after_each_frame_when_two_are_back_to_back) {
    const auto a = encode(rpc_message(rpc::message_type::connect, 0, 0, R"({"authToken":"x"})"));
    const auto b = encode(rpc_message(rpc::message_type::ping, 0, 0));
    const std::string both = a + b;

    frame_decoder dec;
    auto r = dec.put(as_span(both));
    ASSERT_FALSE(r.ec);
    EXPECT_EQ(r.consumed, a.size());
    ASSERT_TRUE(dec.has_message());
    EXPECT_EQ(dec.take_message().payload, R"({"authToken":"x"})");
    EXPECT_TRUE(dec.at_frame_boundary());

    r = dec.put(as_span(both).subspan(a.size()));
    ASSERT_FALSE(r.ec);
    EXPECT_EQ(r.consumed, b.size());
    ASSERT_TRUE(dec.has_message());
    EXPECT_EQ(dec.take_message(), rpc_message(rpc::message_type::ping, 0, 0));

    for (std::size_t chunk : {0u, 1u, 5u, 7u, 70u, 71u, 72u}) {
        const auto out = feed_all(both, {}, chunk);
        ASSERT_FALSE(out.ec);
        ASSERT_EQ(out.messages.size(), 2u) << chunk;
        EXPECT_EQ(out.messages[1], rpc_message(rpc::message_type::ping, 0, 0));
    }
}

TEST(frame_decoder, put_while_a_message_is_pending_consumes_nothing) {
    const auto a = encode(rpc_message(rpc::message_type::ping, 0, 0));
    const std::string both = a + a;
    frame_decoder dec;
    ASSERT_EQ(dec.put(as_span(both)).consumed, a.size());
    const auto r = dec.put(as_span(both).subspan(a.size()));
    EXPECT_EQ(r.consumed, 0u);
    EXPECT_FALSE(r.ec);
    EXPECT_TRUE(dec.has_message());
}

TEST(frame_decoder, partial_frame_is_not_a_boundary) {
    const auto a = encode(rpc_message(rpc::message_type::ping, 0, 0));
    frame_decoder dec;
    EXPECT_EQ(dec.put(as_span(a).first(5)).consumed, 5u);
    EXPECT_FALSE(dec.at_frame_boundary());
    EXPECT_EQ(dec.put(as_span(a).subspan(5, 20)).consumed, 20u);
    EXPECT_FALSE(dec.at_frame_boundary());
    EXPECT_FALSE(dec.has_message());
    EXPECT_EQ(dec.put(as_span(a).subspan(25)).consumed, a.size() - 25);
    EXPECT_TRUE(dec.has_message());
}

// A peer announcing a 4 GiB frame with a valid prelude CRC must be refused from the 12 prelude bytes
// alone: nothing sized by total_len is allocated and no body byte is waited for.
TEST(frame_decoder, huge_total_len_fails_before_the_body) {
    for (std::uint32_t total : {0xFFFFFFFFu, default_max_frame_size + 1}) {
        const std::string p = prelude(total, 0);
        frame_decoder dec;
        for (std::size_t i = 0; i < 11; ++i) {
            const auto r = dec.put(as_span(p).subspan(i, 1));
            ASSERT_FALSE(r.ec);
            ASSERT_EQ(r.consumed, 1u);
        }
        const auto r = dec.put(as_span(p).subspan(11, 1));
        EXPECT_EQ(r.ec, errc::frame_too_long);
        EXPECT_EQ(r.consumed, 1u);
        EXPECT_TRUE(dec.failed());
    }
}

TEST(frame_decoder, frame_of_exactly_the_limit_is_accepted) {
    const auto bytes = encode(rpc_message(rpc::message_type::ping, 0, 0, std::string(29, 'x')));
    ASSERT_EQ(bytes.size(), 100u);
    EXPECT_FALSE(feed_all(bytes, {.max_frame_size = 100}).ec);
    EXPECT_EQ(feed_all(bytes, {.max_frame_size = 99}).ec, errc::frame_too_long);
}

TEST(frame_decoder, header_count_of_exactly_the_limit_is_accepted) {
    const auto bytes = encode(rpc_message(rpc::message_type::ping, 0, 0));
    EXPECT_FALSE(feed_all(bytes, {.max_headers = 3}).ec);
    EXPECT_EQ(feed_all(bytes, {.max_headers = 2}).ec, errc::too_many_headers);
    EXPECT_EQ(feed_all(bytes, {.max_headers = 0}).ec, errc::too_many_headers);
    EXPECT_FALSE(
        feed_all(from_hex("00 00 00 10 00 00 00 00 05 c2 48 eb 7d 98 c8 ff"), {.max_headers = 0}).ec);
}

// The prelude checks run in a fixed order; each case below breaks two rules and expects the first.
TEST(frame_decoder, prelude_checks_run_in_order) {
    std::string bad_crc = prelude(10, 100);
    bad_crc[11] = static_cast<char>(bad_crc[11] ^ 1);
    EXPECT_EQ(feed_all(bad_crc).ec, errc::prelude_crc_mismatch);
    EXPECT_EQ(feed_all(prelude(10, 100)).ec, errc::frame_too_short);
    EXPECT_EQ(feed_all(prelude(0xFFFFFFFF, 0xFFFFFFF0)).ec, errc::headers_too_long);
    EXPECT_EQ(feed_all(prelude(0xFFFFFFFF, 0xFFFFFFEF)).ec, errc::frame_too_long);
    EXPECT_EQ(feed_all(prelude(16, 0)).ec, std::error_code{});  // valid so far, just incomplete
}

// A message CRC mismatch wins over a broken header block: garbage is not parsed.
TEST(frame_decoder, message_crc_is_checked_before_headers) {
    std::string f = frame_around(std::string{"\x00\x04", 2});  // empty name
    EXPECT_EQ(feed_all(f).ec, errc::header_name_empty);
    f.back() = static_cast<char>(f.back() ^ 1);
    EXPECT_EQ(feed_all(f).ec, errc::message_crc_mismatch);
}

TEST(frame_decoder, is_dead_after_an_error) {
    std::string f = encode(rpc_message(rpc::message_type::ping, 0, 0));
    f.back() = static_cast<char>(f.back() ^ 1);
    frame_decoder dec;
    auto r = dec.put(as_span(f));
    EXPECT_EQ(r.ec, errc::message_crc_mismatch);
    EXPECT_EQ(r.consumed, f.size());
    EXPECT_TRUE(dec.failed());
    EXPECT_FALSE(dec.has_message());

    const auto good = encode(rpc_message(rpc::message_type::ping, 0, 0));
    r = dec.put(as_span(good));
    EXPECT_EQ(r.ec, errc::decoder_failed);
    EXPECT_EQ(r.consumed, 0u);
    (void)dec.take_message();  // ignoring the precondition must not revive it
    EXPECT_EQ(dec.put(as_span(good)).ec, errc::decoder_failed);
}

TEST(frame_decoder, reuses_itself_for_many_frames) {
    frame_decoder dec;
    for (std::int32_t stream = 1; stream <= 50; ++stream) {
        const auto m = rpc_message(rpc::message_type::application_message, 0, stream,
                                   std::string(stream * 1000, 'p'));
        const auto bytes = encode(m);
        const auto r = dec.put(as_span(bytes));
        ASSERT_FALSE(r.ec);
        ASSERT_EQ(r.consumed, bytes.size());
        ASSERT_EQ(dec.take_message(), m);
    }
}

TEST(decode_frame, requires_exactly_one_frame) {
    const auto bytes = encode(rpc_message(rpc::message_type::ping, 0, 0));
    message out;
    EXPECT_FALSE(decode_frame(as_span(bytes), {}, out));
    EXPECT_EQ(decode_frame(as_span(bytes).first(70), {}, out), errc::frame_size_mismatch);
    EXPECT_EQ(decode_frame(as_span(bytes + "x"), {}, out), errc::frame_size_mismatch);
    EXPECT_EQ(decode_frame(as_span(bytes).first(11), {}, out), errc::frame_size_mismatch);
    EXPECT_EQ(decode_frame({}, {}, out), errc::frame_size_mismatch);
}

// --- decode_headers on its own -----------------------------------------------------------------

std::error_code headers_ec(const std::string& block, decoder_limits limits = {}) {
    std::vector<header> out;
    return decode_headers(as_span(block), limits, out);
}

TEST(decode_headers, empty_block_is_no_headers) {
    std::vector<header> out{header{"stale", true}};
    EXPECT_FALSE(decode_headers({}, {}, out));
    EXPECT_TRUE(out.empty());
}

TEST(decode_headers, values_are_big_endian_and_signed) {
    const std::string block = from_hex(R"(01 "a" 02 ff | 01 "b" 03 80 00 | 01 "c" 04 80 00 00 01 |
        01 "d" 05 ff ff ff ff ff ff ff fe | 01 "e" 08 00 00 01 8b cf e5 68 7b |
        01 "f" 09 00 01 02 03 04 05 06 07 08 09 0a 0b 0c 0d 0e 0f | 01 "g" 06 00 02 00 ff | 01 "h" 07 00 00 |
        01 "i" 00 | 01 "j" 01)");
    std::vector<header> out;
    ASSERT_FALSE(decode_headers(as_span(block), {}, out));
    ASSERT_EQ(out.size(), 10u);
    EXPECT_EQ(out[0].value, header_value{std::int8_t{-1}});
    EXPECT_EQ(out[1].value, header_value{std::int16_t{-32768}});
    EXPECT_EQ(out[2].value, header_value{std::int32_t{-2147483647}});
    EXPECT_EQ(out[3].value, header_value{std::int64_t{-2}});
    EXPECT_EQ(out[4].value, header_value{timestamp_ms{1700000000123}});
    const uuid expected_uuid{0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07,
                             0x08, 0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x0e, 0x0f};
    EXPECT_EQ(out[5].value, header_value{expected_uuid});
    EXPECT_EQ(out[6].value, (header_value{byte_buf{std::string{"\x00\xff", 2}}}));
    EXPECT_EQ(out[7].value, header_value{std::string{}});
    EXPECT_EQ(out[8].value, header_value{true});
    EXPECT_EQ(out[9].value, header_value{false});
    EXPECT_EQ(header_type_of(out[6].value), header_type::byte_buf);
    EXPECT_EQ(header_type_of(out[7].value), header_type::string);
}

TEST(decode_headers, each_error_class) {
    EXPECT_EQ(headers_ec(from_hex("00 04 00 00 00 01")), errc::header_name_empty);
    EXPECT_EQ(headers_ec(from_hex(R"(05 "ab")")), errc::header_truncated);
    EXPECT_EQ(headers_ec(from_hex(R"(02 "ab")")), errc::header_truncated);  // no type byte
    EXPECT_EQ(headers_ec(from_hex(R"(01 "a" 04 00 00 00)")), errc::header_truncated);
    EXPECT_EQ(headers_ec(from_hex(R"(01 "a" 05 00 00 00 00 00 00 00)")), errc::header_truncated);
    EXPECT_EQ(headers_ec(from_hex(R"(01 "a" 08 00)")), errc::header_truncated);
    EXPECT_EQ(headers_ec(from_hex(R"(01 "a" 02)")), errc::header_truncated);
    EXPECT_EQ(headers_ec(from_hex(R"(01 "a" 03 00)")), errc::header_truncated);
    EXPECT_EQ(headers_ec(from_hex(R"(01 "a" 07 00)")), errc::header_truncated);
    EXPECT_EQ(headers_ec(from_hex(R"(01 "a" 07 00 03 "ab")")), errc::header_truncated);
    EXPECT_EQ(headers_ec(from_hex(R"(01 "a" 09 00)")), errc::header_truncated);
    EXPECT_EQ(headers_ec(from_hex(R"(01 "a" 0a)")), errc::unknown_header_type);
    EXPECT_EQ(headers_ec(from_hex(R"(01 "a" 07 80 00)")), errc::header_value_too_long);
    EXPECT_EQ(headers_ec(from_hex(R"(01 "a" 06 ff ff)")), errc::header_value_too_long);
    EXPECT_EQ(headers_ec(from_hex(R"(01 "a" 00 01 "b" 00 01 "c" 00)"), {.max_headers = 2}),
              errc::too_many_headers);
}

TEST(decode_headers, value_of_32767_bytes_is_accepted) {
    const std::string block = from_hex(R"(01 "a" 07 7f ff)") + std::string(32767, 'v');
    std::vector<header> out;
    ASSERT_FALSE(decode_headers(as_span(block), {}, out));
    EXPECT_EQ(std::get<std::string>(out.at(0).value).size(), 32767u);
}

TEST(decode_headers, name_of_255_bytes_and_any_bytes_is_accepted) {
    const std::string block = std::string{"\xff"} + std::string(255, '\x80') + std::string{"\x00", 1};
    std::vector<header> out;
    ASSERT_FALSE(decode_headers(as_span(block), {}, out));
    EXPECT_EQ(out.at(0).name.size(), 255u);
}

TEST(errc, has_a_category_and_messages) {
    const std::error_code ec = errc::frame_too_long;
    EXPECT_STREQ(ec.category().name(), "standin.protocol");
    EXPECT_EQ(ec.category(), protocol_category());
    for (const auto& [value, name] : test::errc_names) {
        const std::error_code e = value;
        EXPECT_FALSE(e.message().empty()) << name;
        EXPECT_NE(e.message(), "unknown standin.protocol error") << name;
    }
}

}  // namespace
}  // namespace standin::protocol
