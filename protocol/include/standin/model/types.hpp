// SPDX-License-Identifier: Apache-2.0
// The member vocabulary of the Greengrass IPC model (protocol.md §5) and how each kind travels:
//
//   Smithy            C++ member                         JSON
//   String            std::optional<std::string>         string
//   Boolean           std::optional<bool>                true / false
//   Long / Integer    std::optional<std::int64_t/int32>  integer
//   Double            std::optional<double>              number
//   Blob              std::optional<blob>                base64 string, padded
//   Timestamp         std::optional<timestamp>           number of epoch seconds
//   Document          std::optional<nlohmann::json>      an object, embedded as is
//   List / Map        std::optional<std::vector<T>> / std::optional<std::map<std::string, T>>
//   Enum              wire_enum<E> (optional by itself)  string
//   Structure, union  std::optional<shape>               object
//
// Shapes are plain aggregates: members spelled as the JSON keys, in the JS SDK model's order, each
// with `{}` so that designated initializers may skip members without GCC 12's
// -Wmissing-field-initializers. Each shape carries `shape_id` ("aws.greengrass#<Shape>"); unions also
// carry `is_union = true`. BOOST_DESCRIBE_STRUCT after each shape feeds the one generic mapping
// (codec.hpp) and `==`.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include <boost/describe/class.hpp>
#include <boost/describe/enum.hpp>
#include <boost/describe/operators.hpp>
#include <nlohmann/json.hpp>

namespace standin::model {

// Smithy blob: raw bytes. Base64 with padding on the wire.
struct blob {
    std::string bytes;

    friend bool operator==(const blob&, const blob&) = default;
};

// Smithy timestamp: seconds since the Unix epoch, with a fraction. A JSON number on the wire, though the
// model's docs say milliseconds (protocol.md §5).
struct timestamp {
    double seconds = 0;

    friend bool operator==(const timestamp&, const timestamp&) = default;
};

// GetConfiguration, UpdateConfiguration and friends address configuration by a list of keys.
using key_path = std::vector<std::string>;

// The wire value of every enumerator of enum E. Specialized next to each enum as
//   template <> struct enum_traits<E> {
//       static constexpr std::string_view shape_id = "aws.greengrass#<Enum>";
//       static constexpr std::array<std::pair<E, std::string_view>, N> values{{...}};
//   };
// together with BOOST_DESCRIBE_ENUM(E, ...), which the mapping uses to check that no enumerator is
// missing from `values`.
template <class E>
struct enum_traits;

// The wire text of a known value.
template <class E>
constexpr std::string_view to_wire(E value) noexcept {
    for (const auto& [e, text] : enum_traits<E>::values) {
        if (e == value) return text;
    }
    return {};
}

// The value whose wire text is exactly `text` (case-sensitive, as the Java model's get()), or nullopt.
template <class E>
constexpr std::optional<E> from_wire(std::string_view text) noexcept {
    for (const auto& [e, wire] : enum_traits<E>::values) {
        if (wire == text) return e;
    }
    return std::nullopt;
}

// An enum member as the Java nucleus holds it: the wire text, with the typed value when the text is
// one of E's. Three states: absent, a known value, or an unknown text (a newer client, a typo).
//
// The std::optional-like part (has_value, operator*, value_or) is the *typed* view, which is empty for
// unknown text, like the Java model's getQos() returning null; present() and text() are the raw view,
// like getQosAsString(). So a handler reads
//   if (!r.qos.present()) return invalid("QoS is required");
//   if (!r.qos) return invalid("Invalid QoS value: " + std::string{*r.qos.text()});
// Assigning an E (`r.qos = qos::at_least_once;`) makes it known. This is the one member kind not
// wrapped in std::optional: it is optional by itself.
template <class E>
class wire_enum {
public:
    constexpr wire_enum() noexcept = default;
    constexpr wire_enum(std::nullopt_t) noexcept {}
    constexpr wire_enum(E value) noexcept : value_(value) {}

    // `text` as received: known when it is one of E's wire values, else kept as unknown text.
    static wire_enum from_text(std::string_view text) {
        wire_enum out;
        if (const auto known = from_wire<E>(text)) {
            out.value_ = *known;
        } else {
            out.value_ = std::string{text};
        }
        return out;
    }

    // On the wire at all, known or not.
    bool present() const noexcept { return !std::holds_alternative<std::monostate>(value_); }
    // The wire text; nullopt when absent. The view is valid while *this is alive and unchanged.
    std::optional<std::string_view> text() const noexcept {
        if (const auto* e = std::get_if<E>(&value_)) return to_wire(*e);
        if (const auto* s = std::get_if<std::string>(&value_)) return std::string_view{*s};
        return std::nullopt;
    }
    // The typed value; nullopt when absent or unknown.
    std::optional<E> known() const noexcept {
        if (const auto* e = std::get_if<E>(&value_)) return *e;
        return std::nullopt;
    }

    bool has_value() const noexcept { return std::holds_alternative<E>(value_); }
    explicit operator bool() const noexcept { return has_value(); }
    // Precondition: has_value().
    E operator*() const noexcept { return *std::get_if<E>(&value_); }
    // Throws std::bad_optional_access when absent or unknown.
    E value() const {
        if (!has_value()) throw std::bad_optional_access{};
        return **this;
    }
    E value_or(E fallback) const noexcept { return has_value() ? **this : fallback; }

    friend bool operator==(const wire_enum&, const wire_enum&) = default;
    friend bool operator==(const wire_enum& a, E b) noexcept { return a.known() == b; }

private:
    std::variant<std::monostate, E, std::string> value_;
};

// A Smithy union: at most one member may be set (protocol.md §5).
template <class T>
concept union_shape = requires {
    requires T::is_union;
};

// `a == b` for every described shape, member by member.
using boost::describe::operators::operator==;

}  // namespace standin::model
