// SPDX-License-Identifier: Apache-2.0
// aws.greengrass#ListNamedShadowsForThing (semantics.md §6.6): the thing name, then the rate limit,
// both before authorization (nothing is published), the policy resource is the bare thing name; then
// pageSize (1..100, default 25) and nextToken. A full page carries a nextToken, so the last page may be
// empty. The token is opaque and bound to the caller and the thing, as the plugin's encrypted offset is;
// any other token is "Invalid nextToken argument". Names come in name order.
#include <charconv>

#include "services/shadow/shadow_service.hpp"
#include "standin/model/base64.hpp"

namespace standin::server::shadow_service {

namespace {

// Spec (the plugin's Constants).
constexpr std::int32_t min_page_size = 1;
constexpr std::int32_t max_page_size = 100;
constexpr std::int32_t default_page_size = 25;

std::uint64_t fnv1a(std::string_view text, std::uint64_t seed) {
    std::uint64_t h = 1469598103934665603ULL ^ seed;
    for (const unsigned char c : text) {
        h ^= c;
        h *= 1099511628211ULL;
    }
    return h;
}

std::string token_check(const shadow_manager& shadows, std::string_view caller, std::string_view thing,
                        std::string_view offset) {
    std::string keyed{caller};
    keyed += '\n';
    keyed += thing;
    keyed += '\n';
    keyed += offset;
    char hex[17];
    std::snprintf(hex, sizeof hex, "%016llx",
                  static_cast<unsigned long long>(fnv1a(keyed, shadows.token_key)));
    return hex;
}

std::string make_token(const shadow_manager& shadows, std::string_view caller, std::string_view thing,
                       std::size_t offset) {
    const std::string text = std::to_string(offset);
    return model::base64_encode(text + ":" + token_check(shadows, caller, thing, text));
}

std::optional<std::size_t> read_token(const shadow_manager& shadows, std::string_view caller,
                                      std::string_view thing, std::string_view token) {
    const auto decoded = model::base64_decode(token);
    if (!decoded) return std::nullopt;
    const std::string_view text{*decoded};
    const auto colon = text.find(':');
    if (colon == std::string_view::npos) return std::nullopt;
    const auto offset_text = text.substr(0, colon);
    if (text.substr(colon + 1) != token_check(shadows, caller, thing, offset_text)) return std::nullopt;
    std::size_t offset = 0;
    const auto [end, ec] =
        std::from_chars(offset_text.data(), offset_text.data() + offset_text.size(), offset);
    if (ec != std::errc{} || end != offset_text.data() + offset_text.size()) return std::nullopt;
    return offset;
}

struct list_named_shadows_for_thing_op {
    using row = model::operation<"ListNamedShadowsForThing">;
    using state = shadow_manager;

    static std::optional<model::ipc_error> precheck(shadow_manager& shadows, const call_context&,
                                                    const row::request& r) {
        if (auto error = local_shadow::thing_name_error(r.thingName)) {
            return model::ipc_error::invalid_arguments(*error);
        }
        return shadows.admit(r.thingName);
    }

    static std::optional<model::ipc_error> validate(shadow_manager& shadows, const call_context& call,
                                                    const row::request& r) {
        const auto size = r.pageSize.value_or(default_page_size);
        if (size < min_page_size || size > max_page_size) {
            return model::ipc_error::invalid_arguments("pageSize argument must be between 1 and 100");
        }
        if (r.nextToken && !r.nextToken->empty() &&
            !read_token(shadows, call.caller, *r.thingName, *r.nextToken)) {
            return model::ipc_error::invalid_arguments("Invalid nextToken argument");
        }
        return std::nullopt;
    }

    static answer<row::response> handle(shadow_manager& shadows, const call_context& call,
                                        row::request& r) {
        const auto size = static_cast<std::size_t>(r.pageSize.value_or(default_page_size));
        std::size_t offset = 0;
        if (r.nextToken && !r.nextToken->empty()) {
            offset = read_token(shadows, call.caller, *r.thingName, *r.nextToken).value_or(0);
        }
        row::response response;
        response.results = shadows.store.named_shadows(*r.thingName, offset, size);
        response.timestamp = model::timestamp{static_cast<double>(shadows.now())};
        if (response.results->size() == size) {
            response.nextToken = make_token(shadows, call.caller, *r.thingName, offset + size);
        }
        return response;
    }
};

}  // namespace

operation_entry list_named_shadows_for_thing(shadow_manager& shadows) {
    return make_operation<list_named_shadows_for_thing_op>(shadows);
}

}  // namespace standin::server::shadow_service
