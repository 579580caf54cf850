// SPDX-License-Identifier: Apache-2.0
// Client device policies: the `deviceGroups` configuration of aws.greengrass.clientdevices.Auth
// and its evaluation, as the plugin reads and applies them (GroupConfiguration, GroupDefinition,
// the RuleExpression grammar, PermissionEvaluationUtils).
//
//   deviceGroups:
//     formatVersion: "2021-03-05"                 # optional; the only version
//     definitions:
//       Sensors: {selectionRule: "thingName: sensor-* OR thingName: probe", policyName: SensorPolicy}
//     policies:
//       SensorPolicy:
//         publish:                                # statement name
//           statementDescription: "..."           # optional
//           effect: ALLOW                         # optional; ALLOW is the only effect
//           operations: ["mqtt:publish", "mqtt:connect"]
//           resources: ["mqtt:topic:sensors/${iot:Connection.Thing.ThingName}/*", "mqtt:clientId:*"]
//
// Selection rules: `thingName: <value>` terms joined by AND / OR (AND binds tighter); a value is
// letters, digits, '-', '_' and "\:" (kept as written), with an optional leading and/or trailing
// '*' (prefix / suffix / substring match), or a lone '*'. Spaces, tabs and CRs separate tokens.
//   "thingName: sensor-*"  matches sensor-1, not probe-1
//   "thingName: *-1 AND thingName: sensor*"  matches sensor-1
// Requests: operation "<service>:<action>" (service letters, action letters, digits, '-', '_');
// resource "<service>:<type>:<name>" (service and type letters, name printable). A malformed one
// is denied; an operation and resource of different services is an error (the plugin's
// IllegalArgumentException). A request is allowed when a group that selects the device has a
// statement whose operation is the request's, "<service>:*" or "*", and whose resource, after
// ${iot:Connection.Thing.ThingName} is replaced, equals the request's or glob-matches it.
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

namespace standin::server::clientdevices {

// A parsed selection rule. Immutable.
class selection_rule {
public:
    // Throws std::invalid_argument with a description when `text` is not a rule.
    explicit selection_rule(std::string_view text);
    ~selection_rule();
    selection_rule(selection_rule&&) noexcept;
    selection_rule& operator=(selection_rule&&) noexcept;

    bool selects(std::string_view thing_name) const;

    struct node;

private:
    std::unique_ptr<node> root_;
};

// Does a thing-name term's value match `thing_name` (the plugin's WildcardSuffixAttribute)?
bool thing_name_matches(std::string_view pattern, std::string_view thing_name);

enum class device_decision {
    allowed,
    denied,
    service_mismatch,  // operation and resource name different services
};

class device_groups {
public:
    device_groups() = default;  // no groups: every device request is denied

    // Reads a `deviceGroups` value (as a JSON object). Throws std::invalid_argument naming the
    // problem, where the plugin's service would error: unparsable rules, a definition naming no
    // policy, unknown policy variables, wrong types.
    static device_groups from_configuration(const nlohmann::json& device_groups_value);

    // The decision for a device session of `thing_name`.
    device_decision authorize(std::string_view thing_name, std::string_view operation,
                              std::string_view resource) const;

    std::size_t group_count() const noexcept { return groups_.size(); }

private:
    struct permission {
        std::string operation;
        std::string resource;
    };
    struct group {
        std::string name;
        selection_rule rule;
        std::vector<permission> permissions;
    };
    std::vector<group> groups_;
};

}  // namespace standin::server::clientdevices
