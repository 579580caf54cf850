// SPDX-License-Identifier: Apache-2.0
#include "rpc/operation_registry.hpp"

#include <stdexcept>
#include <string>

namespace standin::server {

void operation_registry::add(operation_entry entry) {
    auto& slot = entries_.at(entry.info->index);
    if (slot) throw std::logic_error("operation registered twice: " + std::string{entry.info->name});
    slot = std::move(entry);
    ++served_;
}

}  // namespace standin::server
