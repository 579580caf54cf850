// SPDX-License-Identifier: Apache-2.0
// YAML 1.2 core schema, as applied to plain scalars (tag "?") and explicit core tags:
//   null   ~  null  Null  NULL  (empty)           -> null
//   bool   true  True  TRUE  false  False  FALSE  -> true / false
//   int    [-+]?[0-9]+   0o[0-7]+   0x[0-9a-fA-F]+ -> integer (int64, else uint64)
//   float  [-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)? -> double
// Anything else, and any number JSON cannot hold (.inf, .nan, 1e999, 0x10000000000000000),
// stays the text as written; so does every quoted, block or !!str scalar.
#include "util/yaml_json.hpp"

#include <algorithm>
#include <charconv>
#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <system_error>
#include <type_traits>
#include <utility>

#include <yaml-cpp/yaml.h>

#include "standin/protocol/message.hpp"
#include "util/ascii.hpp"

namespace standin::server {
namespace {

// Our choice: enough for any sane document, small enough that a self-referencing or
// exponentially aliased YAML file fails fast instead of exhausting the stack or memory.
constexpr int max_yaml_depth = 256;
constexpr std::size_t max_yaml_nodes = 1'000'000;

using ascii::is_digit;

std::size_t count_digits(std::string_view s, std::size_t from) {
    std::size_t n = 0;
    while (from + n < s.size() && is_digit(s[from + n])) {
        ++n;
    }
    return n;
}

bool is_core_float(std::string_view s) {
    std::size_t i = (!s.empty() && (s[0] == '+' || s[0] == '-')) ? 1 : 0;
    const std::size_t whole = count_digits(s, i);
    i += whole;
    std::size_t fraction = 0;
    if (i < s.size() && s[i] == '.') {
        fraction = count_digits(s, ++i);
        i += fraction;
    }
    if (whole == 0 && fraction == 0) {
        return false;
    }
    if (i < s.size() && (s[i] == 'e' || s[i] == 'E')) {
        ++i;
        if (i < s.size() && (s[i] == '+' || s[i] == '-')) {
            ++i;
        }
        const std::size_t exponent = count_digits(s, i);
        if (exponent == 0) {
            return false;
        }
        i += exponent;
    }
    return i == s.size();
}

template <class T>
std::optional<T> parse_number(std::string_view digits, int base = 10) {
    T value{};
    const char* const last = digits.data() + digits.size();
    std::from_chars_result result;
    if constexpr (std::is_floating_point_v<T>) {
        result = std::from_chars(digits.data(), last, value);
    } else {
        result = std::from_chars(digits.data(), last, value, base);
    }
    if (result.ec != std::errc{} || result.ptr != last) {
        return std::nullopt;
    }
    return value;
}

// The value a plain scalar stands for, or nullopt when it is just a string (or a number that
// JSON cannot hold).
std::optional<nlohmann::json> resolve_plain(std::string_view s) {
    if (s.empty() || s == "~" || s == "null" || s == "Null" || s == "NULL") {
        return nlohmann::json(nullptr);
    }
    if (s == "true" || s == "True" || s == "TRUE") {
        return nlohmann::json(true);
    }
    if (s == "false" || s == "False" || s == "FALSE") {
        return nlohmann::json(false);
    }
    if (s.size() > 2 && s[0] == '0' && (s[1] == 'o' || s[1] == 'x')) {
        if (auto v = parse_number<std::uint64_t>(s.substr(2), s[1] == 'o' ? 8 : 16)) {
            if (*v <= static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max())) {
                return nlohmann::json(static_cast<std::int64_t>(*v));  // same JSON type as decimals
            }
            return nlohmann::json(*v);
        }
        return std::nullopt;
    }
    const std::string_view unsigned_part = (s[0] == '+') ? s.substr(1) : s;
    const std::size_t sign = (s[0] == '+' || s[0] == '-') ? 1 : 0;
    if (sign < s.size() && count_digits(s, sign) == s.size() - sign) {
        if (auto v = parse_number<std::int64_t>(unsigned_part)) {
            return nlohmann::json(*v);
        }
        if (auto u = parse_number<std::uint64_t>(unsigned_part)) {
            return nlohmann::json(*u);
        }
        return std::nullopt;
    }
    if (is_core_float(s)) {
        // from_chars reports out_of_range for 1e999, so it stays a string like .inf does.
        if (auto d = parse_number<double>(unsigned_part)) {
            return nlohmann::json(*d);
        }
    }
    return std::nullopt;
}

struct yaml_converter {
    std::size_t nodes = 0;

    [[noreturn]] static void fail(const YAML::Node& at, const std::string& problem) {
        const auto [line, column] = yaml_position(at);
        throw source_error({}, line, column, problem);
    }

