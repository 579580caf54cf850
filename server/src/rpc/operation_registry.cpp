// SPDX-License-Identifier: Apache-2.0
#include "rpc/operation_registry.hpp"

#include <stdexcept>

namespace standin::server {

void operation_registry::add(operation_entry entry) {
    std::string name{entry.info->name};
    if (!entries_.emplace(name, std::move(entry)).second) {
        throw std::logic_error("operation registered twice: " + name);
    }
}

const operation_entry* operation_registry::find(std::string_view name) const {
    const auto it = entries_.find(name);
    return it == entries_.end() ? nullptr : &it->second;
}

}  // namespace standin::server
