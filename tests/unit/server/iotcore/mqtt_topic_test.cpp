// SPDX-License-Identifier: Apache-2.0
#include "iotcore/mqtt_topic.hpp"

#include <string>

#include <gtest/gtest.h>

namespace standin::server::iotcore {
namespace {

struct match_case {
    const char* filter;
    const char* topic;
    bool matches;
};

TEST(MqttTopic, MatchesAsMqttDoes) {
    const match_case cases[] = {
        {"a/b", "a/b", true},
        {"a/b", "a/c", false},
        {"a/+/c", "a/b/c", true},
        {"a/+/c", "a//c", true},
        {"a/+/c", "a/c", false},
        {"a/+/c", "a/b/c/d", false},
        {"a/#", "a", true},
        {"a/#", "a/b", true},
        {"a/#", "a/b/c", true},
        {"a/#", "ab", false},
        {"#", "a", true},
        {"#", "/a", true},
        {"#", "$aws/x", false},
        {"+/x", "a/x", true},
        {"+/x", "/x", true},
        {"+/x", "$aws/x", false},
        {"+", "a/", false},
        {"a/+", "a/", true},
        {"$aws/+/x", "$aws/t/x", true},
        {"$aws/#", "$aws/t/x", true},
        {"a/b/#", "a", false},
        {"+/+", "a/b", true},
        {"+/+", "a", false},
        {"a/", "a", false},
        {"a", "a/", false},
        {"/a", "/a", true},
        {"+/#", "a", true},
    };
    for (const auto& c : cases) {
        EXPECT_EQ(filter_matches(c.filter, c.topic), c.matches) << c.filter << " vs " << c.topic;
    }
}

TEST(MqttTopic, FilterSyntax) {
    for (const char* valid :
         {"a", "a/b", "+", "#", "a/+/b", "a/#", "+/+/#", "/", "$aws/things/+/shadow"}) {
        EXPECT_TRUE(is_valid_filter(valid)) << valid;
    }
    for (const char* invalid : {"", "a/#/b", "a#", "a/b#", "a+/b", "#/a", "a/+b", "##"}) {
        EXPECT_FALSE(is_valid_filter(invalid)) << invalid;
    }
}

TEST(MqttTopic, SharedSubscriptionsMatchWithTheirFilter) {
    EXPECT_EQ(effective_filter("$share/group/a/+"), "a/+");
    EXPECT_EQ(effective_filter("a/+"), "a/+");
    EXPECT_EQ(effective_filter("$share/group"), "$share/group");
}

TEST(MqttTopic, ValidatorAsTheNucleus) {
    const std::string slashes = "a/b/c/d/e/f/g/h";     // 7 slashes
    const std::string too_many = "a/b/c/d/e/f/g/h/i";  // 8
    const std::string long_topic(256, 'x');
    const std::string longer(257, 'x');
    EXPECT_EQ(validate_topic("", topic_use::publish), "Topic must not be empty");
    EXPECT_EQ(validate_topic("a/+", topic_use::publish),
              "Publish topics must not contain wildcard characters of '#' or '+'");
    EXPECT_EQ(validate_topic("a#b", topic_use::publish),
              "Publish topics must not contain wildcard characters of '#' or '+'");
    EXPECT_EQ(validate_topic("a/+", topic_use::subscribe), std::nullopt);
    EXPECT_EQ(validate_topic(slashes, topic_use::publish), std::nullopt);
    EXPECT_EQ(validate_topic(too_many, topic_use::publish),
              "The request topic must have no more than 7 forward slashes (/)");
    EXPECT_EQ(validate_topic(long_topic, topic_use::publish), std::nullopt);
    EXPECT_EQ(validate_topic(longer, topic_use::publish),
              "The topic size of request must be no larger than 256 bytes of UTF-8 encoded characters. "
              "This excludes the first 3 mandatory segments for Basic Ingest topics "
              "($AWS/rules/rule-name/)");
    EXPECT_EQ(validate_topic(longer, topic_use::subscribe),
              "The topic size of request must be no larger than 256 bytes of UTF-8 encoded characters. "
              "This excludes the first 3 mandatory segments for Basic Ingest topics "
              "($AWS/rules/rule-name/) or first 2 mandatory segments for MQTT Shared Subscriptions "
              "($share/share-name/)");
    // Java counts characters: 200 two-byte characters are 200, not 400.
    std::string accented;
    for (int i = 0; i < 200; ++i)
        accented += "\xC3\xA9";
    EXPECT_EQ(validate_topic(accented, topic_use::publish), std::nullopt);
}

TEST(MqttTopic, ReservedPrefixesDoNotCount) {
    EXPECT_EQ(validate_topic("$aws/rules/rule/a/b/c/d/e/f/g/h", topic_use::publish), std::nullopt);
    EXPECT_EQ(validate_topic("$aws/rules/rule/a/b/c/d/e/f/g/h/i", topic_use::publish),
              "The request topic must have no more than 7 forward slashes (/)");
    EXPECT_EQ(validate_topic("$share/g/a/b/c/d/e/f/g/h", topic_use::subscribe), std::nullopt);
    // Publishing to a $share topic counts the whole topic.
    EXPECT_EQ(validate_topic("$share/g/a/b/c/d/e/f/g", topic_use::publish),
              "The request topic must have no more than 7 forward slashes (/)");
    // Other reserved topics are left to IoT Core up to 512 characters.
    EXPECT_EQ(validate_topic("$aws/things/t/shadow/name/s/update/accepted/x/y", topic_use::publish),
              std::nullopt);
    EXPECT_EQ(validate_topic("$aws/" + std::string(508, 'x'), topic_use::publish),
              "Reserved topic total length is greater than 512 bytes of UTF-8 encoded characters and "
              "is most likely over the IoT Core limit of 256 bytes (excluding prefixes).");
}

}  // namespace
}  // namespace standin::server::iotcore