    nlohmann::json convert(const YAML::Node& node, int depth) {
        if (depth > max_yaml_depth) {
            fail(node, "nesting deeper than " + std::to_string(max_yaml_depth) + " levels");
        }
        if (++nodes > max_yaml_nodes) {
            fail(node, "document expands to more than " + std::to_string(max_yaml_nodes) + " nodes");
        }
        switch (node.Type()) {
            case YAML::NodeType::Scalar:
                return scalar(node);
            case YAML::NodeType::Sequence: {
                nlohmann::json out = nlohmann::json::array();
                for (const auto& item : node) {
                    out.push_back(convert(item, depth + 1));
                }
                return out;
            }
            case YAML::NodeType::Map: {
                nlohmann::json out = nlohmann::json::object();
                for (const auto& entry : node) {
                    const auto key = yaml_key_text(entry.first);
                    if (!key) {
                        fail(entry.first, "a mapping key must be a plain value, not a list or map");
                    }
                    out[*key] = convert(entry.second, depth + 1);
                }
                return out;
            }
            case YAML::NodeType::Null:
            case YAML::NodeType::Undefined:
                break;
        }
        return nullptr;
    }

    static nlohmann::json scalar(const YAML::Node& node) {
        const std::string& tag = node.Tag();
        // "?" marks a plain scalar; quoted and block scalars carry "!". Core-schema tags ask for
        // resolution explicitly; any other tag keeps the text.
        constexpr std::string_view core = "tag:yaml.org,2002:";
        const bool resolve = tag == "?" || (tag.starts_with(core) && tag != "tag:yaml.org,2002:str");
        if (resolve) {
            if (auto value = resolve_plain(node.Scalar())) {
                return *std::move(value);
            }
        }
        return node.Scalar();
    }
};

// Syntax-only JSON pass over the whole text, building nothing.
struct json_syntax_checker final : nlohmann::json_sax<nlohmann::json> {
    std::optional<std::string> error;
    std::size_t offset = 0;  // characters read when the error was found

    bool null() override { return true; }
    bool boolean(bool) override { return true; }
    bool number_integer(number_integer_t) override { return true; }
    bool number_unsigned(number_unsigned_t) override { return true; }
    bool number_float(number_float_t, const string_t&) override { return true; }
    bool string(string_t&) override { return true; }
    bool binary(binary_t&) override { return true; }
    bool start_object(std::size_t) override { return true; }
    bool key(string_t&) override { return true; }
    bool end_object() override { return true; }
    bool start_array(std::size_t) override { return true; }
    bool end_array() override { return true; }
    bool parse_error(std::size_t position, const std::string&,
                     const nlohmann::detail::exception& e) override {
        if (e.id == 406) {
            // A number too large for a double also stops nlohmann's parser. That is no syntax error,
            // so the check ends inconclusive and yaml-cpp (which keeps such numbers as text) decides.
            return false;
        }
        offset = position;
        std::string message = e.what();
        // Drop nlohmann's "[json.exception.parse_error.101] parse error at line 1, column 2: " prefix.
        const auto colon = message.find(": ");
        error = colon == std::string::npos ? message : message.substr(colon + 2);
        return false;
    }
};

}  // namespace

std::pair<int, int> yaml_position(const YAML::Node& node) {
    const YAML::Mark mark = node.Mark();
    if (mark.is_null() || mark.line < 0) {
        return {0, 0};
    }
    return {mark.line + 1, mark.column + 1};
}

std::optional<std::string> yaml_key_text(const YAML::Node& key) {
    if (key.IsScalar()) {
        return key.Scalar();
    }
    if (key.IsNull()) {
        return std::string("null");
    }
    return std::nullopt;
}

YAML::Node load_yaml_document(std::string_view text, const std::filesystem::path& file) {
    if (protocol::ascii_iequals(file.extension().string(), ".json")) {
        json_syntax_checker checker;
        nlohmann::json::sax_parse(text, &checker);
        if (checker.error) {
            const std::size_t offset =
                std::min(checker.offset > 0 ? checker.offset - 1 : 0, text.size());
            const std::string_view before = text.substr(0, offset);
            const auto line = std::count(before.begin(), before.end(), '\n') + 1;
            const auto line_start = before.rfind('\n');
            const auto column = offset - (line_start == std::string_view::npos ? 0 : line_start + 1) + 1;
            throw source_error(file, static_cast<int>(line), static_cast<int>(column),
                               "JSON syntax error: " + *checker.error);
        }
    }
    try {
        return YAML::Load(std::string(text));
    } catch (const YAML::Exception& e) {
        const bool known = !e.mark.is_null() && e.mark.line >= 0;
        throw source_error(file, known ? e.mark.line + 1 : 0, known ? e.mark.column + 1 : 0,
                           "syntax error: " + e.msg);
    }
}

nlohmann::json yaml_to_json(const YAML::Node& node) {
    return yaml_converter{}.convert(node, 0);
}

}  // namespace standin::server
