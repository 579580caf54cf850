// SPDX-License-Identifier: Apache-2.0
// Rules (Java nucleus AuthorizationModule#validateResource and WildcardTrie, v2.6.0+):
//   Validation
//   * "" is rejected: "Resource cannot be empty".
//   * '$' followed by '{' must start "${c}" with c one of '*', '$', '?'; "${" without a closing
//     '}' in fourth position is "Resource contains an invalid escape sequence. You can use ${*},
//     ${$}, or ${?}", and a well-formed "${c}" with another c is "Resource contains an invalid
//     escape sequence: ${c}. You can use ${*}, ${$}, or ${?}".
//   * An unescaped '?' is "Resource contains invalid character: '?'. Use an escape sequence: ${?}.
//     The '?' character isn't supported as a wildcard".
//   Glob syntax (every service but mqttproxy)
//   * '*' matches any sequence of characters, '/' included, possibly empty. Anchored both ends.
//   * ${*}, ${$}, ${?} are the literal characters; a plain '$' is literal ("$aws/things/x").
//   * '+' and '#' are literal.
//   MQTT syntax (aws.greengrass.ipc.mqttproxy)
//   * As glob, plus: '+' occupying a whole level (start or after '/', end or before '/') matches
//     exactly one level, possibly empty; "#" as the whole pattern matches everything; "/#" at
//     the very end matches the end of the resource (the parent level) or '/' and anything.
//   * Elsewhere '+' and '#' are literal ("w/qqq#", "12/#/", "ax/qwe+/123", "12/*#").
//   The request resource is a plain string, so a request filter matches character-wise.
//
// Examples (pattern: resource → result):
//   glob  test/*        : test/#  yes, test/a/b  yes, test  no
//   glob  ab/*/c        : ab/1/3/2/c  yes, ab/1/34/2/c/  no
//   glob  abc/#         : abc/#  yes, abc/x  no
//   glob  ${*}          : *  yes, *ab  no
//   glob  456$*         : 456$123/abc  yes, 456*  no
//   mqtt  test/topic/#  : test/topic  yes, test/topic/  yes, test/topic/#  yes, test/topicx  no
//   mqtt  test/+        : test/#  yes, test/  yes, test/a/b  no
//   mqtt  /#            : ""  yes, /a  yes, a  no
//   mqtt  x*ui/+/#      : xyz/zz34ui/matchPlus/23  yes, xyzzz34  no
//
// Divergence kept on purpose: the nucleus merges every pattern of a (principal, operation) cell
// into one trie whose matcher has cross-pattern artefacts (e.g. mqtt "+/b/#" accepting "x/bc/b").
// Each pattern is matched on its own here, with the rules above.
#include "authz/resource_pattern.hpp"

#include <algorithm>
#include <stdexcept>
#include <utility>

