// SPDX-License-Identifier: Apache-2.0
#include "standin/model/codec.hpp"

#include <charconv>
#include <cmath>
#include <cstring>
#include <limits>
#include <system_error>
#include <utility>

#include "standin/model/base64.hpp"
#include "standin/model/detail/mapping.hpp"

namespace standin::model {

namespace {

using value_t = nlohmann::json::value_t;

// Java's Double.parseDouble ignores surrounding whitespace and takes a leading '+'; Gson's quoted
// numbers go through it (and Long.parseLong, whose results agree with it for integers).
std::string_view trim_java(std::string_view text) {
    while (!text.empty() && static_cast<unsigned char>(text.front()) <= ' ')
        text.remove_prefix(1);
    while (!text.empty() && static_cast<unsigned char>(text.back()) <= ' ')
        text.remove_suffix(1);
    if (text.size() > 1 && text.front() == '+' && text[1] != '-' && text[1] != '+')
        text.remove_prefix(1);
    return text;
}

std::optional<double> parse_double(std::string_view text) {
    text = trim_java(text);
    double value = 0;
    const auto* end = text.data() + text.size();
    const auto [ptr, ec] = std::from_chars(text.data(), end, value);
    // NaN and infinities are refused: encoding could not write them back as numbers.
    if (ec != std::errc{} || ptr != end || !std::isfinite(value)) return std::nullopt;
    return value;
}

// Gson's nextLong() on a double: only when the value is exactly integral.
std::optional<std::int64_t> exact_integer(double value) {
    constexpr double limit = 9223372036854775808.0;  // 2^63
    if (!(value >= -limit && value < limit)) return std::nullopt;
    const auto integer = static_cast<std::int64_t>(value);
    if (static_cast<double>(integer) != value) return std::nullopt;
    return integer;
}

// The text Gson's String adapter reads from a primitive; nullopt for objects and arrays.
std::optional<std::string> primitive_text(const nlohmann::json& in) {
    switch (in.type()) {
        case value_t::string:
            return in.get_ref<const std::string&>();
        case value_t::boolean:
            return std::string{in.get<bool>() ? "true" : "false"};
        case value_t::number_integer:
        case value_t::number_unsigned:
        case value_t::number_float:
            return in.dump();
        default:
            return std::nullopt;
    }
}

enum class integer_problem { none, not_integer, out_of_range };

integer_problem read_integer(const nlohmann::json& in, std::int64_t& out) {
    switch (in.type()) {
        case value_t::number_integer:
            out = in.get<std::int64_t>();
            return integer_problem::none;
        case value_t::number_unsigned: {
            const auto value = in.get<std::uint64_t>();
            if (value > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max()))
                return integer_problem::out_of_range;
            out = static_cast<std::int64_t>(value);
            return integer_problem::none;
        }
        case value_t::number_float: {
            const auto value = in.get<double>();
            if (std::trunc(value) != value) return integer_problem::not_integer;
            const auto integer = exact_integer(value);
            if (!integer) return integer_problem::out_of_range;
            out = *integer;
            return integer_problem::none;
        }
        case value_t::string: {
            const auto text = trim_java(in.get_ref<const std::string&>());
            const auto* end = text.data() + text.size();
            const auto [ptr, ec] = std::from_chars(text.data(), end, out);
            if (ec == std::errc{} && ptr == end) return integer_problem::none;
            if (ec == std::errc::result_out_of_range && ptr == end) return integer_problem::out_of_range;
            const auto value = parse_double(text);
            if (!value || std::trunc(*value) != *value) return integer_problem::not_integer;
            const auto integer = exact_integer(*value);
            if (!integer) return integer_problem::out_of_range;
            out = *integer;
            return integer_problem::none;
        }
        default:
            return integer_problem::not_integer;
    }
}

std::optional<double> read_number(const nlohmann::json& in) {
    if (in.is_number()) {
        // The parser refuses overflowing literals; a json built in code might still hold an infinity.
        const auto value = in.get<double>();
        if (!std::isfinite(value)) return std::nullopt;
        return value;
    }
    if (in.is_string()) return parse_double(in.get_ref<const std::string&>());
    return std::nullopt;
}

// Counts brackets outside strings; malformed text is left for the parser to refuse. The inside of a
// string, most of a large message's bytes, is crossed with memchr from quote to quote.
bool nesting_within(std::string_view text, int limit) {
    int depth = 0;
    for (std::size_t at = 0; at < text.size(); ++at) {
        const char c = text[at];
        if (c == '"') {
            const std::size_t opened = at;
            while (true) {
                const void* quote = std::memchr(text.data() + at + 1, '"', text.size() - at - 1);
                if (quote == nullptr) return true;  // unterminated: the parser says so
                at = static_cast<std::size_t>(static_cast<const char*>(quote) - text.data());
                // The quote closes the string unless an odd run of backslashes escapes it.
                std::size_t backslashes = 0;
                while (at - backslashes - 1 > opened && text[at - backslashes - 1] == '\\')
                    ++backslashes;
                if (backslashes % 2 == 0) break;
            }
        } else if (c == '{' || c == '[') {
            if (++depth > limit) return false;
        } else if (c == '}' || c == ']') {
            --depth;
        }
    }
    return true;
}

void prefix(decode_error& error, std::string step) {
    if (error.path.empty()) {
        error.path = std::move(step);
    } else if (error.path.front() == '[') {
        error.path = std::move(step) + error.path;
    } else {
        error.path = std::move(step) + "." + error.path;
    }
}

}  // namespace

