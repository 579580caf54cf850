// SPDX-License-Identifier: Apache-2.0
#include "recipes/semver.hpp"

#include <gtest/gtest.h>

namespace standin::server::semver {
namespace {

TEST(SemverVersion, ParsesAndOrdersByPrecedence) {
    EXPECT_TRUE(parse_version("1.2.3"));
    EXPECT_TRUE(parse_version("1.2.3-beta.1+build.5"));
    EXPECT_FALSE(parse_version("1.2"));
    EXPECT_FALSE(parse_version("1.2.3.4"));
    EXPECT_FALSE(parse_version("1.a.3"));
    EXPECT_FALSE(parse_version("1.2.3-"));
    EXPECT_LT(compare_versions("1.9.2", "1.10.0"), 0);
    EXPECT_LT(compare_versions("1.10.0-beta", "1.10.0"), 0);
    EXPECT_EQ(compare_versions("2.0.0+build", "2.0.0"), 0);
    // Pre-release identifiers: numeric ones numerically and before alphanumeric ones; a longer
    // list after its prefix.
    EXPECT_LT(compare_versions("1.0.0-alpha.2", "1.0.0-alpha.10"), 0);
    EXPECT_LT(compare_versions("1.0.0-1", "1.0.0-alpha"), 0);
    EXPECT_LT(compare_versions("1.0.0-alpha", "1.0.0-alpha.1"), 0);
}

struct range_case {
    const char* range;
    const char* version;
    bool satisfied;
};

class SemverRange : public ::testing::TestWithParam<range_case> {};

TEST_P(SemverRange, Satisfies) {
    const auto& c = GetParam();
    EXPECT_EQ(range::parse(c.range).satisfied_by(c.version), c.satisfied)
        << "'" << c.range << "' by " << c.version;
}

INSTANTIATE_TEST_SUITE_P(
    NpmRanges, SemverRange,
    ::testing::Values(
        range_case{"1.0.0", "1.0.0", true}, range_case{"1.0.0", "1.0.1", false},
        range_case{"=1.0.0", "1.0.0", true}, range_case{"v1.0.0", "1.0.0", true},
        range_case{">=1.0.0 <2.0.0", "1.9.9", true}, range_case{">=1.0.0 <2.0.0", "2.0.0", false},
        range_case{">=1.0.0 <2.0.0", "0.9.0", false}, range_case{">= 1.0.0", "1.0.0", true},
        range_case{">1.0.0", "1.0.0", false}, range_case{">1", "1.9.0", false},
        range_case{">1", "2.0.0", true}, range_case{"<=1.2", "1.2.9", true},
        range_case{"<=1.2", "1.3.0", false}, range_case{"<1.2", "1.2.0", false},
        range_case{"^1.2.0", "1.9.0", true}, range_case{"^1.2.0", "1.1.0", false},
        range_case{"^1.2.0", "2.0.0", false}, range_case{"^0.2.3", "0.2.9", true},
        range_case{"^0.2.3", "0.3.0", false}, range_case{"^0.0.3", "0.0.4", false},
        range_case{"^0.x", "0.9.0", true}, range_case{"^0.x", "1.0.0", false},
        range_case{"~1.2.0", "1.2.9", true}, range_case{"~1.2.0", "1.3.0", false},
        range_case{"~1", "1.9.0", true}, range_case{"~1", "2.0.0", false},
        range_case{"1.x", "1.5.2", true}, range_case{"1.x", "2.0.0", false},
        range_case{"1.2.*", "1.2.7", true}, range_case{"1", "1.4.0", true},
        range_case{"*", "0.0.1", true}, range_case{"", "3.0.0", true},
        range_case{"1.2.3 - 2.3", "2.3.9", true}, range_case{"1.2.3 - 2.3", "2.4.0", false},
        range_case{"1.2.3 - 2.3.4", "2.3.4", true}, range_case{"1.2.3 - 2.3.4", "1.2.2", false},
        range_case{"^1.0.0 || >=3.0.0", "3.1.0", true}, range_case{"^1.0.0 || >=3.0.0", "2.1.0", false},
        range_case{"^1.0.0 || >=3.0.0", "1.1.0", true},
        // As semver4j (not node-semver): a pre-release is ordered by plain precedence.
        range_case{"^1.0.0", "2.0.0-rc.1", true}, range_case{">=1.0.0", "1.0.0-rc.1", false}));

TEST(SemverRange, MalformedRangesSayWhy) {
    for (const char* bad : {"1.a.0", ">=", "1.0.0 ||", "|| 1.0.0", "1.0.0 -", "- 1.0.0", "=>1.0.0",
                            "1.0.0.0", "1.x.3", "1.2-beta", "abc"}) {
        try {
            range::parse(bad);
            ADD_FAILURE() << "'" << bad << "' parsed";
        } catch (const range_error& e) {
            EXPECT_NE(std::string{e.what()}.find(bad), std::string::npos) << e.what();
        }
    }
}

TEST(SemverRange, KeepsItsText) {
    EXPECT_EQ(range::parse("  >=1.0.0 <2.0.0 ").text(), ">=1.0.0 <2.0.0");
}

}  // namespace
}  // namespace standin::server::semver
