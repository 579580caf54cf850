// SPDX-License-Identifier: Apache-2.0
// Subscription trie for local pub/sub, with the Java nucleus's SubscriptionTrie rules
// (semantics.md §3.2). Rules and examples are at the top of topic_tree.cpp.
//
// Summary: filters and topics are split into levels like Java String.split("/") (trailing empty
// levels dropped, a leading empty level kept); "+" as a whole level matches exactly one level,
// possibly empty; "#" as the whole last level matches one or more further levels but not the
// parent; "+" or "#" inside a level is a literal character; wildcards match "$"-prefixed topics.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string_view>
#include <vector>

namespace standin::server {

using subscription_id = std::uint64_t;

// True when some level of `filter` is exactly "+", or its last level is exactly "#"
// (SubscriptionTrie.isWildcard). Decides the default receive mode of SubscribeToTopic.
bool is_wildcard_filter(std::string_view filter);

// True when `topic` contains '+', '#' or '*' anywhere: PublishToTopic rejects such topics with
// "Publish topic must not contain a wildcard.".
bool publish_topic_has_wildcard(std::string_view topic);

// Level-keyed trie of (filter, subscription id) entries. Not thread-safe (single-threaded core).
class topic_tree {
public:
    topic_tree();
    ~topic_tree();
    topic_tree(topic_tree&&) noexcept;
    topic_tree& operator=(topic_tree&&) noexcept;
    topic_tree(const topic_tree&) = delete;
    topic_tree& operator=(const topic_tree&) = delete;

    // Adds `id` under `filter`; returns false if that exact pair was already present.
    // A filter with no levels ("/", "//") is stored but never matches, as in the nucleus.
    bool insert(std::string_view filter, subscription_id id);

    // Removes the pair; returns false if it was not present. Nodes left without ids and
    // children are freed, so subscribe/unsubscribe churn does not grow the tree.
    bool erase(std::string_view filter, subscription_id id);

    // Clears `out`, then fills it with the ids of every filter matching `topic`, each id once, in
    // ascending order. Allocates only if `out` needs to grow. A topic with no levels ("/", "//")
    // matches nothing (the nucleus throws ArrayIndexOutOfBoundsException there).
    void match(std::string_view topic, std::vector<subscription_id>& out) const;

    // Number of (filter, id) pairs.
    std::size_t size() const noexcept { return size_; }
    bool empty() const noexcept { return size_ == 0; }

    // Number of trie nodes, including the root: 1 for an empty tree.
    std::size_t node_count() const noexcept { return node_count_; }

private:
    struct node;

    std::unique_ptr<node> root_;
    std::size_t size_ = 0;
    std::size_t node_count_ = 1;
};

}  // namespace standin::server
