// SPDX-License-Identifier: Apache-2.0
// The one JSON mapping of every model shape (protocol.md §5), derived from the shapes' Boost.Describe
// descriptions. Decoding reads like the Java nucleus's Gson model:
//   - absent and null members are the same; unknown members are ignored;
//   - a string member also takes a JSON number or boolean, as its text; so does an enum or a blob;
//   - a boolean also takes a string ("true" in any case is true, any other string false);
//   - an integer takes an integral number, or a string holding one, within the member's range;
//     a double or a timestamp takes any finite number, or a string holding one;
//   - a blob is base64 (padding optional); a document must be an object;
//   - a list must be an array and a map an object, with no null elements;
//   - a union with more than one member set fails;
//   - anything else of the wrong type fails the whole body.
// Encoding writes members in declaration order, omits absent ones (never `null`, so also not a
// document holding null), blobs as padded base64, timestamps as numbers of seconds, enums as their
// wire text, documents as they are (keys sorted: nlohmann::json keeps no member order). A non-finite
// double, which decoding never produces, is written as 0.
//
// The templates are defined in detail/mapping.hpp and instantiated for every shape in the service's
// .cpp, so using them on a type that is not a model shape fails at link time.
#pragma once

#include <stdexcept>
#include <string>
#include <string_view>

#include <boost/assert/source_location.hpp>
#include <boost/system/result.hpp>
#include <nlohmann/json.hpp>

namespace standin::model {

// A body did not fit its shape, for callers that want an exception (decode_result<T>::value()).
struct deserialize_error : std::runtime_error {
    using std::runtime_error::runtime_error;
};

// Why a body does not fit its shape.
struct decode_error {
    std::string path;  // "publishMessage.jsonMessage.message", "keyPath[2]"; empty for the body itself
    std::string problem;  // "expected an object"

    // "<path>: <problem>", or the problem alone for the body itself.
    std::string message() const { return path.empty() ? problem : path + ": " + problem; }
};

template <class T>
using decode_result = boost::system::result<T, decode_error>;

// `body` as shape T. Precondition: none; a non-object body is an error.
template <class T>
decode_result<T> decode(const nlohmann::json& body);
// The same, consuming `body`: its strings and documents are moved into the result, not copied.
template <class T>
decode_result<T> decode(nlohmann::json&& body);

// The payload of a request or event frame as a JSON object. An empty payload reads as {}; text that is
// not JSON, JSON that is not an object, or nesting deeper than max_payload_depth is an error.
decode_result<nlohmann::json> decode_request_payload(std::string_view payload);

// decode_request_payload, then decode<T>.
template <class T>
decode_result<T> decode_payload(std::string_view payload);

// The JSON object of `value`, members in declaration order.
template <class T>
nlohmann::ordered_json encode_json(const T& value);

// encode_json(value) as compact text. Invalid UTF-8 in a string member is replaced by U+FFFD rather
// than thrown.
template <class T>
std::string encode(const T& value);

// Our choice: a request nested deeper than this is refused before anything recurses over it. Real
// configuration and shadow documents stay far below (shadows allow 6 levels).
inline constexpr int max_payload_depth = 256;

// decode_result<T>::value() on an error throws deserialize_error with the error's message().
[[noreturn]] void throw_exception_from_error(const decode_error& error,
                                             const boost::source_location& loc);

}  // namespace standin::model
