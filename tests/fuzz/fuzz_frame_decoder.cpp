// SPDX-License-Identifier: Apache-2.0
// Feeds arbitrary bytes to frame_decoder twice: in one put() loop over the whole input, and in chunks
// whose sizes come from the input bytes. Both runs must agree message for message and on the error.
// Every decoded frame must re-encode to exactly the bytes it came from (the encoding is canonical),
// and decode_frame() must agree with the incremental decoder.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <span>
#include <vector>

#include "standin/protocol/errc.hpp"
#include "standin/protocol/frame_decoder.hpp"
#include "standin/protocol/frame_encoder.hpp"

using namespace standin::protocol;

namespace {

void check(bool ok) {
    if (!ok) std::abort();
}

struct run {
    std::vector<message> messages;
    std::error_code ec;
};

template <class ChunkFn>
run decode(std::span<const std::uint8_t> data, const decoder_limits& limits, ChunkFn chunk_at,
           bool verify_frames) {
    run out;
    frame_decoder dec{limits};
    std::size_t pos = 0;
    std::size_t frame_start = 0;
    while (pos < data.size()) {
        const std::size_t n = std::min(chunk_at(pos), data.size() - pos);
        auto piece = data.subspan(pos, n);
        while (!piece.empty()) {
            const auto r = dec.put(piece);
            check(r.consumed <= piece.size());
            pos += r.consumed;
            piece = piece.subspan(r.consumed);
            if (r.ec) {
                check(dec.failed());
                check(dec.put(data).ec == errc::decoder_failed);
                out.ec = r.ec;
                return out;
            }
            check(r.consumed > 0);  // progress: a non-empty put always takes a byte
            if (dec.has_message()) {
                auto m = dec.take_message();
                check(dec.at_frame_boundary());
                if (verify_frames) {
                    const auto frame = data.subspan(frame_start, pos - frame_start);
                    auto encoded = encode_message(m, limits.max_frame_size);
                    check(encoded.has_value());
                    check(encoded->size() == frame.size());
                    check(std::equal(frame.begin(), frame.end(),
                                     reinterpret_cast<const std::uint8_t*>(encoded->data())));
                    message again;
                    check(!decode_frame(frame, limits, again));
                    check(again == m);
                }
                out.messages.push_back(std::move(m));
                frame_start = pos;
            }
        }
    }
    return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* bytes, std::size_t size) {
    const std::span<const std::uint8_t> data{bytes, size};
    // A small frame limit now and then reaches frame_too_long / too_many_headers with short inputs.
    decoder_limits limits;
    if (size > 0 && (data[size - 1] & 0x0F) == 0x0F) {
        limits.max_frame_size = 256;
        limits.max_headers = 4;
    }

    const run whole = decode(
        data, limits, [&](std::size_t) { return size; }, true);
    // Chunk sizes 1..17 taken from the byte at the current position, so mutations move the cuts.
    const run chunked = decode(
        data, limits, [&](std::size_t pos) { return std::size_t{1} + data[pos] % 17; }, false);

    check(whole.ec == chunked.ec);
    check(whole.messages == chunked.messages);
    return 0;
}