decode_result<nlohmann::json> decode_request_payload(std::string_view payload) {
    using result = decode_result<nlohmann::json>;
    if (payload.empty()) return result{boost::system::in_place_value, nlohmann::json::object()};
    if (!nesting_within(payload, max_payload_depth)) {
        return result{boost::system::in_place_error,
                      decode_error{"", "payload nests deeper than " + std::to_string(max_payload_depth) +
                                           " levels"}};
    }
    auto parsed = nlohmann::json::parse(payload, nullptr, /*allow_exceptions=*/false);
    if (parsed.is_discarded()) {
        return result{boost::system::in_place_error, decode_error{"", "payload is not valid JSON"}};
    }
    if (!parsed.is_object()) {
        return result{boost::system::in_place_error, decode_error{"", "payload is not a JSON object"}};
    }
    return result{boost::system::in_place_value, std::move(parsed)};
}

void throw_exception_from_error(const decode_error& error, const boost::source_location&) {
    throw deserialize_error(error.message());
}

namespace detail {

bool fail(decode_error& error, std::string problem) {
    error.path.clear();
    error.problem = std::move(problem);
    return false;
}

void prefix_member(decode_error& error, std::string_view name) {
    prefix(error, std::string{name});
}

void prefix_index(decode_error& error, std::size_t index) {
    prefix(error, "[" + std::to_string(index) + "]");
}

void prefix_key(decode_error& error, std::string_view key) {
    prefix(
        error,
        "[" + nlohmann::json(key).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) + "]");
}

bool read_scalar(const nlohmann::json& in, std::string& out, decode_error& error) {
    auto text = primitive_text(in);
    if (!text) return fail(error, "expected a string");
    out = std::move(*text);
    return true;
}

bool read_scalar(const nlohmann::json& in, bool& out, decode_error& error) {
    if (in.is_boolean()) {
        out = in.get<bool>();
        return true;
    }
    if (in.is_string()) {
        // Gson's Boolean adapter: Boolean.parseBoolean, so any other string is false.
        const auto& text = in.get_ref<const std::string&>();
        out = text.size() == 4 && (text[0] | 0x20) == 't' && (text[1] | 0x20) == 'r' &&
              (text[2] | 0x20) == 'u' && (text[3] | 0x20) == 'e';
        return true;
    }
    return fail(error, "expected a boolean");
}

bool read_scalar(const nlohmann::json& in, std::int64_t& out, decode_error& error) {
    switch (read_integer(in, out)) {
        case integer_problem::none:
            return true;
        case integer_problem::out_of_range:
            return fail(error, "integer out of range");
        case integer_problem::not_integer:
            break;
    }
    return fail(error, "expected an integer");
}

bool read_scalar(const nlohmann::json& in, std::int32_t& out, decode_error& error) {
    std::int64_t wide = 0;
    if (!read_scalar(in, wide, error)) return false;
    if (wide < std::numeric_limits<std::int32_t>::min() ||
        wide > std::numeric_limits<std::int32_t>::max())
        return fail(error, "integer out of range");
    out = static_cast<std::int32_t>(wide);
    return true;
}

bool read_scalar(const nlohmann::json& in, double& out, decode_error& error) {
    const auto value = read_number(in);
    if (!value) return fail(error, "expected a number");
    out = *value;
    return true;
}

bool read_scalar(const nlohmann::json& in, blob& out, decode_error& error) {
    // The Java deserializer decodes json.getAsString(), which a number or boolean also answers.
    const auto text = primitive_text(in);
    if (!text) return fail(error, "expected a base64 string");
    auto bytes = base64_decode(*text);
    if (!bytes) return fail(error, "invalid base64");
    out.bytes = std::move(*bytes);
    return true;
}

bool read_scalar(const nlohmann::json& in, timestamp& out, decode_error& error) {
    // The Java deserializer calls json.getAsDouble(), which also parses a string.
    const auto value = read_number(in);
    if (!value) return fail(error, "expected a number of epoch seconds");
    out.seconds = *value;
    return true;
}

bool read_scalar(const nlohmann::json& in, nlohmann::json& out, decode_error& error) {
    // The Java model types documents Map<String, Object>.
    if (!in.is_object()) return fail(error, "expected an object");
    out = in;
    return true;
}

bool read_scalar(nlohmann::json& in, nlohmann::json& out, decode_error& error) {
    if (!in.is_object()) return fail(error, "expected an object");
    out = std::move(in);
    return true;
}

bool read_scalar(nlohmann::json& in, std::string& out, decode_error& error) {
    if (!in.is_string()) return read_scalar(std::as_const(in), out, error);  // its error
    out = std::move(in.get_ref<std::string&>());
    return true;
}

void write_scalar(nlohmann::ordered_json& out, const std::string& value) {
    out = value;
}

void write_scalar(nlohmann::ordered_json& out, bool value) {
    out = value;
}

void write_scalar(nlohmann::ordered_json& out, std::int64_t value) {
    out = value;
}

void write_scalar(nlohmann::ordered_json& out, std::int32_t value) {
    out = value;
}

void write_scalar(nlohmann::ordered_json& out, double value) {
    // nlohmann would write a non-finite double as null, which no client accepts.
    out = std::isfinite(value) ? value : 0.0;
}

void write_scalar(nlohmann::ordered_json& out, const blob& value) {
    out = base64_encode(value.bytes);
}

void write_scalar(nlohmann::ordered_json& out, const timestamp& value) {
    write_scalar(out, value.seconds);
}

void write_scalar(nlohmann::ordered_json& out, const nlohmann::json& value) {
    out = nlohmann::ordered_json(value);
}

}  // namespace detail

}  // namespace standin::model
