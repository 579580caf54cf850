// SPDX-License-Identifier: Apache-2.0
#include "pubsub/topic_tree.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <memory>
#include <optional>
#include <random>
#include <string>
#include <string_view>
#include <vector>

namespace standin::server {
namespace {

using ids = std::vector<subscription_id>;

ids match(const topic_tree& tree, std::string_view topic) {
    ids out;
    tree.match(topic, out);
    return out;
}

// ---------------------------------------------------------------------------------------------
// Matching table: semantics.md §3.2 and every case of the nucleus's SubscriptionTrieTest.

struct topic_match_row {
    std::string_view filter;
    std::string_view topic;
    bool matches;
};

std::ostream& operator<<(std::ostream& os, const topic_match_row& r) {
    return os << "filter \"" << r.filter << "\" topic \"" << r.topic << "\" -> " << r.matches;
}

const topic_match_row topic_match_rows[] = {
    // SubscriptionTrieTest.subscriptionMatch
    {"foo", "foo", true},
    {"foo/bar", "foo/bar", true},
    {"#", "foo", true},
    {"#", "foo/bar", true},
    {"#", "foo/bar/baz", true},
    {"#", "$foo/bar", true},
    {"foo/#", "foo/bar", true},
    {"foo/#", "foo/bar/baz", true},
    {"foo/#", "foo/bar/#", true},
    {"foo/#", "foo/+", true},
    {"+", "+", true},
    {"+", "foo", true},
    {"+", "foo/", true},
    {"+", "$foo", true},
    {"foo/+/baz", "foo/bar/baz", true},
    {"foo/+/baz/#", "foo//baz/bar", true},
    {"foo/+/baz/#", "foo/bar/baz/bat", true},
    {"foo/+/baz/#", "foo/bar/baz/bat/#", true},
    // SubscriptionTrieTest.subscriptionNotMatch
    {"foo", "fo", false},
    {"foo", "foo/bar", false},
    {"foo", "abc", false},
    {"foo/bar", "foo", false},
    {"foo/bar", "foo/bar/baz", false},
    {"foo/bar", "fo/bar", false},
    {"foo/#", "foo", false},
    {"foo/#", "foo/", false},
    {"+", "/foo", false},
    {"+", "foo/bar", false},
    {"foo/+/baz", "foo", false},
    {"foo/+/baz", "foo/baz", false},
    {"foo/+/baz", "foo/bar/bat/baz", false},
    // Java String.split("/"): trailing empty levels dropped, leading and middle ones kept.
    {"foo/", "foo", true},
    {"foo", "foo/", true},
    {"foo", "foo//", true},
    {"foo//", "foo", true},
    {"/foo", "/foo", true},
    {"/foo", "foo", false},
    {"foo", "/foo", false},
    {"/+", "/foo", true},
    {"+/+", "/foo", true},
    {"+/foo", "/foo", true},
    {"a/+/b", "a//b", true},
    {"a//b", "a//b", true},
    {"a//b", "a/b", false},
    {"foo/#", "foo//x", true},
    {"foo/#", "foo//", false},
    // The empty topic is one empty level.
    {"#", "", true},
    {"+", "", true},
    {"", "", true},
    {"foo", "", false},
    {"", "foo", false},
    // "/" and "//" have no level at all: nothing matches them and they match nothing.
    {"#", "/", false},
    {"+", "/", false},
    {"/", "/", false},
    {"/", "foo", false},
    {"/", "", false},
    {"#", "//", false},
    // "#" never matches the parent; it matches one or more levels.
    {"#", "a/b/c/d", true},
    {"a/#", "a/b", true},
    {"a/#", "a", false},
    {"a/b/#", "a/b/c/d/e", true},
    {"a/b/#", "a/c", false},
    // Wildcards match "$"-prefixed topics.
    {"+/things/+/shadow/#", "$aws/things/x/shadow/update", true},
    {"$aws/things/+/shadow/#", "$aws/things/x/shadow/get/accepted", true},
    {"$aws/things/+/shadow/#", "$aws/things/x/shadow", false},
    // '+' or '#' inside a level is literal.
    {"foo/+bar", "foo/+bar", true},
    {"foo/+bar", "foo/xbar", false},
    {"foo/ba+", "foo/bax", false},
    {"foo/ba#", "foo/ba#", true},
    {"foo/ba#", "foo/bax", false},
    {"foo/+#", "foo/x", false},
    {"foo/#x", "foo/a/b", false},
    {"a*", "a*", true},
    {"a*", "ab", false},
    // A "#" level that is not last is visited like "+" by the nucleus's trie.
    {"foo/#/baz", "foo/x/baz", true},
    {"foo/#/baz", "foo/x/y/baz", false},
    {"#/foo", "x/foo", true},
    {"#/foo", "foo", false},
    // Case-sensitive, byte-wise.
    {"Foo", "foo", false},
    {"foo/+", "FOO/x", false},
    {"caf\xc3\xa9/+", "caf\xc3\xa9/x", true},
};

class topic_match : public ::testing::TestWithParam<topic_match_row> {};

TEST_P(topic_match, as_the_nucleus_trie) {
    const auto& row = GetParam();
    topic_tree tree;
    ASSERT_TRUE(tree.insert(row.filter, 7));
    ASSERT_TRUE(tree.insert(row.filter, 9));  // two callbacks, as the Java test does
    EXPECT_EQ(match(tree, row.topic), (row.matches ? ids{7, 9} : ids{}));
}

INSTANTIATE_TEST_SUITE_P(table, topic_match, ::testing::ValuesIn(topic_match_rows));

// Each filter's verdict is independent of the others sharing the trie.
TEST(topic_tree, all_rows_in_one_tree) {
    topic_tree tree;
    const std::size_t n = std::size(topic_match_rows);
    for (std::size_t i = 0; i < n; ++i)
        tree.insert(topic_match_rows[i].filter, i);
    for (std::size_t i = 0; i < n; ++i) {
        const auto got = match(tree, topic_match_rows[i].topic);
        const bool found = std::binary_search(got.begin(), got.end(), i);
        EXPECT_EQ(found, topic_match_rows[i].matches) << topic_match_rows[i];
    }
}

// ---------------------------------------------------------------------------------------------

TEST(topic_tree, is_wildcard_filter_as_nucleus) {
    // SubscriptionTrieTest.GIVEN_topics_WHEN_isWildcard_THEN_returns_whether_it_uses_wildcard
    for (const auto* f :
         {"+", "#", "/+/", "/#", "foo/+", "foo/ba+/#", "foo/+/bar/#", "$aws/things/+/shadow/#"}) {
        EXPECT_TRUE(is_wildcard_filter(f)) << f;
    }
    for (const auto* f : {"/", "foo", "#/foo", "foo/+bar", "foo/+#"})
        EXPECT_FALSE(is_wildcard_filter(f)) << f;
    // Trailing empty levels are dropped before the "#" is looked at.
    EXPECT_TRUE(is_wildcard_filter("foo/#/"));
    EXPECT_FALSE(is_wildcard_filter(""));
    EXPECT_FALSE(is_wildcard_filter("a*"));
}

TEST(topic_tree, publish_topic_wildcards) {
    EXPECT_FALSE(publish_topic_has_wildcard("a/b"));
    EXPECT_FALSE(publish_topic_has_wildcard(""));
    EXPECT_FALSE(publish_topic_has_wildcard("$aws/things/x/shadow/update"));
    EXPECT_TRUE(publish_topic_has_wildcard("a/+"));
    EXPECT_TRUE(publish_topic_has_wildcard("a/b+c"));
    EXPECT_TRUE(publish_topic_has_wildcard("a#"));
    EXPECT_TRUE(publish_topic_has_wildcard("a*b"));
}

TEST(topic_tree, insert_is_idempotent_per_pair) {
    topic_tree tree;
    EXPECT_TRUE(tree.empty());
    EXPECT_TRUE(tree.insert("a/b", 1));
    EXPECT_FALSE(tree.insert("a/b", 1));
    EXPECT_FALSE(tree.insert("a/b/", 1));  // the same levels
    EXPECT_TRUE(tree.insert("a/b", 2));
    EXPECT_EQ(tree.size(), 2u);
    EXPECT_EQ(tree.node_count(), 3u);
    EXPECT_EQ(match(tree, "a/b"), (ids{1, 2}));
}

TEST(topic_tree, an_id_is_returned_once_even_when_several_filters_match) {
    topic_tree tree;
    tree.insert("a/b", 5);
    tree.insert("a/+", 5);
    tree.insert("#", 5);
    tree.insert("a/#", 5);
    tree.insert("+/b", 3);
    tree.insert("#", 3);
    tree.insert("x", 4);
    EXPECT_EQ(match(tree, "a/b"), (ids{3, 5}));
    EXPECT_EQ(tree.size(), 7u);
}

TEST(topic_tree, match_clears_output_and_sorts) {
    topic_tree tree;
    tree.insert("a", 30);
    tree.insert("a", 10);
    tree.insert("+", 20);
    ids out{99, 98};
    tree.match("a", out);
    EXPECT_EQ(out, (ids{10, 20, 30}));
    tree.match("zzz/y", out);
    EXPECT_TRUE(out.empty());
}

TEST(topic_tree, erase_reports_absence) {
    topic_tree tree;
    EXPECT_FALSE(tree.erase("a/b", 1));
    tree.insert("a/b", 1);
    EXPECT_FALSE(tree.erase("a/b", 2));
    EXPECT_FALSE(tree.erase("a", 1));
    EXPECT_FALSE(tree.erase("a/b/c", 1));
    EXPECT_TRUE(tree.erase("a/b/", 1));  // same levels as "a/b"
    EXPECT_FALSE(tree.erase("a/b", 1));
    EXPECT_TRUE(tree.empty());
    EXPECT_EQ(tree.node_count(), 1u);
}

TEST(topic_tree, filter_without_levels_lives_on_the_root) {
    topic_tree tree;
    EXPECT_TRUE(tree.insert("/", 1));
    EXPECT_FALSE(tree.insert("//", 1));
    EXPECT_EQ(tree.node_count(), 1u);
    EXPECT_EQ(tree.size(), 1u);
    for (const auto* topic : {"", "/", "a", "a/b"})
        EXPECT_TRUE(match(tree, topic).empty()) << topic;
    EXPECT_TRUE(tree.erase("/", 1));
    EXPECT_TRUE(tree.empty());
}

// SubscriptionTrieTest.GIVEN_subscription_WHEN_remove_topic_THEN_no_matches
TEST(topic_tree, remove_topic_then_no_matches) {
    topic_tree tree;
    tree.insert("foo", 1);
    tree.insert("foo", 2);
    EXPECT_EQ(match(tree, "foo"), (ids{1, 2}));
    EXPECT_EQ(tree.size(), 2u);
    EXPECT_TRUE(tree.erase("foo", 1));
    EXPECT_EQ(match(tree, "foo"), (ids{2}));
    EXPECT_TRUE(tree.erase("foo", 2));
    EXPECT_TRUE(match(tree, "foo").empty());
    EXPECT_EQ(tree.size(), 0u);
    EXPECT_EQ(tree.node_count(), 1u);
}

// SubscriptionTrieTest.GIVEN_subscriptions_with_wildcards_WHEN_remove_topics_THEN_clean_up_trie
TEST(topic_tree, wildcard_removal_cleans_up) {
    topic_tree tree;
    const std::string_view filter = "foo/+/bar/#";
    tree.insert("bar", 1);
    tree.insert(filter, 1);
    tree.insert(filter, 2);
    EXPECT_FALSE(tree.erase(filter, 3));
    EXPECT_EQ(match(tree, filter), (ids{1, 2}));

    tree.insert("foo/#", 3);
    tree.insert("foo/+", 2);
    EXPECT_EQ(match(tree, filter), (ids{1, 2, 3}));
    EXPECT_EQ(tree.size(), 5u);

    EXPECT_TRUE(tree.erase("foo/+", 2));
    EXPECT_EQ(tree.size(), 4u);
    EXPECT_EQ(match(tree, "foo/+"), (ids{3}));
    EXPECT_EQ(match(tree, filter), (ids{1, 2, 3}));

    EXPECT_TRUE(tree.erase("foo/#", 3));
    EXPECT_TRUE(match(tree, "foo/#").empty());
    EXPECT_TRUE(match(tree, "foo/+").empty());
    EXPECT_EQ(match(tree, filter), (ids{1, 2}));
    EXPECT_EQ(tree.size(), 3u);

    EXPECT_TRUE(tree.erase(filter, 1));
    EXPECT_EQ(match(tree, filter), (ids{2}));
    EXPECT_TRUE(tree.erase(filter, 2));
    EXPECT_TRUE(match(tree, filter).empty());
    EXPECT_EQ(tree.size(), 1u);
    EXPECT_EQ(tree.node_count(), 2u);  // root and "bar"
    EXPECT_EQ(match(tree, "bar"), (ids{1}));
}

TEST(topic_tree, erase_keeps_shared_prefixes) {
    topic_tree tree;
    tree.insert("a/b/c", 1);
    tree.insert("a/b", 2);
    tree.insert("a/x/y", 3);
    EXPECT_EQ(tree.node_count(), 6u);  // root a b c x y
    EXPECT_TRUE(tree.erase("a/b/c", 1));
    EXPECT_EQ(tree.node_count(), 5u);
    EXPECT_TRUE(tree.erase("a/b", 2));
    EXPECT_EQ(tree.node_count(), 4u);
    EXPECT_EQ(match(tree, "a/x/y"), (ids{3}));
    EXPECT_TRUE(tree.erase("a/x/y", 3));
    EXPECT_EQ(tree.node_count(), 1u);
}

TEST(topic_tree, churn_returns_to_baseline) {
    topic_tree tree;
    tree.insert("keep/+/this", 1'000'000);
    tree.insert("#", 1'000'001);
    const auto baseline_nodes = tree.node_count();
    const auto baseline_size = tree.size();

    std::mt19937 rng(42);
    const std::vector<std::string> shapes = {
        "sensors/%/temp",         "sensors/+/%", "%/#", "a/%/b/%", "%", "keep/%/this",
        "$aws/things/%/shadow/#", "x//%/"};
    std::vector<std::pair<std::string, subscription_id>> live;
    ids out;
    for (subscription_id id = 1; id <= 10'000; ++id) {
        std::string filter = shapes[rng() % shapes.size()];
        for (auto pos = filter.find('%'); pos != std::string::npos; pos = filter.find('%')) {
            filter.replace(pos, 1, "n" + std::to_string(rng() % 50));
        }
        ASSERT_TRUE(tree.insert(filter, id));
        live.emplace_back(filter, id);
        // Interleave unsubscribes so the tree both grows and shrinks.
        if (live.size() > 100 || (rng() % 3 == 0 && !live.empty())) {
            const auto victim = rng() % live.size();
            ASSERT_TRUE(tree.erase(live[victim].first, live[victim].second));
            live[victim] = live.back();
            live.pop_back();
        }
        tree.match("sensors/n1/temp", out);
    }
    for (const auto& [filter, id] : live)
        ASSERT_TRUE(tree.erase(filter, id));
    EXPECT_EQ(tree.node_count(), baseline_nodes);
    EXPECT_EQ(tree.size(), baseline_size);
    EXPECT_EQ(match(tree, "keep/z/this"), (ids{1'000'000, 1'000'001}));
}

TEST(topic_tree, very_deep_filters_do_not_recurse) {
    std::string deep;
    for (int i = 0; i < 100'000; ++i)
        deep += "a/";
    deep += "+";
    topic_tree tree;
    tree.insert(deep, 1);
    std::string topic = deep;
    topic.back() = 'z';
    EXPECT_EQ(match(tree, topic), (ids{1}));
    EXPECT_TRUE(tree.erase(deep, 1));
    EXPECT_EQ(tree.node_count(), 1u);
}

TEST(topic_tree, very_deep_tree_is_destroyed_without_recursion) {
    std::string deep;
    for (int i = 0; i < 300'000; ++i)
        deep += "l/";
    auto tree = std::make_unique<topic_tree>();
    tree->insert(deep, 1);
    topic_tree moved = std::move(*tree);
    EXPECT_TRUE(tree->empty());
    EXPECT_EQ(tree->node_count(), 1u);
    EXPECT_EQ(moved.size(), 1u);
    EXPECT_FALSE(tree->erase(deep, 1));
    EXPECT_TRUE(match(*tree, "l").empty());
    EXPECT_TRUE(tree->insert("l", 3));  // a moved-from tree is usable again
    EXPECT_EQ(match(*tree, "l"), (ids{3}));
    tree.reset();
    topic_tree other;
    other.insert("x", 2);
    other = std::move(moved);  // frees "x", keeps the deep chain
    EXPECT_EQ(other.size(), 1u);
}  // the deep chain is freed here

TEST(topic_tree, wide_wildcard_fan_out) {
    // Enough simultaneous paths to exceed the matcher's inline stack.
    topic_tree tree;
    subscription_id id = 0;
    for (int depth = 1; depth <= 10; ++depth) {
        for (int mask = 0; mask < (1 << depth); ++mask) {
            std::string filter;
            for (int level = 0; level < depth; ++level) {
                if (level) filter += '/';
                filter += ((mask >> level) & 1) != 0 ? "+" : "l";
            }
            tree.insert(filter, ++id);
        }
    }
    std::string topic = "l";
    for (int level = 1; level < 10; ++level)
        topic += "/l";
    EXPECT_EQ(match(tree, topic).size(), 1024u);
}

// ---------------------------------------------------------------------------------------------
// Randomised comparison with a direct per-filter statement of the same rules.

std::optional<std::vector<std::string>> java_split(std::string_view s) {
    std::vector<std::string> levels;
    std::size_t start = 0;
    for (;;) {
        const auto slash = s.find('/', start);
        levels.emplace_back(s.substr(start, slash == std::string_view::npos ? s.npos : slash - start));
        if (slash == std::string_view::npos) break;
        start = slash + 1;
    }
    if (s.empty()) return levels;
    while (!levels.empty() && levels.back().empty())
        levels.pop_back();
    if (levels.empty()) return std::nullopt;
    return levels;
}

bool reference_match(std::string_view filter, std::string_view topic) {
    const auto f = java_split(filter);
    const auto t = java_split(topic);
    if (!f || !t) return false;
    for (std::size_t i = 0; i < t->size(); ++i) {
        if (i >= f->size()) return false;
        const auto& level = (*f)[i];
        if (level == "#" && i + 1 == f->size()) return true;
        if (level != "#" && level != "+" && level != (*t)[i]) return false;
    }
    return f->size() == t->size();
}

TEST(topic_tree, agrees_with_reference_on_random_input) {
    std::mt19937 rng(7);
    const std::vector<std::string> pieces = {"a", "b", "", "+", "#", "$x", "a+"};
    auto random_path = [&](bool allow_wildcards) {
        std::string s;
        const auto levels = 1 + rng() % 4;
        for (unsigned i = 0; i < levels; ++i) {
            if (i) s += '/';
            std::string piece = pieces[rng() % pieces.size()];
            if (!allow_wildcards && (piece == "+" || piece == "#" || piece == "a+")) piece = "b";
            s += piece;
        }
        if (rng() % 5 == 0) s += '/';
        return s;
    };
    for (int round = 0; round < 200; ++round) {
        topic_tree tree;
        std::vector<std::string> filters;
        for (subscription_id id = 0; id < 20; ++id) {
            filters.push_back(random_path(true));
            tree.insert(filters.back(), id);
        }
        for (int probe = 0; probe < 20; ++probe) {
            const auto topic = random_path(rng() % 4 == 0);
            ids expected;
            for (subscription_id id = 0; id < filters.size(); ++id) {
                if (reference_match(filters[id], topic)) expected.push_back(id);
            }
            EXPECT_EQ(match(tree, topic), expected) << "topic \"" << topic << "\"";
        }
    }
}

}  // namespace
}  // namespace standin::server
