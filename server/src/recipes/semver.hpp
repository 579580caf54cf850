// SPDX-License-Identifier: Apache-2.0
// Semantic versions and the npm-style version ranges of a dependency's VersionRequirement, as the
// nucleus reads them (semver4j's Requirement.buildNPM; semantics.md §10). Pure.
//
//   1.2.3  =1.2.3  v1.2.3     exactly that version
//   >1.2.3 >=1.2 <2 <=1.2     comparators; a partial version fills in as npm does (>=1.2 is
//                             >=1.2.0, <=1.2 is <1.3.0, >1 is >=2.0.0)
//   >=1.0.0 <2.0.0            every comparator (space separated) must hold
//   ~1.2.3 ~1.2 ~1            >=1.2.3 <1.3.0, >=1.2.0 <1.3.0, >=1.0.0 <2.0.0
//   ^1.2.3 ^0.2.3 ^0.0.3      >=1.2.3 <2.0.0, >=0.2.3 <0.3.0, >=0.0.3 <0.0.4
//   1.x 1.2.* 1 * x ""        x-ranges: >=1.0.0 <2.0.0, >=1.2.0 <1.3.0, >=1.0.0 <2.0.0, any
//   1.2.3 - 2.3               hyphen range: >=1.2.3 <2.4.0 (a full upper bound is inclusive)
//   ^1.0.0 || >=3.0.0         either alternative
//
// Unlike node-semver, and like semver4j, a pre-release is compared by plain precedence: 2.0.0-rc.1
// satisfies <2.0.0 and ^1.0.0. Malformed: an unknown operator, a non-numeric part (1.a.0), a
// dangling operator or hyphen, an empty alternative around ||.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace standin::server::semver {

struct version {
    std::array<std::uint64_t, 3> numbers{};  // major, minor, patch
    std::vector<std::string> pre_release;    // the dot-separated identifiers after '-'
};

// "1.2.3", "1.2.3-beta.1", "1.2.3+build" (build metadata is ignored); nullopt when not a version.
std::optional<version> parse_version(std::string_view text);

// Semantic-version precedence: <0, 0, >0.
int compare(const version& a, const version& b) noexcept;
// Same on text; a text that is not a version orders before every version (and equal to another
// such text).
int compare_versions(std::string_view a, std::string_view b);

// A range that does not parse; what() says what is wrong and where.
struct range_error : std::invalid_argument {
    using std::invalid_argument::invalid_argument;
};

class range {
public:
    // Throws range_error.
    static range parse(std::string_view text);

    bool satisfied_by(const version& v) const noexcept;
    bool satisfied_by(std::string_view v) const;
    // The text it was parsed from, trimmed.
    const std::string& text() const noexcept { return text_; }

private:
    enum class op : std::uint8_t { lt, le, gt, ge, eq };
    struct comparator {
        op relation;
        version bound;
    };
    // Alternatives (||), each a conjunction; an empty conjunction matches every version.
    std::vector<std::vector<comparator>> alternatives_;
    std::string text_;

    friend struct range_parser;
};

}  // namespace standin::server::semver