namespace standin::server {

namespace {

constexpr char escape_char = '$';

bool is_escapable(char c) {
    return c == '*' || c == '$' || c == '?';
}

// "${c}" at the start of `s`: returns c, else nullopt (WildcardTrie#getActualChar).
std::optional<char> escaped_char(std::string_view s) {
    if (s.size() < 4 || s[0] != escape_char || s[1] != '{' || s[3] != '}') return std::nullopt;
    return s[2];
}

}  // namespace

const char* to_string(resource_syntax syntax) noexcept {
    return syntax == resource_syntax::mqtt ? "mqtt" : "glob";
}

std::optional<std::string> validate_resource(std::string_view resource) {
    if (resource.empty()) return std::string{"Resource cannot be empty"};
    for (std::size_t i = 0; i < resource.size(); ++i) {
        const char c = resource[i];
        if (c == escape_char && i + 1 < resource.size() && resource[i + 1] == '{') {
            const auto actual = escaped_char(resource.substr(i));
            if (!actual) {
                return std::string{
                    "Resource contains an invalid escape sequence. You can use ${*}, ${$}, or ${?}"};
            }
            if (!is_escapable(*actual)) {
                return "Resource contains an invalid escape sequence: ${" + std::string(1, *actual) +
                       "}. You can use ${*}, ${$}, or ${?}";
            }
            i += 3;
            continue;
        }
        if (c == '?') {
            return std::string{
                "Resource contains invalid character: '?'. Use an escape sequence: ${?}. "
                "The '?' character isn't supported as a wildcard"};
        }
    }
    return std::nullopt;
}

resource_pattern::resource_pattern(std::string text, resource_syntax syntax)
    : text_(std::move(text)), syntax_(syntax) {
    if (auto error = validate_resource(text_)) throw std::invalid_argument(*error);

    const std::string_view raw = text_;
    const bool mqtt = syntax_ == resource_syntax::mqtt;
    std::string literal;
    auto flush = [&] {
        if (!literal.empty()) tokens_.push_back({token_kind::literal, std::move(literal)});
        literal.clear();
    };
    auto push_any = [&] {
        flush();
        // "**" is one wildcard; keeping one keeps the matcher's backtracking linear.
        if (tokens_.empty() || tokens_.back().kind != token_kind::any)
            tokens_.push_back({token_kind::any, {}});
    };

    const std::size_t n = raw.size();
    for (std::size_t i = 0; i < n; ++i) {
        const char c = raw[i];
        // Wildcard validity looks at the raw neighbours, as WildcardTrie#add does, so an escaped
        // character never makes a neighbouring '+' or '#' a wildcard.
        const bool after_separator = i == 0 || raw[i - 1] == '/';
        if (c == escape_char) {
            if (const auto actual = escaped_char(raw.substr(i))) {
                literal.push_back(*actual);
                i += 3;
                continue;
            }
        } else if (c == '*') {
            push_any();
            continue;
        } else if (mqtt && c == '+' && after_separator && (i + 1 == n || raw[i + 1] == '/')) {
            flush();
            tokens_.push_back({token_kind::one_level, {}});
            continue;
        } else if (mqtt && c == '#' && after_separator && i + 1 == n) {
            if (i == 0) {
                push_any();
            } else {
                // The '/' before '#' belongs to the tail token: "abc/#" also matches "abc".
                literal.pop_back();
                flush();
                tokens_.push_back({token_kind::multi_tail, {}});
            }
            continue;
        }
        literal.push_back(c);
    }
    flush();
}

bool resource_pattern::matches(std::string_view resource) const {
    // Classic wildcard matching with one backtrack point (the last '*'). It stays exact here
    // because every other token is deterministic and its end moves right when its start does:
    // the earliest placement of the tokens after a '*' is always the best one.
    constexpr std::size_t none = static_cast<std::size_t>(-1);
    const std::size_t n = resource.size();
    std::size_t ti = 0;
    std::size_t pos = 0;
    std::size_t star_ti = none;
    std::size_t star_pos = 0;
    for (;;) {
        if (ti < tokens_.size()) {
            const token& t = tokens_[ti];
            switch (t.kind) {
                case token_kind::any:
                    star_ti = ti++;
                    star_pos = pos;
                    continue;
                case token_kind::literal:
                    if (resource.substr(pos).starts_with(t.text)) {
                        pos += t.text.size();
                        ++ti;
                        continue;
                    }
                    break;
                case token_kind::one_level: {
                    const auto slash = resource.find('/', pos);
                    pos = slash == std::string_view::npos ? n : slash;
                    ++ti;
                    continue;
                }
                case token_kind::multi_tail:
                    if (pos == n || resource[pos] == '/') return true;
                    break;
            }
        } else if (pos == n) {
            return true;
        }
        if (star_ti == none || star_pos >= n) return false;
        pos = ++star_pos;
        ti = star_ti + 1;
    }
}

std::optional<std::size_t> resource_pattern::mismatch_offset(std::string_view resource) const {
    // The tokens as a sequence of single-character steps, run as an NFA over the resource.
    enum class step_kind { character, any, one_level, multi_tail };
    struct step {
        step_kind kind;
        char c = 0;
    };
    std::vector<step> steps;
    for (const auto& t : tokens_) {
        switch (t.kind) {
            case token_kind::literal:
                for (const char c : t.text)
                    steps.push_back({step_kind::character, c});
                break;
            case token_kind::any:
                steps.push_back({step_kind::any});
                break;
            case token_kind::one_level:
                steps.push_back({step_kind::one_level});
                break;
            case token_kind::multi_tail:
                steps.push_back({step_kind::multi_tail});
                break;
        }
    }
    const std::size_t end = steps.size();  // every step done
    const std::size_t rest = end + 1;      // past "/#": anything goes
    std::vector<bool> current(end + 2, false);
    const auto close_over = [&](std::vector<bool>& states) {
        for (std::size_t i = 0; i < end; ++i) {
            if (states[i] && (steps[i].kind == step_kind::any || steps[i].kind == step_kind::one_level))
                states[i + 1] = true;
        }
    };
    current[0] = true;
    close_over(current);
    std::vector<bool> next(end + 2, false);
    for (std::size_t pos = 0; pos < resource.size(); ++pos) {
        const char c = resource[pos];
        std::fill(next.begin(), next.end(), false);
        bool alive = false;
        for (std::size_t i = 0; i <= rest; ++i) {
            if (!current[i]) continue;
            if (i == rest) {
                next[rest] = alive = true;
                continue;
            }
            if (i == end) continue;
            const step& s = steps[i];
            switch (s.kind) {
                case step_kind::character:
                    if (c == s.c) next[i + 1] = alive = true;
                    break;
                case step_kind::any:
                    next[i] = alive = true;
                    break;
                case step_kind::one_level:
                    if (c != '/') next[i] = alive = true;
                    break;
                case step_kind::multi_tail:
                    if (c == '/') next[rest] = alive = true;
                    break;
            }
        }
        if (!alive) return pos;
        close_over(next);
        std::swap(current, next);
    }
    const bool accepted = current[end] || current[rest] ||
                          (end > 0 && current[end - 1] && steps[end - 1].kind == step_kind::multi_tail);
    if (accepted) return std::nullopt;
    return resource.size();
}

bool resource_matches(std::string_view pattern, std::string_view resource, resource_syntax syntax) {
    return resource_pattern{std::string{pattern}, syntax}.matches(resource);
}

}  // namespace standin::server
