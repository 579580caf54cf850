// SPDX-License-Identifier: Apache-2.0
// Resource patterns of accessControl policies: validation and matching in the nucleus's two
// syntaxes (semantics.md §2.2, §2.3). Rules and examples are at the top of resource_pattern.cpp.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "standin/model/service_ids.hpp"

namespace standin::server {

using model::resource_syntax;

const char* to_string(resource_syntax syntax) noexcept;

// Checks a policy resource as AuthorizationModule#validateResource does. Returns the nucleus's
// exception message when the resource is rejected, nullopt when it is acceptable.
std::optional<std::string> validate_resource(std::string_view resource);

// A validated resource pattern compiled for one syntax. Cheap to match; immutable.
class resource_pattern {
public:
    // Throws std::invalid_argument with the nucleus's message if validate_resource(text) fails.
    resource_pattern(std::string text, resource_syntax syntax);

    // True if the request resource `resource` is authorized by this pattern. The resource is a
    // plain string: wildcard characters in it are not interpreted ("test/*" matches "test/#").
    // Linear in resource length times pattern length at worst.
    bool matches(std::string_view resource) const;

    // Where matching `resource` fails: nullopt when it matches, else the offset of the first
    // resource character no placement of the pattern accepts (resource.size() when the resource
    // ends before the pattern does). For explanations; O(resource length x pattern length).
    std::optional<std::size_t> mismatch_offset(std::string_view resource) const;

    const std::string& text() const noexcept { return text_; }
    resource_syntax syntax() const noexcept { return syntax_; }

private:
    enum class token_kind {
        literal,     // characters after escapes are resolved
        any,         // '*' (and a lone MQTT "#"): any sequence, '/' included
        one_level,   // MQTT '+' occupying a whole level: up to the next '/'
        multi_tail,  // MQTT "/#" at the end: nothing more, or '/' and anything
    };
    struct token {
        token_kind kind;
        std::string text;  // literal only
    };

    std::string text_;
    resource_syntax syntax_;
    std::vector<token> tokens_;
};

// Convenience for one-off checks. Precondition as for the resource_pattern constructor.
bool resource_matches(std::string_view pattern, std::string_view resource, resource_syntax syntax);

}  // namespace standin::server
