// SPDX-License-Identifier: Apache-2.0
// aws.greengrass#UpdateConfiguration (semantics.md §4.3): merges valueToMerge into the caller's own
// configuration at keyPath (config_tree::update). Checked in the nucleus's order: timestamp,
// valueToMerge, the top-level accessControl key (compared exactly, as the nucleus does, though the
// tree itself ignores case), the caller's configuration. After the merge, which stays, an update
// older than the node at keyPath is a FailedUpdateConditionCheckError.
#include <algorithm>
#include <array>
#include <string_view>

#include "services/config/config_service.hpp"

namespace standin::server::config_service {

namespace {

constexpr std::array<std::string_view, 1> restricted_fields{"accessControl"};

bool restricted(std::string_view key) {
    return std::find(restricted_fields.begin(), restricted_fields.end(), key) != restricted_fields.end();
}

struct update_configuration_op {
    using row = model::operation<"UpdateConfiguration">;
    using state = configuration_state;

    static std::optional<model::ipc_error> validate(configuration_state& s, const call_context& call,
                                                    const row::request& r) {
        if (!r.timestamp) return model::ipc_error::invalid_arguments("Timestamp is required");
        if (!r.valueToMerge) return model::ipc_error::invalid_arguments("ValueToMerge is required");
        const bool top_level = !r.keyPath || r.keyPath->empty();
        bool touches_restricted = false;
        if (top_level) {
            for (const auto& [key, value] : r.valueToMerge->items())
                touches_restricted = touches_restricted || restricted(key);
        } else {
            touches_restricted = restricted(r.keyPath->front());
        }
        if (touches_restricted) {
            return model::ipc_error::invalid_arguments(
                "Config update is not allowed for following fields [accessControl]");
        }
        if (s.store.find(call.caller) == nullptr) {
            return model::ipc_error::invalid_arguments("Component config not found for component " +
                                                       std::string{call.caller});
        }
        return std::nullopt;
    }

    static answer<row::response> handle(configuration_state& s, const call_context& call,
                                        row::request& r) {
        const config_path path = r.keyPath.value_or(config_path{});
        auto result =
            s.store.update(call.caller, path, *r.valueToMerge, to_config_time(r.timestamp->seconds));
        if (const auto* error = std::get_if<config_path_error>(&result))
            return model::ipc_error::service(error->message);
        if (std::get<config_update>(result).older_than_modtime) {
            return model::ipc_error::make(
                model::error_kind::failed_update_condition_check_error,
                "Proposed timestamp is older than the config's latest modified timestamp");
        }
        return row::response{};
    }
};

}  // namespace

operation_entry update_configuration(configuration_state& state) {
    return make_operation<update_configuration_op>(state);
}

}  // namespace standin::server::config_service
