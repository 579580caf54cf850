// SPDX-License-Identifier: Apache-2.0
// glob_can_match runs the pattern and the shape side by side (a product of two small automata) and
// asks whether both can end together; the state space is (pattern position, shape position, inside
// a run), so the search is bounded by their product, whatever the pattern.
#include "lint/resource_shapes.hpp"

#include <cstddef>
#include <utility>

#include "util/ascii.hpp"

namespace standin::server::lint {

namespace {

bool is_lower_or_dash(char c) {
    return (c >= 'a' && c <= 'z') || c == '-';
}
bool is_region_char(char c) {
    return is_lower_or_dash(c) || (c >= '0' && c <= '9');
}
using ascii::is_alnum;
using ascii::is_digit;
// Thing and shadow names (IoT and shadow manager naming rules).
bool is_thing_name_char(char c) {
    return is_alnum(c) || c == ':' || c == '_' || c == '-';
}
// ComponentName ^[a-zA-Z0-9-_.]+$ (semantics.md §10).
bool is_component_name_char(char c) {
    return is_alnum(c) || c == '-' || c == '_' || c == '.';
}
bool is_uuid_char(char c) {
    return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F') || c == '-';
}
bool is_any_char(char) {
    return true;
}

shape_part text(std::string s) {
    return {std::move(s), nullptr};
}
shape_part run(bool (*of)(char)) {
    return {{}, of};
}

// A pattern as single-character steps; `any` is '*'.
struct step {
    bool any = false;
    char c = 0;
};

std::vector<step> steps_of(std::string_view pattern) {
    std::vector<step> out;
    for (std::size_t i = 0; i < pattern.size(); ++i) {
        const char c = pattern[i];
        if (c == '$' && i + 3 < pattern.size() && pattern[i + 1] == '{' && pattern[i + 3] == '}') {
            out.push_back({false, pattern[i + 2]});
            i += 3;
        } else if (c == '*') {
            out.push_back({true});
        } else if (const auto close = pattern.find('}', i);
                   c == '{' && close != std::string_view::npos &&
                   pattern.substr(i, close - i).find(':') != std::string_view::npos) {
            out.push_back({true});  // a recipe variable: unknown until interpolated
            i = close;
        } else {
            out.push_back({false, c});
        }
    }
    return out;
}

// A shape sequence as single-character elements: a literal character, or a run.
struct element {
    char c = 0;
    bool (*run_of)(char) = nullptr;
};

bool sequence_can_match(const std::vector<step>& steps, const shape_sequence& sequence) {
    std::vector<element> elements;
    for (const auto& part : sequence) {
        if (part.run_of) {
            elements.push_back({0, part.run_of});
        } else {
            for (const char c : part.literal)
                elements.push_back({c, nullptr});
        }
    }
    const std::size_t n = steps.size(), m = elements.size();
    // State (i, j, r): i steps of the pattern done, j elements of the shape done, r: element j is
    // a run that has already taken at least one character.
    std::vector<bool> seen((n + 1) * (m + 1) * 2, false);
    std::vector<std::size_t> pending;
    const auto push = [&](std::size_t i, std::size_t j, std::size_t r) {
        const std::size_t id = (i * (m + 1) + j) * 2 + r;
        if (!seen[id]) {
            seen[id] = true;
            pending.push_back(id);
        }
    };
    push(0, 0, 0);
    while (!pending.empty()) {
        const std::size_t id = pending.back();
        pending.pop_back();
        const std::size_t r = id % 2, j = (id / 2) % (m + 1), i = id / 2 / (m + 1);
        if (i == n && j == m) return true;
        if (r == 1) push(i, j + 1, 0);  // the run ends here
        if (i == n) continue;
        const step& s = steps[i];
        if (s.any) {
            push(i + 1, j, r);  // '*' takes nothing more
            if (j < m) {        // '*' takes one more character of the shape
                if (elements[j].run_of) {
                    push(i, j, 1);
                } else {
                    push(i, j + 1, 0);
                }
            }
        } else if (j < m) {
            if (elements[j].run_of) {
                if (elements[j].run_of(s.c)) push(i + 1, j, 1);
            } else if (elements[j].c == s.c) {
                push(i + 1, j + 1, 0);
            }
        }
    }
    return false;
}

}  // namespace

std::optional<resource_shape> resource_shape_of(const model::authorization& auth) {
    using model::resource_rule;
    switch (auth.resource) {
        case resource_rule::none:
        case resource_rule::metric_names:
            return std::nullopt;
        case resource_rule::any:
            return resource_shape{"the literal \"*\"", {{text("*")}}};
        case resource_rule::shadow_path:
            return resource_shape{
                "a shadow path, $aws/things/<thing>/shadow or "
                "$aws/things/<thing>/shadow/name/<shadow>",
                {{text("$aws/things/"), run(is_thing_name_char), text("/shadow")},
                 {text("$aws/things/"), run(is_thing_name_char), text("/shadow/name/"),
                  run(is_thing_name_char)}}};
        case resource_rule::secret_arn:
            return resource_shape{
                "a secret ARN, arn:aws:secretsmanager:<region>:<account>:secret:<name>-<suffix>",
                {{text("arn:"), run(is_lower_or_dash), text(":secretsmanager:"), run(is_region_char),
                  text(":"), run(is_digit), text(":secret:"), run(is_any_char)}}};
        case resource_rule::member:
            if (auth.member == "componentName") {
                return resource_shape{"a component name (letters, digits, '-', '_', '.')",
                                      {{run(is_component_name_char)}}};
            }
            if (auth.member == "thingName") {
                return resource_shape{"a bare thing name (not a shadow path)",
                                      {{run(is_thing_name_char)}}};
            }
            if (auth.member == "deploymentId") {
                return resource_shape{"a deployment id (a UUID)", {{run(is_uuid_char)}}};
            }
            return std::nullopt;  // topics: any string
    }
    return std::nullopt;
}

bool glob_can_match(std::string_view pattern, const resource_shape& shape) {
    const auto steps = steps_of(pattern);
    for (const auto& sequence : shape.alternatives) {
        if (sequence_can_match(steps, sequence)) return true;
    }
    return false;
}

}  // namespace standin::server::lint
