// SPDX-License-Identifier: Apache-2.0
#include "shadow/shadow_store.hpp"

namespace standin::server::local_shadow {

namespace {

bool matches_pattern(std::string_view name) {
    for (const char c : name) {
        const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                        c == ':' || c == '_' || c == '-';
        if (!ok) return false;
    }
    return !name.empty();
}

// Java's String.length(): UTF-16 code units.
std::size_t utf16_length(std::string_view s) {
    std::size_t n = 0;
    for (const unsigned char c : s) {
        if ((c & 0xC0) != 0x80) n += (c >= 0xF0) ? 2 : 1;
    }
    return n;
}

}  // namespace

std::optional<std::string> thing_name_error(const std::optional<std::string>& thing_name) {
    if (!thing_name || thing_name->empty()) return "ThingName is missing";
    if (utf16_length(*thing_name) > max_thing_name_length) {
        return "ThingName has a maximum length of " + std::to_string(max_thing_name_length);
    }
    if (!matches_pattern(*thing_name)) return "ThingName must match pattern [a-zA-Z0-9:_-]+";
    return std::nullopt;
}

std::optional<std::string> shadow_name_error(const std::optional<std::string>& shadow_name) {
    if (!shadow_name || shadow_name->empty()) return std::nullopt;
    if (utf16_length(*shadow_name) > max_shadow_name_length) {
        return "ShadowName has a maximum length of " + std::to_string(max_shadow_name_length);
    }
    if (!matches_pattern(*shadow_name)) return "ShadowName must match pattern [a-zA-Z0-9:_-]+";
    return std::nullopt;
}

std::string topic_prefix(std::string_view thing_name, std::string_view shadow_name) {
    std::string out = "$aws/things/" + std::string{thing_name} + "/shadow";
    if (!shadow_name.empty()) out += "/name/" + std::string{shadow_name};
    return out;
}

const document* shadow_store::find(std::string_view thing_name, std::string_view shadow_name) const {
    const auto it = shadows_.find(std::pair{std::string{thing_name}, std::string{shadow_name}});
    return it == shadows_.end() ? nullptr : &it->second;
}

void shadow_store::put(std::string thing_name, std::string shadow_name, document doc) {
    shadows_.insert_or_assign(std::pair{std::move(thing_name), std::move(shadow_name)}, std::move(doc));
}

std::optional<document> shadow_store::erase(std::string_view thing_name, std::string_view shadow_name) {
    const auto it = shadows_.find(std::pair{std::string{thing_name}, std::string{shadow_name}});
    if (it == shadows_.end()) return std::nullopt;
    document doc = std::move(it->second);
    shadows_.erase(it);
    return doc;
}

std::vector<std::string> shadow_store::named_shadows(std::string_view thing_name, std::size_t offset,
                                                     std::size_t limit) const {
    std::vector<std::string> out;
    std::size_t index = 0;
    for (auto it = shadows_.lower_bound(std::pair{std::string{thing_name}, std::string{}});
         it != shadows_.end() && it->first.first == thing_name && out.size() < limit; ++it) {
        if (it->first.second.empty()) continue;
        if (index++ >= offset) out.push_back(it->first.second);
    }
    return out;
}

}  // namespace standin::server::local_shadow
