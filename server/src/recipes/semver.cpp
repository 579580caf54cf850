// SPDX-License-Identifier: Apache-2.0
#include "recipes/semver.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <limits>

namespace standin::server::semver {

namespace {

bool is_space(char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

std::string_view trim(std::string_view s) {
    while (!s.empty() && is_space(s.front()))
        s.remove_prefix(1);
    while (!s.empty() && is_space(s.back()))
        s.remove_suffix(1);
    return s;
}

std::optional<std::uint64_t> number(std::string_view s) {
    if (s.empty() || !std::all_of(s.begin(), s.end(), [](unsigned char c) { return std::isdigit(c); }))
        return std::nullopt;
    std::uint64_t out = 0;
    const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
    if (ec != std::errc{} || end != s.data() + s.size()) return std::nullopt;
    return out;
}

bool is_wildcard(std::string_view s) {
    return s == "x" || s == "X" || s == "*";
}

// Dot-separated, each non-empty [0-9A-Za-z-].
std::optional<std::vector<std::string>> identifiers(std::string_view s) {
    std::vector<std::string> out;
    while (true) {
        const auto dot = s.find('.');
        const auto part = s.substr(0, dot);
        if (part.empty() || !std::all_of(part.begin(), part.end(),
                                         [](unsigned char c) { return std::isalnum(c) || c == '-'; }))
            return std::nullopt;
        out.emplace_back(part);
        if (dot == std::string_view::npos) return out;
        s.remove_prefix(dot + 1);
    }
}

int compare_identifier(const std::string& a, const std::string& b) {
    const auto na = number(a);
    const auto nb = number(b);
    if (na && nb) return *na == *nb ? 0 : (*na < *nb ? -1 : 1);
    if (na) return -1;  // numeric identifiers have lower precedence
    if (nb) return 1;
    return a == b ? 0 : (a < b ? -1 : 1);
}

// A version with parts left out or wildcarded (1, 1.2, 1.x, *): `given` counts the parts given.
struct partial {
    std::array<std::uint64_t, 3> numbers{};
    int given = 0;
    std::vector<std::string> pre_release;

    version lower() const { return {numbers, pre_release}; }
    // The first version past every one this partial names: 1 -> 2.0.0, 1.2 -> 1.3.0.
    version next() const {
        version out;
        if (given == 1) {
            out.numbers = {numbers[0] + 1, 0, 0};
        } else {
            out.numbers = {numbers[0], numbers[1] + 1, 0};
        }
        return out;
    }
};

}  // namespace

std::optional<version> parse_version(std::string_view text) {
    version out;
    if (const auto plus = text.find('+'); plus != std::string_view::npos) {
        if (!identifiers(text.substr(plus + 1))) return std::nullopt;
        text = text.substr(0, plus);
    }
    if (const auto dash = text.find('-'); dash != std::string_view::npos) {
        auto pre = identifiers(text.substr(dash + 1));
        if (!pre) return std::nullopt;
        out.pre_release = std::move(*pre);
        text = text.substr(0, dash);
    }
    for (std::size_t i = 0; i < 3; ++i) {
        const auto dot = text.find('.');
        if ((i < 2) == (dot == std::string_view::npos)) return std::nullopt;
        const auto value = number(text.substr(0, dot));
        if (!value) return std::nullopt;
        out.numbers[i] = *value;
        text = dot == std::string_view::npos ? std::string_view{} : text.substr(dot + 1);
    }
    return out;
}

int compare(const version& a, const version& b) noexcept {
    if (a.numbers != b.numbers) return a.numbers < b.numbers ? -1 : 1;
    if (a.pre_release.empty() || b.pre_release.empty()) {
        if (a.pre_release.empty() == b.pre_release.empty()) return 0;
        return a.pre_release.empty() ? 1 : -1;  // a pre-release comes before its release
    }
    const std::size_t common = std::min(a.pre_release.size(), b.pre_release.size());
    for (std::size_t i = 0; i < common; ++i) {
        if (const int c = compare_identifier(a.pre_release[i], b.pre_release[i]); c != 0) return c;
    }
    if (a.pre_release.size() == b.pre_release.size()) return 0;
    return a.pre_release.size() < b.pre_release.size() ? -1 : 1;
}

int compare_versions(std::string_view a, std::string_view b) {
    const auto left = parse_version(a);
    const auto right = parse_version(b);
    if (!left || !right) return left ? 1 : (right ? -1 : 0);
    return compare(*left, *right);
}

struct range_parser {
    using op = range::op;
    using comparator = range::comparator;

    std::string_view whole;

    [[noreturn]] void fail(std::string_view part, const std::string& why) const {
        throw range_error("version range '" + std::string{whole} + "': '" + std::string{part} + "' " +
                          why);
    }

    partial read_partial(std::string_view word, std::string_view shown) const {
        partial out;
        if (!word.empty() && (word.front() == 'v' || word.front() == 'V')) word.remove_prefix(1);
        if (word.empty()) fail(shown, "has no version");
        if (const auto plus = word.find('+'); plus != std::string_view::npos) {
            if (!identifiers(word.substr(plus + 1))) fail(shown, "has malformed build metadata");
            word = word.substr(0, plus);
        }
        std::string_view pre;
        if (const auto dash = word.find('-'); dash != std::string_view::npos) {
            pre = word.substr(dash + 1);
            word = word.substr(0, dash);
            auto ids = identifiers(pre);
            if (!ids) fail(shown, "has a malformed pre-release");
            out.pre_release = std::move(*ids);
        }
        bool wild = false;
        for (int i = 0; i < 3 && !word.empty(); ++i) {
            const auto dot = word.find('.');
            const auto part = word.substr(0, dot);
            if (is_wildcard(part)) {
                wild = true;
            } else if (const auto value = number(part); value && !wild) {
                out.numbers[i] = *value;
                out.given = i + 1;
            } else {
                fail(shown, value ? "has a number after a wildcard"
                                  : "is not a version: '" + std::string{part} + "' is not a number");
            }
            if (dot == std::string_view::npos) {
                word = {};
            } else {
                word.remove_prefix(dot + 1);
                if (word.empty() || i == 2) fail(shown, "is not a version");
            }
        }
        if (!out.pre_release.empty() && out.given < 3)
            fail(shown, "has a pre-release on a partial version");
        return out;
    }

