// SPDX-License-Identifier: Apache-2.0
// The generic mapping behind codec.hpp, over the Boost.Describe description of each shape. Include it
// only where shapes are instantiated (STANDIN_MODEL_INSTANTIATE, in the service's .cpp) or tested.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

#include <boost/describe/enumerators.hpp>
#include <boost/describe/members.hpp>
#include <boost/mp11/algorithm.hpp>
#include <nlohmann/json.hpp>

#include "standin/model/codec.hpp"
#include "standin/model/types.hpp"

namespace standin::model::detail {

// Sets error.problem; always false, so a reader can `return fail(...)`.
bool fail(decode_error& error, std::string problem);
// Prepend one step to error.path while an error unwinds: `name`, `[index]`, `["key"]`.
void prefix_member(decode_error& error, std::string_view name);
void prefix_index(decode_error& error, std::size_t index);
void prefix_key(decode_error& error, std::string_view key);

// Leaf kinds (codec.cpp). Each takes a non-null value and returns false with `error` set on a mismatch.
bool read_scalar(const nlohmann::json& in, std::string& out, decode_error& error);
bool read_scalar(const nlohmann::json& in, bool& out, decode_error& error);
bool read_scalar(const nlohmann::json& in, std::int64_t& out, decode_error& error);
bool read_scalar(const nlohmann::json& in, std::int32_t& out, decode_error& error);
bool read_scalar(const nlohmann::json& in, double& out, decode_error& error);
bool read_scalar(const nlohmann::json& in, blob& out, decode_error& error);
bool read_scalar(const nlohmann::json& in, timestamp& out, decode_error& error);
bool read_scalar(const nlohmann::json& in, nlohmann::json& out, decode_error& error);  // a document
// From a body being consumed (decode(json&&)): the text or document is moved out, not copied.
bool read_scalar(nlohmann::json& in, std::string& out, decode_error& error);
bool read_scalar(nlohmann::json& in, nlohmann::json& out, decode_error& error);

void write_scalar(nlohmann::ordered_json& out, const std::string& value);
void write_scalar(nlohmann::ordered_json& out, bool value);
void write_scalar(nlohmann::ordered_json& out, std::int64_t value);
void write_scalar(nlohmann::ordered_json& out, std::int32_t value);
void write_scalar(nlohmann::ordered_json& out, double value);
void write_scalar(nlohmann::ordered_json& out, const blob& value);
void write_scalar(nlohmann::ordered_json& out, const timestamp& value);
void write_scalar(nlohmann::ordered_json& out, const nlohmann::json& value);

template <class T>
struct is_optional : std::false_type {};
template <class T>
struct is_optional<std::optional<T>> : std::true_type {};

template <class T>
struct is_vector : std::false_type {};
template <class T>
struct is_vector<std::vector<T>> : std::true_type {};

template <class T>
struct is_string_map : std::false_type {};
template <class T>
struct is_string_map<std::map<std::string, T>> : std::true_type {};

template <class T>
struct is_wire_enum : std::false_type {};
template <class E>
struct is_wire_enum<wire_enum<E>> : std::true_type {
    using enum_type = E;
};

template <class T>
inline constexpr bool is_shape = boost::describe::has_describe_members<T>::value;

// Every enumerator of E has a wire value, and no value is listed twice.
template <class E>
constexpr bool enum_table_complete() {
    using enumerators = boost::describe::describe_enumerators<E>;
    constexpr auto& values = enum_traits<E>::values;
    if (boost::mp11::mp_size<enumerators>::value != values.size()) return false;
    bool complete = true;
    boost::mp11::mp_for_each<enumerators>([&](auto enumerator) {
        int listed = 0;
        for (const auto& entry : values) {
            if (entry.first == enumerator.value) ++listed;
        }
        complete = complete && listed == 1;
    });
    return complete;
}

// A member counts as set when it goes on the wire; a document holding JSON null does not, so that
// encoding never writes `null`.
template <class M>
bool is_set(const M& member) {
    if constexpr (is_wire_enum<M>::value) {
        return member.present();
    } else if constexpr (std::is_same_v<M, std::optional<nlohmann::json>>) {
        return member.has_value() && !member->is_null();
    } else {
        return member.has_value();
    }
}

// `Json` is `const nlohmann::json` when decoding reads the body, `nlohmann::json` when it consumes it.
template <class Json, class T>
bool read_value(Json& in, T& out, decode_error& error);

template <class Json, class T>
bool read_shape(Json& in, T& out, decode_error& error) {
    if (!in.is_object()) return fail(error, "expected an object");
    bool ok = true;
    boost::mp11::mp_for_each<boost::describe::describe_members<T, boost::describe::mod_public>>(
        [&](auto member) {
            if (!ok) return;
            const auto it = in.find(std::string_view{member.name});
            if (it == in.end() || it->is_null()) return;
            if (!read_value(*it, out.*member.pointer, error)) {
                prefix_member(error, member.name);
                ok = false;
            }
        });
    if constexpr (union_shape<T>) {
        if (!ok) return false;
        int set = 0;
        boost::mp11::mp_for_each<boost::describe::describe_members<T, boost::describe::mod_public>>(
            [&](auto member) { set += is_set(out.*member.pointer) ? 1 : 0; });
        // The Java model's message, thrown from postFromJson.
        if (set > 1) {
            return fail(error, "More than one union member set for type: " + std::string{T::shape_id});
        }
    }
    return ok;
}

template <class Json, class T>
bool read_value(Json& in, T& out, decode_error& error) {
    if constexpr (is_optional<T>::value) {
        return read_value(in, out.emplace(), error);
    } else if constexpr (is_wire_enum<T>::value) {
        static_assert(enum_table_complete<typename is_wire_enum<T>::enum_type>(),
                      "enum_traits<E>::values must list every enumerator of E exactly once");
        std::string text;
        if (!read_scalar(in, text, error)) return false;
        out = T::from_text(text);
        return true;
    } else if constexpr (is_vector<T>::value) {
        if (!in.is_array()) return fail(error, "expected an array");
        out.clear();
        out.reserve(in.size());
        for (std::size_t i = 0; i < in.size(); ++i) {
            auto& element = in[i];
            // Gson would keep a null element; no handler wants one, so it is refused here.
            const bool ok = element.is_null() ? fail(error, "null element")
                                              : read_value(element, out.emplace_back(), error);
            if (!ok) {
                prefix_index(error, i);
                return false;
            }
        }
        return true;
    } else if constexpr (is_string_map<T>::value) {
        if (!in.is_object()) return fail(error, "expected an object");
        out.clear();
        for (auto&& [key, element] : in.items()) {
            const bool ok =
                element.is_null() ? fail(error, "null value") : read_value(element, out[key], error);
            if (!ok) {
                prefix_key(error, key);
                return false;
            }
        }
        return true;
    } else if constexpr (is_shape<T>) {
        return read_shape(in, out, error);
    } else {
        return read_scalar(in, out, error);
    }
}

// Precondition for optionals and enums: is_set(value).
template <class T>
void write_value(nlohmann::ordered_json& out, const T& value) {
    if constexpr (is_optional<T>::value) {
        write_value(out, *value);
    } else if constexpr (is_wire_enum<T>::value) {
        out = std::string{*value.text()};
    } else if constexpr (is_vector<T>::value) {
        out = nlohmann::ordered_json::array();
        for (const auto& element : value)
            write_value(out.emplace_back(), element);
    } else if constexpr (is_string_map<T>::value) {
        out = nlohmann::ordered_json::object();
        for (const auto& [key, element] : value)
            write_value(out[key], element);
    } else if constexpr (is_shape<T>) {
        out = nlohmann::ordered_json::object();
        boost::mp11::mp_for_each<boost::describe::describe_members<T, boost::describe::mod_public>>(
            [&](auto member) {
                const auto& field = value.*member.pointer;
                if (is_set(field)) write_value(out[member.name], field);
            });
    } else {
        write_scalar(out, value);
    }
}

}  // namespace standin::model::detail

