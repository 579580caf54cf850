// SPDX-License-Identifier: Apache-2.0
// One component's configuration as the nucleus keeps it (its Topics/Topic tree, semantics.md §4.1):
//
//   - a node is a leaf (a JSON value other than an object: scalar, null or a whole list) or a
//     container of named children; keys compare case-insensitively (ASCII) and keep the spelling
//     they were created with;
//   - every node has a modification time in ms: a leaf its own, a container the latest of its
//     children's (its creation time while it is empty);
//   - merging a map into a container (UpdateBehavior MERGE): keys not mentioned are kept; an object
//     merges into a container child and replaces a leaf child (the new container takes the update's
//     time); anything else is written to a leaf child when the update's time is newer than the
//     leaf's, or equal and the value differs, and replaces a container child. Node types switch
//     regardless of time.
//
// Examples ({a: 1 @ t=5}):
//   merge {a: 2} @ 4          -> nothing changes (older)
//   merge {a: 2} @ 5          -> a = 2, changed [a]
//   merge {a: {b: 1}} @ 1     -> a becomes a container, changed [a] (removed) and [a, b]
//   update ["x", "y"], {} @ 9 -> containers x and x.y created at the current time, nothing changed
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include <nlohmann/json.hpp>

namespace standin::server {

// Milliseconds since the Unix epoch, as the nucleus's modtimes.
using config_time = std::int64_t;
// Keys from the component's `configuration` down to a node.
using config_path = std::vector<std::string>;

// The time the nucleus gives recipe defaults: "the dawn of time" (Topic.DEFAULT_VALUE_TIMESTAMP).
inline constexpr config_time default_value_time = 1;

class config_node {
public:
    config_node(std::string name, config_time stamp, bool leaf);
    // A deep copy of this node and everything under it.
    std::unique_ptr<config_node> clone() const;

    const std::string& name() const noexcept { return name_; }
    bool is_leaf() const noexcept { return leaf_; }
    // A leaf's own time; a container's latest child's (its creation time while empty).
    config_time modtime() const noexcept;
    // A leaf's value (null for a container).
    const nlohmann::json& value() const noexcept { return value_; }
    // The child `key` (case-insensitive) of a container; nullptr when absent or a leaf.
    const config_node* child(std::string_view key) const noexcept;
    const std::vector<std::unique_ptr<config_node>>& children() const noexcept { return children_; }
    // The nucleus's toPOJO: a leaf's value; a container's object, leaving out keys starting "_".
    nlohmann::json to_json() const;

private:
    friend class config_tree;
    config_node* child(std::string_view key) noexcept;

    std::string name_;
    config_time stamp_;
    bool leaf_;
    nlohmann::json value_;
    std::vector<std::unique_ptr<config_node>> children_;
};

// The outcome of config_tree::update.
struct config_update {
    // Each changed path once, in the order of change: written leaves, removed nodes.
    std::vector<config_path> changed;
    // The update's time is older than the node at the key path after the merge (which is kept, as
    // the nucleus keeps it): FailedUpdateConditionCheckError.
    bool older_than_modtime = false;
};

// The key path runs through a leaf: the nucleus's IllegalArgumentException message, which its
// translateExceptions sends as a ServiceError.
struct config_path_error {
    std::string message;
};

class config_tree {
public:
    // `owner` names the tree in error messages ("services.<owner>.configuration").
    config_tree(std::string owner, config_time created);

    const config_node& root() const noexcept { return *root_; }
    // The node at `path` (case-insensitive); the root for an empty path; nullptr when absent.
    const config_node* find(const config_path& path) const noexcept;

    // Merges `map` (an object) into the container at `path` at time `timestamp`, as the nucleus's
    // UpdateConfiguration does (semantics.md §4.3): a missing path is created as containers at
    // `now`, which is then the update's time; a leaf at the path is replaced by the merged object.
    std::variant<config_update, config_path_error> update(const config_path& path,
                                                          const nlohmann::json& map,
                                                          config_time timestamp, config_time now);

    // Merges `map` into the root at `timestamp` (recipe defaults: default_value_time).
    config_update merge(const nlohmann::json& map, config_time timestamp, config_time now);

    // Removes the node at `path` and everything under it (a deployment's RESET); an empty path
    // empties the root. `changed` holds the removed path (as spelled in the tree), or nothing when
    // there was no such node.
    config_update remove(const config_path& path);

    // A deep copy, for a deployment to work on while the original stays as it was.
    config_tree clone() const;

private:
    // The keys of the existing node at `path`, as spelled in the tree.
    config_path stored_path(const config_path& path) const;
    void merge_into(config_node& container, config_path& at, const nlohmann::json& map,
                    config_time timestamp, config_time now, config_update& out);

    std::string owner_;
    std::unique_ptr<config_node> root_;
};

// The nucleus's reading of a wire timestamp (epoch seconds with a fraction) as ms: whole seconds
// and nanoseconds each truncated, then Instant.toEpochMilli.
config_time to_config_time(double epoch_seconds) noexcept;

// Whether `prefix` is a prefix of `path`, key by key, case-insensitively.
bool config_path_starts_with(const config_path& path, const config_path& prefix) noexcept;

}  // namespace standin::server
