// SPDX-License-Identifier: Apache-2.0
#include "components/component_registry.hpp"

#include <array>
#include <cctype>
#include <random>
#include <stdexcept>

#include <nlohmann/json.hpp>

namespace standin::server {

namespace {

std::string upper(std::string_view text) {
    std::string out{text};
    for (auto& c : out)
        c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    return out;
}

}  // namespace

std::string make_token() {
    // std::random_device reads the kernel's CSPRNG (getrandom) on Linux with libstdc++.
    std::random_device device;
    static constexpr char digits[] = "0123456789ABCDEF";
    std::string token;
    token.reserve(32);
    for (int word = 0; word < 4; ++word) {
        auto bits = device();
        for (int nibble = 0; nibble < 8; ++nibble) {
            token.push_back(digits[bits & 0xFu]);
            bits >>= 4;
        }
    }
    return token;
}

const component& component_registry::add(recipe source) {
    std::string name = source.component_name;
    if (components_.contains(name)) throw std::invalid_argument("component defined twice: " + name);
    std::string token = make_token();
    while (component_by_token_.contains(token))
        token = make_token();
    component_by_token_.emplace(token, name);
    auto [it, inserted] =
        components_.emplace(name, component{name, std::move(token), std::move(source)});
    return it->second;
}

const component& component_registry::put(recipe source) {
    if (const auto it = components_.find(source.component_name); it != components_.end()) {
        it->second.source = std::move(source);
        return it->second;
    }
    return add(std::move(source));
}

bool component_registry::remove(std::string_view name) {
    const auto it = components_.find(name);
    if (it == components_.end()) return false;
    component_by_token_.erase(it->second.token);
    components_.erase(it);
    return true;
}

std::string component_registry::add_builtin(const std::string& name) {
    if (components_.contains(name) || builtins_.contains(name))
        throw std::invalid_argument("component defined twice: " + name);
    std::string token = make_token();
    while (component_by_token_.contains(token))
        token = make_token();
    component_by_token_.emplace(token, name);
    builtins_.emplace(name, token);
    return token;
}

const component* component_registry::find(std::string_view name) const {
    const auto it = components_.find(name);
    return it == components_.end() ? nullptr : &it->second;
}

authentication component_registry::authenticate(std::string_view connect_payload) const {
    // The nucleus reads the payload with Jackson, ignoring unknown properties.
    const auto body = nlohmann::json::parse(connect_payload, nullptr, /*allow_exceptions=*/false);
    if (body.is_discarded() || !body.is_object()) {
        return {std::nullopt, "Invalid auth token in connect message"};
    }
    std::string token;
    if (const auto it = body.find("authToken"); it != body.end() && !it->is_null()) {
        if (!it->is_string()) return {std::nullopt, "Invalid auth token in connect message"};
        token = it->get<std::string>();
    }
    if (token.empty()) return {std::nullopt, "Received empty auth token to authenticate IPC client"};
    auto component = component_for_token(token);
    if (!component) return {std::nullopt, "Unrecognized client connecting to GGC over IPC"};
    return {std::move(*component), {}};
}

std::optional<std::string> component_registry::component_for_token(std::string_view token) const {
    const auto it = component_by_token_.find(upper(token));
    if (it == component_by_token_.end()) return std::nullopt;
    return it->second;
}

}  // namespace standin::server
