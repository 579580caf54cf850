// SPDX-License-Identifier: Apache-2.0
// UpdateThingShadow payloads: parse and validate (JSON, schema, depth, version), apply to no
// shadow and then to the result (merge, delta, metadata), and serialize. Each step must either
// succeed or return its modeled error; nothing may throw or crash.
#include <cstdint>
#include <string_view>

#include "shadow/shadow_document.hpp"

using namespace standin::server::local_shadow;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view payload{reinterpret_cast<const char*>(data), size};
    if (payload.empty()) return 0;  // refused before parsing ("Missing update payload")
    const auto first = parse_update(payload, nullptr);
    const auto* request = std::get_if<update_request>(&first);
    if (request == nullptr) return 0;
    const auto created = apply_update(nullptr, *request, 1'700'000'000);
    const auto* result = std::get_if<update_result>(&created);
    if (result == nullptr) return 0;
    // The same payload again, on the document it created: exercises merge and versions.
    const auto second = parse_update(payload, &result->updated);
    if (const auto* again = std::get_if<update_request>(&second)) {
        (void)apply_update(&result->updated, *again, 1'700'000'001);
    }
    (void)dump(result->metadata);
    return 0;
}
