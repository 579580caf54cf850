// SPDX-License-Identifier: Apache-2.0
// The strings an operation's request can be authorized against, by its resource rule in the
// operation table, and whether a policy's glob pattern can match any of them. Lets lint say "this
// resource can never match" (a secret name where the ARN is checked, a shadow path without
// "/name/") instead of leaving it to a denial at run time.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "standin/model/operations.hpp"

namespace standin::server::lint {

// A set of strings written as alternatives of part sequences: literal text, or a run of one or more
// characters of a class.
struct shape_part {
    std::string literal;             // used when `run_of` is null
    bool (*run_of)(char) = nullptr;  // the class of a run
};
using shape_sequence = std::vector<shape_part>;

struct resource_shape {
    std::string description;  // "a secret ARN, arn:aws:secretsmanager:..."
    std::vector<shape_sequence> alternatives;
};

// What `auth` checks policies against; nullopt when any string may come (topics, metric names) or
// no policy is checked.
std::optional<resource_shape> resource_shape_of(const model::authorization& auth);

// Whether the glob pattern `pattern` (a policy resource that passed validate_resource) matches at
// least one string of `shape`. "${*}", "${$}", "${?}" are their literal characters; a recipe
// variable such as "{iot:thingName}" counts as '*', since it is replaced before matching.
// Linear in pattern length times shape length.
bool glob_can_match(std::string_view pattern, const resource_shape& shape);

}  // namespace standin::server::lint
