// SPDX-License-Identifier: Apache-2.0
#include "config/config_tree.hpp"

#include <gtest/gtest.h>

namespace standin::server {
namespace {

using nlohmann::json;

constexpr config_time now = 1'000'000;

config_tree seeded(const json& defaults) {
    config_tree tree{"com.example.A", now};
    tree.merge(defaults, default_value_time, now);
    return tree;
}

config_update updated(config_tree& tree, const config_path& path, const json& map, config_time at) {
    auto result = tree.update(path, map, at, now + 1);
    EXPECT_TRUE(std::holds_alternative<config_update>(result));
    return std::get<config_update>(result);
}

TEST(ConfigTree, SeedKeepsValuesAtDefaultTime) {
    auto tree = seeded({{"a", 1}, {"m", {{"b", "x"}, {"l", {1, 2}}}}});
    EXPECT_EQ(tree.root().to_json(), json({{"a", 1}, {"m", {{"b", "x"}, {"l", {1, 2}}}}}));
    EXPECT_EQ(tree.find({"a"})->modtime(), default_value_time);
    EXPECT_EQ(tree.find({"m"})->modtime(), default_value_time);
    EXPECT_EQ(tree.root().modtime(), default_value_time);
    EXPECT_TRUE(tree.find({"m", "l"})->is_leaf());
}

TEST(ConfigTree, KeysAreCaseInsensitiveAndKeepTheirFirstSpelling) {
    auto tree = seeded({{"MQTT", {{"Port", 1883}}}});
    ASSERT_NE(tree.find({"mqtt", "port"}), nullptr);
    EXPECT_EQ(tree.find({"mqtt", "port"})->name(), "Port");
    auto change = updated(tree, {"mqtt"}, {{"PORT", 8883}}, 5);
    EXPECT_EQ(tree.root().to_json(), json({{"MQTT", {{"Port", 8883}}}}));
    ASSERT_EQ(change.changed.size(), 1U);
    EXPECT_EQ(change.changed[0], (config_path{"MQTT", "Port"}));
}

TEST(ConfigTree, EmptyPathIsTheRootAndMissingKeysAreNull) {
    auto tree = seeded({{"a", {{"b", 1}}}});
    EXPECT_EQ(tree.find({}), &tree.root());
    EXPECT_EQ(tree.find({"x"}), nullptr);
    EXPECT_EQ(tree.find({"a", "b", "c"}), nullptr);  // through a leaf
}

TEST(ConfigTree, UnderscoreKeysAreLeftOutOfObjectsButFound) {
    auto tree = seeded({{"_private", 1}, {"public", {{"_x", 2}, {"y", 3}}}});
    EXPECT_EQ(tree.root().to_json(), json({{"public", {{"y", 3}}}}));
    EXPECT_EQ(tree.find({"_private"})->value(), 1);
}

TEST(ConfigTree, MergeKeepsUnmentionedKeysAndReplacesLists) {
    auto tree = seeded({{"a", 1}, {"m", {{"b", 2}, {"c", 3}}}, {"l", {1, 2, 3}}});
    auto change = updated(tree, {}, {{"m", {{"b", 20}, {"d", 4}}}, {"l", {9}}}, 10);
    EXPECT_EQ(tree.root().to_json(),
              json({{"a", 1}, {"m", {{"b", 20}, {"c", 3}, {"d", 4}}}, {"l", {9}}}));
    EXPECT_EQ(change.changed,
              (std::vector<config_path>{{"l"}, {"m", "b"}, {"m", "d"}}));  // keys sorted by the JSON
    EXPECT_FALSE(change.older_than_modtime);
    EXPECT_EQ(tree.find({"m"})->modtime(), 10);
    EXPECT_EQ(tree.find({"a"})->modtime(), default_value_time);
}

TEST(ConfigTree, NullIsAValue) {
    auto tree = seeded({{"a", 1}});
    auto change = updated(tree, {}, {{"a", nullptr}}, 10);
    EXPECT_EQ(tree.root().to_json(), json({{"a", nullptr}}));
    EXPECT_EQ(change.changed, (std::vector<config_path>{{"a"}}));
}

TEST(ConfigTree, OlderLeafWritesAreIgnoredEqualTimeWritesChangedValues) {
    auto tree = seeded({});
    updated(tree, {}, {{"a", 1}}, 100);
    auto older = updated(tree, {}, {{"a", 2}}, 99);
    EXPECT_TRUE(older.changed.empty());
    EXPECT_TRUE(older.older_than_modtime);
    EXPECT_EQ(tree.find({"a"})->value(), 1);

    auto same_time = updated(tree, {}, {{"a", 3}}, 100);
    EXPECT_EQ(same_time.changed.size(), 1U);
    EXPECT_EQ(tree.find({"a"})->value(), 3);

    auto same_value_newer = updated(tree, {}, {{"a", 3}}, 200);
    EXPECT_TRUE(same_value_newer.changed.empty());  // only the time moves
    EXPECT_EQ(tree.find({"a"})->modtime(), 200);
}

TEST(ConfigTree, NumbersCompareByValue) {
    auto tree = seeded({{"a", 5}});
    auto change = updated(tree, {}, {{"a", 5.0}}, 10);
    EXPECT_TRUE(change.changed.empty());
}

TEST(ConfigTree, OlderUpdateIsRefusedAfterWritingWhatIsNewer) {
    auto tree = seeded({});
    updated(tree, {}, {{"new", 1}}, 500);
    // b is new (time 0), so it is written; the root's time (500) is newer than the update's.
    auto change = updated(tree, {}, {{"b", 2}}, 300);
    EXPECT_TRUE(change.older_than_modtime);
    EXPECT_EQ(tree.find({"b"})->value(), 2);
    EXPECT_EQ(change.changed, (std::vector<config_path>{{"b"}}));
}

TEST(ConfigTree, ContainerTimeConsidersUnmentionedChildren) {
    auto tree = seeded({{"m", {{"x", 1}}}});
    updated(tree, {"m"}, {{"x", 2}}, 500);
    auto change = updated(tree, {"m"}, {{"y", 1}}, 400);
    EXPECT_TRUE(change.older_than_modtime);
}

TEST(ConfigTree, AnObjectReplacesALeafAndALeafReplacesAContainer) {
    auto tree = seeded({{"a", 1}, {"m", {{"x", 1}}}});
    auto change = updated(tree, {}, {{"a", {{"b", 2}}}, {"m", "flat"}}, 10);
    EXPECT_EQ(tree.root().to_json(), json({{"a", {{"b", 2}}}, {"m", "flat"}}));
    EXPECT_EQ(change.changed, (std::vector<config_path>{{"a"}, {"a", "b"}, {"m"}}));
}

TEST(ConfigTree, TypesSwitchEvenForAnOlderUpdate) {
    auto tree = seeded({});
    updated(tree, {}, {{"a", 1}}, 100);
    auto change = updated(tree, {}, {{"a", {{"b", 2}}}}, 50);
    EXPECT_EQ(tree.root().to_json(), json({{"a", {{"b", 2}}}}));
    EXPECT_FALSE(change.older_than_modtime);  // the new container and leaf carry the update's time
}

TEST(ConfigTree, AMissingPathIsCreatedAtTheCurrentTime) {
    auto tree = seeded({{"a", 1}});
    auto result = tree.update({"x", "y"}, {{"k", "v"}}, 5, now + 7);
    const auto& change = std::get<config_update>(result);
    EXPECT_FALSE(change.older_than_modtime);  // the merge took the current time, not 5
    EXPECT_EQ(tree.find({"x", "y", "k"})->modtime(), now + 7);
    EXPECT_EQ(change.changed, (std::vector<config_path>{{"x", "y", "k"}}));

    auto empty = tree.update({"e"}, json::object(), 5, now + 8);
    EXPECT_TRUE(std::get<config_update>(empty).changed.empty());
    EXPECT_EQ(tree.find({"e"})->modtime(), now + 8);
    EXPECT_EQ(tree.root().to_json()["e"], json::object());
}

TEST(ConfigTree, APathThroughALeafIsTheNucleusError) {
    auto tree = seeded({{"a", 1}});
    auto result = tree.update({"A", "b"}, {{"k", 1}}, 5, now);
    ASSERT_TRUE(std::holds_alternative<config_path_error>(result));
    EXPECT_EQ(std::get<config_path_error>(result).message,
              "A in services.com.example.A.configuration is already a leaf, cannot become a container");
}

TEST(ConfigTree, AKeyPathToALeafReplacesItByTheObject) {
    auto tree = seeded({{"m", {{"leaf", 1}}}});
    auto change = updated(tree, {"M", "LEAF"}, {{"k", 2}}, 10);
    EXPECT_EQ(tree.root().to_json(), json({{"m", {{"leaf", {{"k", 2}}}}}}));
    EXPECT_EQ(change.changed, (std::vector<config_path>{{"m", "leaf"}, {"m", "leaf", "k"}}));
}

TEST(ConfigTree, WireTimestampsBecomeMilliseconds) {
    EXPECT_EQ(to_config_time(1.5), 1500);
    EXPECT_EQ(to_config_time(1700000000.1234), 1700000000123);
    EXPECT_EQ(to_config_time(0), 0);
    EXPECT_EQ(to_config_time(-1.5), -1500);
}

TEST(ConfigTree, PathPrefixesIgnoreCase) {
    EXPECT_TRUE(config_path_starts_with({"A", "b"}, {}));
    EXPECT_TRUE(config_path_starts_with({"A", "b"}, {"a"}));
    EXPECT_TRUE(config_path_starts_with({"A", "b"}, {"a", "B"}));
    EXPECT_FALSE(config_path_starts_with({"A"}, {"a", "b"}));
    EXPECT_FALSE(config_path_starts_with({"Ab"}, {"a"}));
}

}  // namespace
}  // namespace standin::server
