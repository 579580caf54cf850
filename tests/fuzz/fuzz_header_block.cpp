// SPDX-License-Identifier: Apache-2.0
// decode_headers() over arbitrary bytes. A block that decodes must re-encode to the same bytes.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <span>
#include <vector>

#include "standin/protocol/frame_decoder.hpp"
#include "standin/protocol/frame_encoder.hpp"

using namespace standin::protocol;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* bytes, std::size_t size) {
    const std::span<const std::uint8_t> block{bytes, size};
    std::vector<header> headers;
    if (decode_headers(block, decoder_limits{}, headers)) {
        return 0;
    }
    if (encoded_headers_size(headers) != size) std::abort();
    auto frame = encode_frame(headers, nullptr);
    if (!frame) std::abort();
    const auto head = frame->buffers()[0];
    if (head.size() != prelude_size + size) std::abort();
    if (!std::equal(block.begin(), block.end(), head.begin() + prelude_size)) std::abort();
    return 0;
}
