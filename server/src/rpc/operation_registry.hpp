// SPDX-License-Identifier: Apache-2.0
// Operation name -> entry. Every modeled operation is known; the ones no service serves yet answer
// like the nucleus does for an operation whose plugin is not installed.
#pragma once

#include <string>
#include <string_view>
#include <unordered_map>

#include "rpc/operation.hpp"

namespace standin::server {

class operation_registry {
public:
    // Registers a served operation. Throws std::logic_error on a duplicate name.
    void add(operation_entry entry);

    // The served operation called `name`, or nullptr.
    const operation_entry* find(std::string_view name) const;

    std::size_t size() const noexcept { return entries_.size(); }

private:
    struct string_hash {
        using is_transparent = void;
        std::size_t operator()(std::string_view s) const noexcept {
            return std::hash<std::string_view>{}(s);
        }
    };
    std::unordered_map<std::string, operation_entry, string_hash, std::equal_to<>> entries_;
};

}  // namespace standin::server