namespace standin::model {

template <class T>
decode_result<T> decode(const nlohmann::json& body) {
    static_assert(detail::is_shape<T>, "decode<T>: T must be a described model shape");
    T out{};
    decode_error error;
    if (!detail::read_value(body, out, error)) return {boost::system::in_place_error, std::move(error)};
    return {boost::system::in_place_value, std::move(out)};
}

template <class T>
decode_result<T> decode(nlohmann::json&& body) {
    static_assert(detail::is_shape<T>, "decode<T>: T must be a described model shape");
    T out{};
    decode_error error;
    if (!detail::read_value(body, out, error)) return {boost::system::in_place_error, std::move(error)};
    return {boost::system::in_place_value, std::move(out)};
}

template <class T>
decode_result<T> decode_payload(std::string_view payload) {
    auto body = decode_request_payload(payload);
    if (!body) return {boost::system::in_place_error, std::move(body).error()};
    return decode<T>(std::move(*body));
}

template <class T>
nlohmann::ordered_json encode_json(const T& value) {
    static_assert(detail::is_shape<T>, "encode_json<T>: T must be a described model shape");
    nlohmann::ordered_json out;
    detail::write_value(out, value);
    return out;
}

template <class T>
std::string encode(const T& value) {
    return encode_json(value).dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
}

}  // namespace standin::model

// Instantiates the mapping for shape T; use inside namespace standin::model, once per shape.
#define STANDIN_MODEL_INSTANTIATE(T)                               \
    template decode_result<T> decode<T>(const nlohmann::json&);    \
    template decode_result<T> decode<T>(nlohmann::json &&);        \
    template decode_result<T> decode_payload<T>(std::string_view); \
    template nlohmann::ordered_json encode_json<T>(const T&);      \
    template std::string encode<T>(const T&)
