// SPDX-License-Identifier: Apache-2.0
#include "shadow/shadow_store.hpp"

#include <gtest/gtest.h>

namespace standin::server::local_shadow {
namespace {

TEST(ShadowNames, ThingNameRules) {
    EXPECT_EQ(thing_name_error(std::nullopt), "ThingName is missing");
    EXPECT_EQ(thing_name_error(""), "ThingName is missing");
    EXPECT_EQ(thing_name_error(std::string(129, 'a')), "ThingName has a maximum length of 128");
    EXPECT_EQ(thing_name_error(std::string(128, 'a')), std::nullopt);
    EXPECT_EQ(thing_name_error("a/b"), "ThingName must match pattern [a-zA-Z0-9:_-]+");
    EXPECT_EQ(thing_name_error("Thing:1_a-b"), std::nullopt);
}

TEST(ShadowNames, ShadowNameRules) {
    EXPECT_EQ(shadow_name_error(std::nullopt), std::nullopt);
    EXPECT_EQ(shadow_name_error(""), std::nullopt);
    EXPECT_EQ(shadow_name_error(std::string(65, 'a')), "ShadowName has a maximum length of 64");
    EXPECT_EQ(shadow_name_error(std::string(64, 'a')), std::nullopt);
    EXPECT_EQ(shadow_name_error("a b"), "ShadowName must match pattern [a-zA-Z0-9:_-]+");
}

TEST(ShadowNames, TopicPrefix) {
    EXPECT_EQ(topic_prefix("t", ""), "$aws/things/t/shadow");
    EXPECT_EQ(topic_prefix("t", "cfg"), "$aws/things/t/shadow/name/cfg");
}

TEST(ShadowStore, FindPutErase) {
    shadow_store s;
    EXPECT_EQ(s.find("t", ""), nullptr);
    document d;
    d.version = 3;
    s.put("t", "", d);
    ASSERT_NE(s.find("t", ""), nullptr);
    EXPECT_EQ(s.find("t", "")->version, 3);
    EXPECT_EQ(s.find("t", "x"), nullptr);
    const auto gone = s.erase("t", "");
    ASSERT_TRUE(gone);
    EXPECT_EQ(gone->version, 3);
    EXPECT_FALSE(s.erase("t", ""));
    EXPECT_EQ(s.size(), 0U);
}

TEST(ShadowStore, NamedShadowsPageInNameOrderWithoutTheClassicOne) {
    shadow_store s;
    for (const auto* name : {"c", "", "a", "b"})
        s.put("t", name, {});
    s.put("t2", "z", {});
    s.put("s", "y", {});
    EXPECT_EQ(s.named_shadows("t", 0, 25), (std::vector<std::string>{"a", "b", "c"}));
    EXPECT_EQ(s.named_shadows("t", 0, 2), (std::vector<std::string>{"a", "b"}));
    EXPECT_EQ(s.named_shadows("t", 2, 2), (std::vector<std::string>{"c"}));
    EXPECT_TRUE(s.named_shadows("t", 3, 2).empty());
    EXPECT_TRUE(s.named_shadows("none", 0, 2).empty());
}

}  // namespace
}  // namespace standin::server::local_shadow
