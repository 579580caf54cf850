// SPDX-License-Identifier: Apache-2.0
#include "authz/resource_pattern.hpp"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include <chrono>
#include <ostream>
#include <random>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "authz/authorizer.hpp"

namespace standin::server {
namespace {

// ---------------------------------------------------------------------------------------------
// Validation: AuthorizationModule#validateResource messages.

constexpr std::string_view bad_escape =
    "Resource contains an invalid escape sequence. You can use ${*}, ${$}, or ${?}";
constexpr std::string_view bad_question =
    "Resource contains invalid character: '?'. Use an escape sequence: ${?}. "
    "The '?' character isn't supported as a wildcard";

TEST(resource_validation, accepts) {
    for (const auto* r : {"a", "*", "#", "+", "$aws/things/x/shadow", "$", "a$", "123$", "456$*", "${*}",
                          "${$}", "${?}", "a${?}b", "acv/rt${$}{*}mk", "$${?}", "test/topic/#", "a}{"}) {
        EXPECT_EQ(validate_resource(r), std::nullopt) << r;
    }
}

TEST(resource_validation, rejects_with_nucleus_messages) {
    EXPECT_EQ(validate_resource(""), "Resource cannot be empty");
    EXPECT_EQ(validate_resource("?"), bad_question);
    EXPECT_EQ(validate_resource("a?b"), bad_question);
    EXPECT_EQ(validate_resource("${?}?"), bad_question);
    EXPECT_EQ(validate_resource("abc${"), bad_escape);
    EXPECT_EQ(validate_resource("${"), bad_escape);
    EXPECT_EQ(validate_resource("${*"), bad_escape);
    EXPECT_EQ(validate_resource("qwe${ca}"), bad_escape);
    EXPECT_EQ(validate_resource("${*bc}"), bad_escape);
    EXPECT_EQ(validate_resource("$aws/things/${iot:thingName}/shadow"), bad_escape);
    EXPECT_EQ(validate_resource("${c}"),
              "Resource contains an invalid escape sequence: ${c}. You can use ${*}, ${$}, or ${?}");
    EXPECT_EQ(validate_resource("a/${#}"),
              "Resource contains an invalid escape sequence: ${#}. You can use ${*}, ${$}, or ${?}");
}

TEST(resource_validation, constructor_throws_the_message) {
    try {
        resource_pattern p{"a?", resource_syntax::glob};
        FAIL() << "no exception";
    } catch (const std::invalid_argument& e) {
        EXPECT_EQ(std::string_view{e.what()}, bad_question);
    }
}

// ---------------------------------------------------------------------------------------------
// Matching tables. Rows come from the nucleus's WildcardTrieTest (one pattern per row, both
// syntaxes) and the developer guide's examples.

struct match_row {
    resource_syntax syntax;
    std::string_view pattern;
    std::string_view resource;
    bool matches;
};

std::ostream& operator<<(std::ostream& os, const match_row& r) {
    return os << to_string(r.syntax) << " pattern \"" << r.pattern << "\" resource \"" << r.resource
              << "\" -> " << r.matches;
}

constexpr auto glob = resource_syntax::glob;
constexpr auto mqtt = resource_syntax::mqtt;

const match_row glob_rows[] = {
    {glob, "nowildcard", "nowildcard", true},
    {glob, "nowildcard", "topic", false},
    {glob, "abc*xy*z", "abc123xyabc!@/<>#$%^&*()_+-=z", true},
    {glob, "abc*xy*z", "abcxyz", true},
    {glob, "abc*xy*z", "abcxy/ 7895z", true},
    {glob, "abc*xy*z", "abc123xy90zABCz", true},
    {glob, "abc*xy*z", "abc123xy90zABCxyABCz", true},
    {glob, "abc*xy*z", "abc123x123xyz", true},
    {glob, "abc*xy*z", "ab789xyz123", false},
    {glob, "abc*xy*z", "abc789xy56z123", false},
    {glob, "abc*xy*z", "abc123xy90zABCzz0", false},
    {glob, "abc*xy*z", "abc123yx90z", false},
    {glob, "abc*xy*z", "abc123xqwez", false},
    {glob, "abc*xy*z", "", false},
    {glob, "abc*xy*23", "abc789xy56z123", true},
    {glob, "abc*xy*", "abc123xy90zABCzz0", true},
    {glob, "abc*yx*z", "abc123yx90z", true},
    {glob, "*qwe*90*", "abcqwe12390abcde", true},
    {glob, "*qwe*90*", "qwe90", true},
    {glob, "*qwe*90*", "qwe9012", true},
    {glob, "*qwe*90*", "789qwe-+9qwe-+90ABC", true},
    {glob, "*qwe*90*", "789qwe-+9A", false},
    {glob, "*qwe*90*", "ABC89078", false},
    {glob, "*90*", "ABC89078", true},
    {glob, "ab/*/c", "ab/12/c", true},
    {glob, "ab/*/c", "ab/1/3/2/c", true},
    {glob, "ab/*/c", "ab/1/34/2/c/", false},
    {glob, "*wer", "123werX", false},
    {glob, "*", "123werX", true},
    {glob, "*", "9999/88", true},
    {glob, "**/abc", "78/abc", true},
    {glob, "**/abc", "7/8/abc", true},
    // '+' and '#' are literal in glob.
    {glob, "abc/#", "abc/1/2/3", false},
    {glob, "abc/#", "abc", false},
    {glob, "abc/#", "abc/", false},
    {glob, "abc/#", "abc/#", true},
    {glob, "123/#/xyz/#", "123/#/xyz", false},
    {glob, "123/#/xyz/#", "123/#/xyz/#", true},
    {glob, "#/zzz/45", "#/zzz/45", true},
    {glob, "#", "asdu76/asdas/23", false},
    {glob, "#", "#", true},
    {glob, "/#", "", false},
    {glob, "/#", "/a/b/c/d/e", false},
    {glob, "/#", "/#", true},
    {glob, "w/qqq#", "w/qqq#", true},
    {glob, "12/#/", "12/#/", true},
    {glob, "##", "##", true},
    {glob, "abc/+/123", "abc/def/123", false},
    {glob, "abc/+/123", "abc/+/123", true},
    {glob, "+/56", "123/56", false},
    {glob, "+/56", "+/56", true},
    {glob, "xyz/+/abcd/+/1", "xyz/ghj/abcd//1", false},
    {glob, "123/fgh/+", "123/fgh/ert", false},
    {glob, "123/fgh/+", "123/fgh/+", true},
    {glob, "89/+/+/+/90", "89/1/2/3/90", false},
    {glob, "89/+/+/+/90", "89/+/+/+/90", true},
    {glob, "+", "abc", false},
    {glob, "+", "+", true},
    {glob, "+/+", "+/+", true},
    {glob, "ax/qwe+/123", "ax/qwe+/123", true},
    {glob, "12/+23", "12/+23", true},
    {glob, "/+/++", "/zz/++", false},
    {glob, "/+/++", "/+/++", true},
    {glob, "12/*#", "12/345#", true},
    {glob, "12/*#", "12/34/5#", true},
    {glob, "12/*#", "12/45/67", false},
    {glob, "xyz*/+/*room/#", "xyzzzz/89/bedroom/light/5", false},
    {glob, "xyz*/+/*room/#", "xyzzzz/+/bedroom/#", true},
    {glob, "x*ui/+/#", "xyzzzzui/89/fan2/bedroom/light/5", false},
    {glob, "x*ui/+/#", "xcvui/+/#", true},
    {glob, "a/*bc/#", "a/xyzbc", false},
    {glob, "a/*bc/#", "a/xyzbc/nt/bc/#", true},
    // Escapes are literal characters; a plain '$' is literal.
    {glob, "acv/rt${*}mk", "acv/rt*mk", true},
    {glob, "acv/rt${*}mk", "acv/rt${*}mk", false},
    {glob, "acv/rt${*}mk", "acv/rt123mk", false},
    {glob, "${$}/begin", "$/begin", true},
    {glob, "${$}/begin", "${$}/begin", false},
    {glob, "end/${?}", "end/?", true},
    {glob, "end/${?}", "end/${?}", false},
    {glob, "acv/rt${$}{*}mk", "acv/rt${abc/123/=-_+}mk", true},
    {glob, "acv/rt${$}{*}mk", "rt${$}{*}mk", false},
    {glob, "${*}", "*", true},
    {glob, "${*}", "*ab", false},
    {glob, "${*}", "12/3", false},
    {glob, "${*}", "abc/def/g", false},
    {glob, "123$", "123$", true},
    {glob, "456$*", "456$123/abc", true},
    {glob, "456$*", "456*", false},
    // Developer guide: pubsub policy "test/*" authorizes subscribing to "test/#".
    {glob, "test/*", "test/#", true},
    {glob, "test/*", "test/+/x", true},
    {glob, "test/*", "test/", true},
    {glob, "test/*", "test", false},
    {glob, "$aws/things/x/shadow", "$aws/things/x/shadow", true},
    {glob, "$aws/things/*/shadow/get", "$aws/things/core-1/shadow/get", true},
    {glob, "$aws/things/*/shadow/get", "aws/things/core-1/shadow/get", false},
    {glob, "Topic", "topic", false},
};

const match_row mqtt_rows[] = {
    {mqtt, "nowildcard", "nowildcard", true},
    {mqtt, "nowildcard", "topic", false},
    {mqtt, "abc*xy*z", "abc123xyabc!@/<>#$%^&*()_+-=z", true},
    {mqtt, "abc*xy*z", "abcxyz", true},
    {mqtt, "abc*xy*z", "abcxy/ 7895z", true},
    {mqtt, "abc*xy*z", "abc123xy90zABCz", true},
    {mqtt, "abc*xy*z", "abc123xy90zABCxyABCz", true},
    {mqtt, "abc*xy*z", "ab789xyz123", false},
    {mqtt, "abc*xy*z", "abc789xy56z123", false},
    {mqtt, "abc*xy*z", "abc123xy90zABCzz0", false},
    {mqtt, "abc*xy*z", "abc123yx90z", false},
    {mqtt, "abc*xy*z", "", false},
    {mqtt, "abc*xy*23", "abc789xy56z123", true},
    {mqtt, "abc*xy*", "abc123xy90zABCzz0", true},
    {mqtt, "abc*yx*z", "abc123yx90z", true},
    {mqtt, "*qwe*90*", "abcqwe12390abcde", true},
    {mqtt, "*qwe*90*", "qwe90", true},
    {mqtt, "*qwe*90*", "qwe9012", true},
    {mqtt, "*qwe*90*", "789qwe-+9qwe-+90ABC", true},
    {mqtt, "*qwe*90*", "789qwe-+9A", false},
    {mqtt, "*qwe*90*", "ABC89078", false},
    {mqtt, "*90*", "ABC89078", true},
    {mqtt, "ab/*/c", "ab/12/c", true},
    {mqtt, "ab/*/c", "ab/1/3/2/c", true},
    {mqtt, "ab/*/c", "ab/1/34/2/c/", false},
    {mqtt, "*wer", "123werX", false},
    {mqtt, "*", "123werX", true},
    {mqtt, "*", "9999/88", true},
    {mqtt, "**/abc", "78/abc", true},
    {mqtt, "**/abc", "7/8/abc", true},
    // Multi-level wildcard: whole last level only; matches the parent too.
    {mqtt, "abc/#", "abc/1/2/3", true},
    {mqtt, "abc/#", "abc", true},
    {mqtt, "abc/#", "abc/", true},
    {mqtt, "abc/#", "abc/4/5/6", true},
    {mqtt, "abc/#", "abcd/e/f123/4/5/6", false},
    {mqtt, "abc/#", "abcd", false},
    {mqtt, "123/#/xyz/#", "123/#/xyz", true},
    {mqtt, "123/#/xyz/#", "123/#/xyz/1/2/345", true},
    {mqtt, "123/#/xyz/#", "123/4/5/6/xyz/abc", false},
    {mqtt, "123/#/xyz/#", "12/34/zzz/45", false},
    {mqtt, "#/zzz/45", "x/zzz/45", false},
    {mqtt, "#/zzz/45", "#/zzz/45", true},
    {mqtt, "#", "asdu76/asdas/23", true},
    {mqtt, "#", "**90io", true},
    {mqtt, "/#", "", true},
    {mqtt, "/#", "/a/b/c/d/e", true},
    {mqtt, "/#", "a/b/c/d", false},
    {mqtt, "/#", "asd", false},
    {mqtt, "w/qqq#", "w/qqq/e/r", false},
    {mqtt, "w/qqq#", "w/qqq#", true},
    {mqtt, "12/#/", "12/4/5/6", false},
    {mqtt, "12/#/", "12/#/", true},
    {mqtt, "##", "abcd", false},
    {mqtt, "##", "##", true},
    // Single-level wildcard: whole level only, possibly empty, never '/'.
    {mqtt, "abc/+/123", "abc/def/123", true},
    {mqtt, "abc/+/123", "abc/def/g/123", false},
    {mqtt, "+/56", "123/56", true},
    {mqtt, "+/56", "89/1/56", false},
    {mqtt, "xyz/+/abcd/+/1", "xyz/ghj/abcd//1", true},
    {mqtt, "123/fgh/+", "123/fgh/ert", true},
    {mqtt, "123/fgh/+", "123/fgh/12/34", false},
    {mqtt, "89/+/+/+/90", "89/1/2/3/90", true},
    {mqtt, "89/+/+/+/90", "89/1/2//90", true},
    {mqtt, "89/+/+/+/90", "89/1/2/90", false},
    {mqtt, "89/+/+/+/90", "89/1/2/3/4/90", false},
    {mqtt, "+", "abc", true},
    {mqtt, "+", "/123", false},
    {mqtt, "+/+", "/123", true},
    {mqtt, "+/+", "/123/", false},
    {mqtt, "ax/qwe+/123", "ax/qwert/123", false},
    {mqtt, "ax/qwe+/123", "ax/qwe+/123", true},
    {mqtt, "12/+23", "12/x23", false},
    {mqtt, "12/+23", "12/+23", true},
    {mqtt, "/+/++", "/33/ty", false},
    {mqtt, "/+/++", "/zz/++", true},
    // Combinations.
    {mqtt, "xyz*/+/*room/#", "xyzzzz/89/bedroom/light/5", true},
    {mqtt, "xyz*/+/*room/#", "xyzzzz/89/fan2/bedroom/light/5", true},
    {mqtt, "12/*#", "12/345#", true},
    {mqtt, "12/*#", "12/34/5#", true},
    {mqtt, "12/*#", "12/45/67", false},
    {mqtt, "x*ui/+/#", "xyzzzzui/89/fan2/bedroom/light/5", true},
    {mqtt, "x*ui/+/#", "xyz/zz34ui/matchPlus/23", true},
    {mqtt, "x*ui/+/#", "xyz/zz34/matchPlus/23", false},
    {mqtt, "x*ui/+/#", "xyzzz34", false},
    {mqtt, "a/+/+/#/+", "a/b/c/#/d", true},
    {mqtt, "a/+/+/#/+", "a/b/c/d/e", false},
    {mqtt, "2131/#/#/+/ui/#", "2131/x/y/z/ui/1", false},
    {mqtt, "2131/#/#/+/ui/#", "2131/#/#/z/ui/1/56", true},
    {mqtt, "abc*/#", "abc123", true},
    {mqtt, "x*/+/#", "xcvb/123", true},
    {mqtt, "x*/+/#", "xcvb/123/4/5", true},
    {mqtt, "a/*bc/#", "a/xyzbc", true},
    {mqtt, "a/*bc/#", "a/xyzbc/", true},
    {mqtt, "a/*bc/#", "a/xyzbc/1/2", true},
    {mqtt, "a/*bc/#", "a/xyzbcnt/bc", true},
    {mqtt, "a/*bc/#", "a/xyzbcnt/bc/", true},
    {mqtt, "a/*bc/#", "a/xyzbc/nt/bc", true},
    {mqtt, "a/*bc/#", "a/xyzbcd", false},
    {mqtt, "a/+/#", "a/xyz", true},
    {mqtt, "a/+/#", "a/xyz/", true},
    {mqtt, "a/+/#", "a/xyz/nt", true},
    {mqtt, "a/+/#", "a", false},
    {mqtt, "a/+/#", "a/", true},
    // Escapes.
    {mqtt, "acv/rt${*}mk", "acv/rt*mk", true},
    {mqtt, "acv/rt${*}mk", "acv/rt${*}mk", false},
    {mqtt, "${$}/begin", "$/begin", true},
    {mqtt, "${$}/begin", "${$}/begin", false},
    {mqtt, "end/${?}", "end/?", true},
    {mqtt, "end/${?}", "end/${?}", false},
    {mqtt, "${*}", "*", true},
    {mqtt, "${*}", "*ab", false},
    {mqtt, "${*}", "12/3", false},
    {mqtt, "${*}", "abc/def/g", false},
    // Developer guide (ipc-iot-core-mqtt): policy "test/topic/#".
    {mqtt, "test/topic/#", "test/topic/#", true},
    {mqtt, "test/topic/#", "test/topic/filter", true},
    {mqtt, "test/topic/#", "test/topic", true},
    {mqtt, "test/topic/#", "test/topic/a/b", true},
    {mqtt, "test/topic/#", "test/topics", false},
    {mqtt, "test/+", "test/#", true},  // the '+' swallows the request's '#'
    {mqtt, "test/+", "test/a/b", false},
    {mqtt, "$aws/things/+/shadow/#", "$aws/things/core/shadow/update", true},
    // The nucleus's merged trie accepts this through its terminal-level shortcut; a single
    // pattern read by the rules does not ('+' is "x", then "/bc" is not "/b" or "/b/...").
    {mqtt, "+/b/#", "x/bc/b", false},
    {mqtt, "+/b/#", "x/b", true},
};

class resource_match : public ::testing::TestWithParam<match_row> {};

TEST_P(resource_match, as_the_nucleus) {
    const auto& row = GetParam();
    const resource_pattern pattern{std::string{row.pattern}, row.syntax};
    EXPECT_EQ(pattern.matches(row.resource), row.matches);
    EXPECT_EQ(resource_matches(row.pattern, row.resource, row.syntax), row.matches);
}

// The explanation's matcher agrees with the real one on every row.
TEST_P(resource_match, mismatch_offset_agrees) {
    const auto& row = GetParam();
    const resource_pattern p{std::string{row.pattern}, row.syntax};
    const auto offset = p.mismatch_offset(row.resource);
    EXPECT_EQ(!offset.has_value(), row.matches);
    if (offset) {
        EXPECT_LE(*offset, row.resource.size());
    }
}

TEST(resource_pattern, mismatch_offset_points_at_the_first_impossible_character) {
    const resource_pattern glob_pattern{"sensors/*/temp", resource_syntax::glob};
    EXPECT_EQ(glob_pattern.mismatch_offset("sensor/x/temp"), 6u);
    EXPECT_EQ(glob_pattern.mismatch_offset("sensors/x/tem"), 13u);  // ended too early
    EXPECT_EQ(glob_pattern.mismatch_offset("sensors/x/temp"), std::nullopt);
    const resource_pattern mqtt_pattern{"a/+/c", resource_syntax::mqtt};
    EXPECT_EQ(mqtt_pattern.mismatch_offset("a/b/d"), 4u);
    EXPECT_EQ(mqtt_pattern.mismatch_offset("a/b/x/c"), 4u);
    EXPECT_EQ(mqtt_pattern.mismatch_offset("a/b/c"), std::nullopt);
}

INSTANTIATE_TEST_SUITE_P(glob, resource_match, ::testing::ValuesIn(glob_rows));
INSTANTIATE_TEST_SUITE_P(mqtt, resource_match, ::testing::ValuesIn(mqtt_rows));

TEST(resource_pattern, keeps_text_and_syntax) {
    const resource_pattern p{"a/${*}", mqtt};
    EXPECT_EQ(p.text(), "a/${*}");
    EXPECT_EQ(p.syntax(), mqtt);
}

TEST(resource_pattern, many_stars_stay_fast) {
    const resource_pattern p{"*a*a*a*a*a*a*a*a*a*a*b", glob};
    const std::string resource(20'000, 'a');
    EXPECT_FALSE(p.matches(resource));
    EXPECT_TRUE(p.matches(resource + "b"));
}

// Patterns made to blow up a backtracking matcher: "*a" repeated k times then "b" against n 'a's
// has C(n, k) ways to place the stars, which a naive recursive matcher tries one by one. The
// matcher and the explanation's NFA are both O(n x pattern length); the deadline is generous
// (milliseconds are expected, even in a debug build) and only there so that a regression fails
// instead of hanging.
TEST(resource_pattern, adversarial_patterns_take_bounded_work) {
    const auto started = std::chrono::steady_clock::now();
    std::string stars;
    for (int i = 0; i < 64; ++i)
        stars += "*a";
    const std::string as(10'000, 'a');
    for (const auto syntax : {glob, mqtt}) {
        const resource_pattern no_match{stars + "b", syntax};
        EXPECT_FALSE(no_match.matches(as));
        EXPECT_EQ(no_match.mismatch_offset(as), as.size());
        EXPECT_TRUE(no_match.matches(as + "b"));
        EXPECT_EQ(no_match.mismatch_offset(as + "b"), std::nullopt);
    }
    // MQTT one-level wildcards between the stars, against many levels.
    std::string levels;
    for (int i = 0; i < 32; ++i)
        levels += "*/+/";
    std::string deep;
    for (int i = 0; i < 2'000; ++i)
        deep += "a/";
    const resource_pattern mqtt_levels{levels + "x", mqtt};
    EXPECT_FALSE(mqtt_levels.matches(deep));
    EXPECT_TRUE(mqtt_levels.matches(deep + "x"));
    EXPECT_EQ(mqtt_levels.mismatch_offset(deep), deep.size());
    EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(10));
}

// The same through the authorizer: many such patterns in one policy, a long request resource.
TEST(resource_pattern, authorizer_check_with_adversarial_policies_is_bounded) {
    const auto started = std::chrono::steady_clock::now();
    authorizer authz;
    register_nucleus_services(authz);
    nlohmann::json resources = nlohmann::json::array();
    for (int k = 1; k <= 50; ++k) {
        std::string p;
        for (int i = 0; i < k; ++i)
            p += "*a";
        resources.push_back(p + "b");
    }
    std::vector<std::string> diagnostics;
    authz.load_component(
        "A",
        {{"aws.greengrass.ipc.pubsub",
          {{"p", {{"operations", {"aws.greengrass#PublishToTopic"}}, {"resources", resources}}}}}},
        diagnostics);
    const auto decision = authz.check(
        {"aws.greengrass.ipc.pubsub", "A", "aws.greengrass#PublishToTopic", std::string(20'000, 'a')});
    EXPECT_FALSE(decision.allowed);
    EXPECT_FALSE(decision.to_string().empty());
    EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(10));
}

// ---------------------------------------------------------------------------------------------
// Randomised comparison with an exhaustive character-level statement of the rules.

bool reference(std::string_view p, std::size_t i, std::string_view s, std::size_t j, bool is_mqtt) {
    if (i == p.size()) return j == s.size();
    const char c = p[i];
    const bool after_separator = i == 0 || p[i - 1] == '/';
    if (is_mqtt && p.size() == 1 && c == '#') return true;
    if (is_mqtt && c == '/' && p.substr(i) == "/#") return j == s.size() || s[j] == '/';
    if (c == '*') {
        for (std::size_t k = j; k <= s.size(); ++k) {
            if (reference(p, i + 1, s, k, is_mqtt)) return true;
        }
        return false;
    }
    if (is_mqtt && c == '+' && after_separator && (i + 1 == p.size() || p[i + 1] == '/')) {
        for (std::size_t k = j; k <= s.size(); ++k) {
            if (reference(p, i + 1, s, k, is_mqtt)) return true;
            if (k < s.size() && s[k] == '/') break;
        }
        return false;
    }
    return j < s.size() && s[j] == c && reference(p, i + 1, s, j + 1, is_mqtt);
}

TEST(resource_pattern, agrees_with_reference_on_random_input) {
    std::mt19937 rng(11);
    const std::string pattern_chars = "ab/*+#";
    const std::string resource_chars = "ab/+#";
    for (int round = 0; round < 20'000; ++round) {
        std::string p;
        const auto plen = 1 + rng() % 7;
        for (unsigned i = 0; i < plen; ++i)
            p += pattern_chars[rng() % pattern_chars.size()];
        std::string s;
        const auto slen = rng() % 8;
        for (unsigned i = 0; i < slen; ++i)
            s += resource_chars[rng() % resource_chars.size()];
        for (const auto syntax : {glob, mqtt}) {
            const resource_pattern compiled{p, syntax};
            ASSERT_EQ(compiled.matches(s), reference(p, 0, s, 0, syntax == mqtt))
                << to_string(syntax) << " pattern \"" << p << "\" resource \"" << s << "\"";
        }
    }
}

}  // namespace
}  // namespace standin::server
