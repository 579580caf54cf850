// SPDX-License-Identifier: Apache-2.0
// The served operations, by their row in the operation table. Every operation of the table is
// known to the dispatcher; the ones no service has registered answer like the nucleus does for an
// operation whose plugin is not installed.
#pragma once

#include <array>
#include <cstddef>
#include <optional>

#include "rpc/operation.hpp"
#include "standin/model/operations.hpp"

namespace standin::server {

class operation_registry {
public:
    // Registers a served operation. Throws std::logic_error when it is registered already.
    void add(operation_entry entry);

    // The served entry of `op`, or nullptr when no service serves it.
    const operation_entry* find(const model::operation_info& op) const noexcept {
        const auto& slot = entries_[op.index];
        return slot ? &*slot : nullptr;
    }

    std::size_t size() const noexcept { return served_; }

    // Stops serving every operation whose row `keep` refuses (a profile that serves fewer): the
    // dispatcher then answers them as an operation no plugin serves.
    template <class Keep>
    void retain_if(Keep keep) {
        for (const auto& op : model::greengrass_operations()) {
            auto& slot = entries_[op.index];
            if (slot && !keep(op)) {
                slot.reset();
                --served_;
            }
        }
    }

private:
    std::array<std::optional<operation_entry>, model::operation_count> entries_;
    std::size_t served_ = 0;
};

}  // namespace standin::server
