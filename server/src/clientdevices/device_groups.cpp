// SPDX-License-Identifier: Apache-2.0
#include "clientdevices/device_groups.hpp"

#include <stdexcept>
#include <utility>

#include "authz/resource_pattern.hpp"

namespace standin::server::clientdevices {

namespace {

constexpr std::string_view thing_name_variable = "${iot:Connection.Thing.ThingName}";
constexpr std::string_view format_version = "2021-03-05";

bool is_letter(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}
bool is_digit(char c) {
    return c >= '0' && c <= '9';
}
// Non-ASCII bytes count as letters: the plugin accepts any Unicode letter (Java's isLetter) and
// standin does not classify code points.
bool is_letter_or_non_ascii(char c) {
    return is_letter(c) || static_cast<unsigned char>(c) >= 0x80;
}

// ---- selection rule grammar (RuleExpression.jjt) ----

enum class token_kind { thing_name_key, value, op_or, op_and, end };
struct token {
    token_kind kind;
    std::string text;
};

bool value_char(char c) {
    return is_letter(c) || is_digit(c) || c == '-' || c == '_';
}

// The longest THINGNAME token at `at`: ("*")? (alnum | '-' | '_' | "\:")+ ("*")?, or "*". 0: none.
std::size_t value_length(std::string_view text, std::size_t at) {
    std::size_t i = at;
    if (i < text.size() && text[i] == '*') ++i;
    const std::size_t body = i;
    while (i < text.size()) {
        if (value_char(text[i])) {
            ++i;
        } else if (text[i] == '\\' && i + 1 < text.size() && text[i + 1] == ':') {
            i += 2;
        } else {
            break;
        }
    }
    if (i == body) return text[at] == '*' ? 1 : 0;
    if (i < text.size() && text[i] == '*') ++i;
    return i - at;
}

std::vector<token> tokenize(std::string_view text) {
    constexpr std::string_view key = "thingName:";
    std::vector<token> out;
    std::size_t at = 0;
    while (at < text.size()) {
        const char c = text[at];
        if (c == ' ' || c == '\t' || c == '\r') {
            ++at;
            continue;
        }
        // JavaCC takes the longest match, and on a tie the token declared first.
        const std::size_t value = value_length(text, at);
        const bool is_key = text.substr(at).starts_with(key);
        if (is_key && key.size() >= value) {
            out.push_back({token_kind::thing_name_key, std::string{key}});
            at += key.size();
            continue;
        }
        if (value == 0) {
            throw std::invalid_argument("unexpected character '" + std::string(1, c) + "' at " +
                                        std::to_string(at + 1));
        }
        std::string word{text.substr(at, value)};
        const token_kind kind = word == "OR"    ? token_kind::op_or
                                : word == "AND" ? token_kind::op_and
                                                : token_kind::value;
        out.push_back({kind, std::move(word)});
        at += value;
    }
    out.push_back({token_kind::end, {}});
    return out;
}

}  // namespace

struct selection_rule::node {
    enum class kind { thing, op_and, op_or } type = kind::thing;
    std::string value;  // thing
    std::unique_ptr<node> left, right;

    bool evaluate(std::string_view thing_name) const {
        switch (type) {
            case kind::thing:
                return thing_name_matches(value, thing_name);
            case kind::op_and:
                return left->evaluate(thing_name) && right->evaluate(thing_name);
            case kind::op_or:
                return left->evaluate(thing_name) || right->evaluate(thing_name);
        }
        return false;
    }
};

namespace {

class rule_parser {
public:
    explicit rule_parser(std::vector<token> tokens) : tokens_(std::move(tokens)) {}

    std::unique_ptr<selection_rule::node> start() {
        auto root = or_expression();
        if (peek().kind != token_kind::end) fail("expected AND, OR or the end");
        return root;
    }

private:
    using node = selection_rule::node;

    const token& peek() const { return tokens_[at_]; }
    [[noreturn]] void fail(const std::string& what) const {
        const auto& t = peek();
        throw std::invalid_argument(
            what + (t.kind == token_kind::end ? " at the end" : " before \"" + t.text + "\""));
    }

    std::unique_ptr<node> binary(node::kind type, std::unique_ptr<node> left,
                                 std::unique_ptr<node> right) {
        auto out = std::make_unique<node>();
        out->type = type;
        out->left = std::move(left);
        out->right = std::move(right);
        return out;
    }

    std::unique_ptr<node> or_expression() {
        auto left = and_expression();
        if (peek().kind != token_kind::op_or) return left;
        ++at_;
        return binary(node::kind::op_or, std::move(left), or_expression());
    }

