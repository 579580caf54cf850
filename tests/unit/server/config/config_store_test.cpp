// SPDX-License-Identifier: Apache-2.0
#include "config/config_store.hpp"

#include <gtest/gtest.h>

namespace standin::server {
namespace {

using nlohmann::json;

struct heard {
    std::vector<config_path> paths;
    config_store::watcher watcher() {
        return [this](const config_path& p) { paths.push_back(p); };
    }
};

config_store make_store() {
    config_store store{[] { return config_time{1'000}; }};
    store.seed("com.example.A", {{"m", {{"x", 1}, {"y", 2}}}, {"other", 0}});
    store.seed("com.example.B", json::object());
    return store;
}

TEST(ConfigStore, ComponentsAreFoundIgnoringCase) {
    auto store = make_store();
    ASSERT_NE(store.find("COM.EXAMPLE.a"), nullptr);
    EXPECT_EQ(store.canonical_name("COM.EXAMPLE.a"), "com.example.A");
    EXPECT_EQ(store.find("com.example.Missing"), nullptr);
    EXPECT_EQ(store.find("com.example.B")->root().to_json(), json::object());
}

TEST(ConfigStore, SeedingAgainMergesOverWhatIsThere) {
    auto store = make_store();
    store.seed("com.example.b", {{"k", 1}});
    EXPECT_EQ(store.find("com.example.B")->root().to_json(), json({{"k", 1}}));
}

TEST(ConfigStore, WatchersHearEachChangedPathAtOrBelowTheirs) {
    auto store = make_store();
    heard whole, m, x, other, elsewhere;
    auto w1 = store.subscribe("com.example.A", {}, whole.watcher());
    auto w2 = store.subscribe("com.example.a", {"M"}, m.watcher());
    auto w3 = store.subscribe("com.example.A", {"m", "x"}, x.watcher());
    auto w4 = store.subscribe("com.example.A", {"other"}, other.watcher());
    auto w5 = store.subscribe("com.example.B", {}, elsewhere.watcher());
    store.update("com.example.A", {"m"}, {{"x", 10}, {"y", 20}, {"z", 30}}, 5);
    const std::vector<config_path> all{{"m", "x"}, {"m", "y"}, {"m", "z"}};
    EXPECT_EQ(whole.paths, all);
    EXPECT_EQ(m.paths, all);
    EXPECT_EQ(x.paths, (std::vector<config_path>{{"m", "x"}}));
    EXPECT_TRUE(other.paths.empty());
    EXPECT_TRUE(elsewhere.paths.empty());
    EXPECT_EQ(store.watch_count(), 5U);
}

TEST(ConfigStore, NothingIsHeardWhenNothingChanges) {
    auto store = make_store();
    heard whole;
    auto w = store.subscribe("com.example.A", {}, whole.watcher());
    store.update("com.example.A", {"m"}, {{"x", 1}}, 5);        // same value
    store.update("com.example.A", {"m"}, {{"x", 7}}, 0);        // older
    store.update("com.example.A", {"new"}, json::object(), 5);  // a container only
    EXPECT_TRUE(whole.paths.empty());
}

TEST(ConfigStore, AWatchEndsWhenDestroyedEvenWhileBeingTold) {
    auto store = make_store();
    std::unique_ptr<config_store::watch> self;
    heard later;
    int calls = 0;
    self = store.subscribe("com.example.A", {}, [&](const config_path&) {
        ++calls;
        self.reset();  // its stream closed while sending
    });
    auto w = store.subscribe("com.example.A", {}, later.watcher());
    store.update("com.example.A", {"m"}, {{"x", 10}, {"y", 20}}, 5);
    EXPECT_EQ(calls, 1);
    EXPECT_EQ(later.paths.size(), 2U);
    EXPECT_EQ(store.watch_count(), 1U);
    w.reset();
    EXPECT_EQ(store.watch_count(), 0U);
}

TEST(ConfigStore, UpdatesOfAnUnknownComponentDoNothing) {
    auto store = make_store();
    auto result = store.update("com.example.None", {}, {{"a", 1}}, 5);
    EXPECT_TRUE(std::get<config_update>(result).changed.empty());
    EXPECT_EQ(store.find("com.example.None"), nullptr);
}

}  // namespace
}  // namespace standin::server
