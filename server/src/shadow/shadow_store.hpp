// SPDX-License-Identifier: Apache-2.0
// The local shadows by (thing, shadow name), "" being the classic shadow, and the shadow manager's
// name rules (semantics.md §6.1). A deleted shadow is gone: the next update starts at version 1,
// as the plugin's IPC path sees it.
#pragma once

#include <cstddef>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "shadow/shadow_document.hpp"

namespace standin::server::local_shadow {

// Spec (the plugin's Constants): name limits.
inline constexpr std::size_t max_thing_name_length = 128;
inline constexpr std::size_t max_shadow_name_length = 64;

// The InvalidArgumentsError message for a bad thing name (absent or "" included), or nullopt.
std::optional<std::string> thing_name_error(const std::optional<std::string>& thing_name);
// The same for a shadow name; absent or "" is the classic shadow and always valid.
std::optional<std::string> shadow_name_error(const std::optional<std::string>& shadow_name);

// "$aws/things/<thing>/shadow" or "$aws/things/<thing>/shadow/name/<shadow>".
std::string topic_prefix(std::string_view thing_name, std::string_view shadow_name);

class shadow_store {
public:
    // The document, or nullptr. Valid until the next change of that shadow.
    const document* find(std::string_view thing_name, std::string_view shadow_name) const;
    void put(std::string thing_name, std::string shadow_name, document doc);
    // Removes the shadow and returns what it was, or nullopt when there was none.
    std::optional<document> erase(std::string_view thing_name, std::string_view shadow_name);
    // The named shadows of `thing_name` (the classic one excluded), in name order, from `offset`,
    // at most `limit`.
    std::vector<std::string> named_shadows(std::string_view thing_name, std::size_t offset,
                                           std::size_t limit) const;
    std::size_t size() const noexcept { return shadows_.size(); }

private:
    std::map<std::pair<std::string, std::string>, document, std::less<>> shadows_;
};

}  // namespace standin::server::local_shadow