    std::unique_ptr<node> and_expression() {
        auto left = thing_expression();
        if (peek().kind != token_kind::op_and) return left;
        ++at_;
        return binary(node::kind::op_and, std::move(left), and_expression());
    }

    std::unique_ptr<node> thing_expression() {
        if (peek().kind != token_kind::thing_name_key) fail("expected \"thingName:\"");
        ++at_;
        if (peek().kind != token_kind::value) fail("expected a thing name");
        auto out = std::make_unique<node>();
        out->value = peek().text;
        ++at_;
        return out;
    }

    std::vector<token> tokens_;
    std::size_t at_ = 0;
};

}  // namespace

selection_rule::selection_rule(std::string_view text) : root_(rule_parser{tokenize(text)}.start()) {}
selection_rule::~selection_rule() = default;
selection_rule::selection_rule(selection_rule&&) noexcept = default;
selection_rule& selection_rule::operator=(selection_rule&&) noexcept = default;

bool selection_rule::selects(std::string_view thing_name) const {
    return root_->evaluate(thing_name);
}

bool thing_name_matches(std::string_view pattern, std::string_view thing_name) {
    if (pattern.size() > 1 && pattern.starts_with('*') && pattern.ends_with('*')) {
        return thing_name.find(pattern.substr(1, pattern.size() - 2)) != std::string_view::npos;
    }
    if (pattern.starts_with('*')) return thing_name.ends_with(pattern.substr(1));
    if (pattern.ends_with('*')) return thing_name.starts_with(pattern.substr(0, pattern.size() - 1));
    return thing_name == pattern;
}

// ---- configuration ----

namespace {

const nlohmann::json* member(const nlohmann::json& object, const char* key) {
    const auto it = object.find(key);
    return it == object.end() || it->is_null() ? nullptr : &*it;
}

const nlohmann::json& object_at(const nlohmann::json& value, const std::string& where) {
    if (!value.is_object()) throw std::invalid_argument(where + " must be a map");
    return value;
}

std::string string_at(const nlohmann::json& value, const std::string& where) {
    if (!value.is_string()) throw std::invalid_argument(where + " must be a string");
    return value.get<std::string>();
}

std::vector<std::string> strings_at(const nlohmann::json* value, const std::string& where) {
    std::vector<std::string> out;
    if (value == nullptr) return out;
    if (!value->is_array()) throw std::invalid_argument(where + " must be a list of strings");
    for (const auto& item : *value)
        out.push_back(string_at(item, where + " items"));
    return out;
}

// Every "${...}" in `resource` must be a variable the plugin knows.
void check_policy_variables(const std::string& resource, const std::string& where) {
    for (std::size_t at = resource.find("${"); at != std::string::npos;
         at = resource.find("${", at + 2)) {
        const auto close = resource.find('}', at);
        if (close == std::string::npos) return;  // the plugin's pattern needs the '}'
        if (std::string_view{resource}.substr(at, close - at + 1) != thing_name_variable) {
            throw std::invalid_argument(where + ": Policy contains unknown variables");
        }
    }
}

std::string substitute_thing_name(std::string resource, std::string_view thing_name) {
    for (std::size_t at = resource.find(thing_name_variable); at != std::string::npos;
         at = resource.find(thing_name_variable, at + thing_name.size())) {
        resource.replace(at, thing_name_variable.size(), thing_name);
    }
    return resource;
}

bool valid_action(std::string_view action) {
    if (action.empty()) return false;
    for (const char c : action) {
        if (!is_letter_or_non_ascii(c) && !is_digit(c) && c != '-' && c != '_') return false;
    }
    return true;
}

bool all_letters(std::string_view text) {
    if (text.empty()) return false;
    for (const char c : text) {
        if (!is_letter_or_non_ascii(c)) return false;
    }
    return true;
}

// Printable ASCII, or beyond ASCII (the plugin's pattern takes Unicode word characters).
bool valid_resource_name(std::string_view name) {
    if (name.empty()) return false;
    for (const char c : name) {
        const auto byte = static_cast<unsigned char>(c);
        if (byte < 0x20 || byte == 0x7F) return false;
    }
    return true;
}

// "<service>:<action>": the service, or nullopt when malformed.
std::optional<std::string_view> operation_service(std::string_view operation) {
    const auto split = operation.find(':');
    if (split == std::string_view::npos || split + 1 == operation.size()) return std::nullopt;
    const auto service = operation.substr(0, split);
    if (!all_letters(service) || !valid_action(operation.substr(split + 1))) return std::nullopt;
    return service;
}

// "<service>:<type>:<name>": the service, or nullopt when malformed.
std::optional<std::string_view> resource_service(std::string_view resource) {
    const auto split = resource.find(':');
    if (split == std::string_view::npos || split + 1 == resource.size()) return std::nullopt;
    const auto service = resource.substr(0, split);
    const auto type_and_name = resource.substr(split + 1);
    const auto type_split = type_and_name.find(':');
    if (!all_letters(service) || type_split == std::string_view::npos) return std::nullopt;
    if (!all_letters(type_and_name.substr(0, type_split))) return std::nullopt;
    if (!valid_resource_name(type_and_name.substr(type_split + 1))) return std::nullopt;
    return service;
}

bool resource_allowed(const std::string& pattern, std::string_view resource) {
    if (pattern == resource) return true;
    // The plugin adds the pattern to a WildcardTrie unchecked; a pattern the nucleus's validation
    // rejects (an unescaped '?') can then only match exactly.
    if (validate_resource(pattern)) return false;
    return resource_matches(pattern, resource, resource_syntax::glob);
}

}  // namespace

device_groups device_groups::from_configuration(const nlohmann::json& value) {
    device_groups out;
    if (value.is_null()) return out;
    const std::string root = "deviceGroups";
    object_at(value, root);
    if (const auto* version = member(value, "formatVersion")) {
        if (string_at(*version, root + ".formatVersion") != format_version) {
            throw std::invalid_argument(root + ".formatVersion must be \"" +
                                        std::string{format_version} + "\"");
        }
    }
    std::map<std::string, std::vector<permission>> policies;
    if (const auto* all = member(value, "policies")) {
        for (const auto& [policy_name, statements] : object_at(*all, root + ".policies").items()) {
            const std::string where = root + ".policies." + policy_name;
            auto& permissions = policies[policy_name];
            for (const auto& [statement_name, statement] : object_at(statements, where).items()) {
                const std::string at = where + "." + statement_name;
                object_at(statement, at);
                if (const auto* effect = member(statement, "effect")) {
                    if (string_at(*effect, at + ".effect") != "ALLOW") {
                        throw std::invalid_argument(at + ".effect must be ALLOW");
                    }
                }
                const auto operations = strings_at(member(statement, "operations"), at + ".operations");
                const auto resources = strings_at(member(statement, "resources"), at + ".resources");
                for (const auto& operation : operations) {
                    if (operation.empty()) continue;
                    for (const auto& resource : resources) {
                        if (resource.empty()) continue;
                        check_policy_variables(resource, at + ".resources");
                        permissions.push_back({operation, resource});
                    }
                }
            }
        }
    }
    if (const auto* definitions = member(value, "definitions")) {
        for (const auto& [group_name, definition] :
             object_at(*definitions, root + ".definitions").items()) {
            const std::string where = root + ".definitions." + group_name;
            object_at(definition, where);
            const auto* rule_text = member(definition, "selectionRule");
            const auto* policy_name = member(definition, "policyName");
            if (rule_text == nullptr) throw std::invalid_argument(where + " needs a selectionRule");
            if (policy_name == nullptr) throw std::invalid_argument(where + " needs a policyName");
            const auto rule = string_at(*rule_text, where + ".selectionRule");
            const auto policy = string_at(*policy_name, where + ".policyName");
            const auto found = policies.find(policy);
            if (found == policies.end()) {
                throw std::invalid_argument(where + ": Policy definition " + policy +
                                            " does not have a corresponding policy");
            }
            try {
                out.groups_.push_back({group_name, selection_rule{rule}, found->second});
            } catch (const std::invalid_argument& e) {
                throw std::invalid_argument(where + ".selectionRule \"" + rule + "\": " + e.what());
            }
        }
    }
    return out;
}

device_decision device_groups::authorize(std::string_view thing_name, std::string_view operation,
                                         std::string_view resource) const {
    const auto op_service = operation_service(operation);
    const auto rsc_service = resource_service(resource);
    if (!op_service || !rsc_service) return device_decision::denied;
    if (*op_service != *rsc_service) return device_decision::service_mismatch;
    const std::string any_action = std::string{*op_service} + ":*";
    for (const auto& g : groups_) {
        if (!g.rule.selects(thing_name)) continue;
        for (const auto& p : g.permissions) {
            if (p.operation != operation && p.operation != any_action && p.operation != "*") continue;
            if (resource_allowed(substitute_thing_name(p.resource, thing_name), resource)) {
                return device_decision::allowed;
            }
        }
    }
    return device_decision::denied;
}

}  // namespace standin::server::clientdevices