    // An impossible bound: nothing precedes 0.0.0-0.
    static comparator nothing() { return {op::lt, version{{0, 0, 0}, {"0"}}}; }

    void primitive(std::string_view word, std::vector<comparator>& out) const {
        std::string_view oper;
        for (const std::string_view candidate : {"~>", ">=", "<=", ">", "<", "=", "~", "^"}) {
            if (word.substr(0, candidate.size()) == candidate) {
                oper = candidate;
                break;
            }
        }
        const partial p = read_partial(word.substr(oper.size()), word);
        const bool full = p.given == 3;
        if (oper.empty() || oper == "=") {
            if (full) {
                out.push_back({op::eq, p.lower()});
            } else if (p.given > 0) {
                out.push_back({op::ge, p.lower()});
                out.push_back({op::lt, p.next()});
            }
        } else if (oper == ">") {
            if (full) {
                out.push_back({op::gt, p.lower()});
            } else if (p.given == 0) {
                out.push_back(nothing());
            } else {
                out.push_back({op::ge, p.next()});
            }
        } else if (oper == ">=") {
            if (p.given > 0) out.push_back({op::ge, p.lower()});
        } else if (oper == "<") {
            out.push_back(p.given == 0 ? nothing() : comparator{op::lt, p.lower()});
        } else if (oper == "<=") {
            if (full) {
                out.push_back({op::le, p.lower()});
            } else if (p.given > 0) {
                out.push_back({op::lt, p.next()});
            }
        } else if (oper == "~" || oper == "~>") {
            if (p.given == 0) return;
            out.push_back({op::ge, p.lower()});
            partial upto = p;
            upto.given = std::min(p.given, 2);
            out.push_back({op::lt, upto.next()});
        } else {  // ^
            if (p.given == 0) return;
            out.push_back({op::ge, p.lower()});
            version upper;
            const auto& [major, minor, patch] = p.numbers;
            if (major > 0 || p.given == 1) {
                upper.numbers = {major + 1, 0, 0};
            } else if (minor > 0 || p.given == 2) {
                upper.numbers = {0, minor + 1, 0};
            } else {
                upper.numbers = {0, 0, patch + 1};
            }
            out.push_back({op::lt, upper});
        }
    }

    std::vector<comparator> conjunction(std::string_view text) const {
        // Words, an operator standing alone joined to the version after it (">= 1.2.3").
        std::vector<std::string> words;
        std::size_t i = 0;
        bool joining = false;
        while (i < text.size()) {
            while (i < text.size() && is_space(text[i]))
                ++i;
            if (i == text.size()) break;
            std::size_t end = i;
            while (end < text.size() && !is_space(text[end]))
                ++end;
            const std::string_view word = text.substr(i, end - i);
            if (joining) {
                words.back() += word;
            } else {
                words.emplace_back(word);
            }
            joining = std::all_of(word.begin(), word.end(), [](char c) {
                return c == '<' || c == '>' || c == '=' || c == '~' || c == '^';
            });
            i = end;
        }
        if (joining) fail(words.back(), "is an operator without a version");
        std::vector<comparator> out;
        if (words.size() == 3 && words[1] == "-") {
            const partial low = read_partial(words[0], words[0]);
            const partial high = read_partial(words[2], words[2]);
            out.push_back({op::ge, low.lower()});
            if (high.given == 3) {
                out.push_back({op::le, high.lower()});
            } else if (high.given > 0) {
                out.push_back({op::lt, high.next()});
            }
            return out;
        }
        for (const auto& word : words) {
            if (word == "-") fail(text, "has a hyphen range without both ends");
            primitive(word, out);
        }
        return out;
    }
};

range range::parse(std::string_view text) {
    range out;
    const std::string_view trimmed = trim(text);
    out.text_ = std::string{trimmed};
    const range_parser parser{trimmed};
    std::string_view rest = trimmed;
    while (true) {
        const auto bar = rest.find("||");
        const auto alternative = trim(rest.substr(0, bar));
        if (alternative.empty() && !(bar == std::string_view::npos && trimmed.empty()))
            parser.fail(trimmed, "has an empty alternative around ||");
        out.alternatives_.push_back(parser.conjunction(alternative));
        if (bar == std::string_view::npos) break;
        rest.remove_prefix(bar + 2);
    }
    return out;
}

bool range::satisfied_by(const version& v) const noexcept {
    return std::any_of(alternatives_.begin(), alternatives_.end(), [&](const auto& conjunction) {
        return std::all_of(conjunction.begin(), conjunction.end(), [&](const comparator& c) {
            const int order = compare(v, c.bound);
            switch (c.relation) {
                case op::lt:
                    return order < 0;
                case op::le:
                    return order <= 0;
                case op::gt:
                    return order > 0;
                case op::ge:
                    return order >= 0;
                case op::eq:
                    return order == 0;
            }
            return false;
        });
    });
}

bool range::satisfied_by(std::string_view v) const {
    const auto parsed = parse_version(v);
    return parsed && satisfied_by(*parsed);
}

}  // namespace standin::server::semver
