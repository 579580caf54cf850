// SPDX-License-Identifier: Apache-2.0
// The components the daemon knows (from recipes) and the IPC token each one authenticates with.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/authentication.hpp"
#include "recipes/recipe.hpp"

namespace standin::server {

struct component {
    std::string name;
    std::string token;  // SVCUID
    recipe source;
};

class component_registry {
public:
    // Adds a component with a fresh random token. Throws std::invalid_argument on a duplicate name.
    const component& add(recipe source);

    // A deployment's install: adds the component with a fresh token, or replaces the recipe of the
    // one of that name, which keeps its token (its processes reconnect as the same component).
    const component& put(recipe source);
    // Forgets the component and its token (a deployment removed it); false when unknown.
    bool remove(std::string_view name);

    // A built-in component without a recipe (aws.greengrass.Cli, for standin's own commands): it
    // authenticates with the returned token and is in none of the recipe lists. Throws
    // std::invalid_argument when a recipe or another built-in has the name.
    std::string add_builtin(const std::string& name);

    const component* find(std::string_view name) const;
    const std::map<std::string, component, std::less<>>& all() const noexcept { return components_; }

    // The nucleus's IPC authentication of a CONNECT payload {"authToken": "..."}, with its messages.
    authentication authenticate(std::string_view connect_payload) const;
    // The component (or built-in) that authenticates with `token`, matched case-insensitively.
    std::optional<std::string> component_for_token(std::string_view token) const;

private:
    std::map<std::string, component, std::less<>> components_;
    std::unordered_map<std::string, std::string> component_by_token_;  // upper-cased token -> name
    std::map<std::string, std::string, std::less<>> builtins_;         // name -> token
};

// 128 random bits from the OS as 32 upper-case hex digits (the nucleus uses upper-case tokens and
// looks them up case-insensitively).
std::string make_token();

}  // namespace standin::server
