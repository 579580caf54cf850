// SPDX-License-Identifier: Apache-2.0
// Transitional: member-by-member readers from before the generic mapping (codec.hpp), kept until the
// code that calls them has moved to decode<T>; new code should not use them.
//
// Reading request members the way the Java nucleus's Gson model does: absent and null are the
// same, strings accept JSON numbers and booleans, anything else of the wrong type fails the whole
// request (which the dispatcher answers with the non-modeled InternalServerError).
#pragma once

#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "standin/model/codec.hpp"  // deserialize_error

namespace standin::model {

// Member `key` of `object` when present and not null, else nullptr. Precondition: object.is_object().
const nlohmann::json* member(const nlohmann::json& object, std::string_view key);

std::optional<std::string> read_string(const nlohmann::json& object, std::string_view key);
// A nested structure: must be a JSON object when present.
const nlohmann::json* read_structure(const nlohmann::json& object, std::string_view key);
// A Smithy document typed Map<String,Object> by the nucleus: must be a JSON object when present.
std::optional<nlohmann::json> read_document(const nlohmann::json& object, std::string_view key);
// A blob: base64 text, decoded.
std::optional<std::string> read_blob(const nlohmann::json& object, std::string_view key);

// decode_request_payload(payload).value(): throws deserialize_error.
nlohmann::json parse_request_payload(std::string_view payload);

// A union with more than one member set fails deserialization, as in the Java model.
void check_union(const nlohmann::json& object, std::string_view shape,
                 std::initializer_list<std::string_view> members);

}  // namespace standin::model
