// SPDX-License-Identifier: Apache-2.0
#include "standin/model/json_read.hpp"

#include "standin/model/base64.hpp"

namespace standin::model {

namespace {

[[noreturn]] void wrong_type(std::string_view key, std::string_view expected) {
    throw deserialize_error("member '" + std::string{key} + "' is not " + std::string{expected});
}

}  // namespace

const nlohmann::json* member(const nlohmann::json& object, std::string_view key) {
    const auto it = object.find(key);
    if (it == object.end() || it->is_null()) return nullptr;
    return &*it;
}

std::optional<std::string> read_string(const nlohmann::json& object, std::string_view key) {
    const auto* value = member(object, key);
    if (value == nullptr) return std::nullopt;
    if (value->is_string()) return value->get<std::string>();
    // Gson's String adapter reads numbers and booleans as their text.
    if (value->is_number() || value->is_boolean()) return value->dump();
    wrong_type(key, "a string");
}

const nlohmann::json* read_structure(const nlohmann::json& object, std::string_view key) {
    const auto* value = member(object, key);
    if (value != nullptr && !value->is_object()) wrong_type(key, "an object");
    return value;
}

std::optional<nlohmann::json> read_document(const nlohmann::json& object, std::string_view key) {
    const auto* value = read_structure(object, key);
    if (value == nullptr) return std::nullopt;
    return *value;
}

std::optional<std::string> read_blob(const nlohmann::json& object, std::string_view key) {
    const auto* value = member(object, key);
    if (value == nullptr) return std::nullopt;
    if (!value->is_string()) wrong_type(key, "a base64 string");
    auto bytes = base64_decode(value->get_ref<const std::string&>());
    if (!bytes) wrong_type(key, "valid base64");
    return bytes;
}

nlohmann::json parse_request_payload(std::string_view payload) {
    return decode_request_payload(payload).value();
}

void check_union(const nlohmann::json& object, std::string_view shape,
                 std::initializer_list<std::string_view> members) {
    int set = 0;
    for (auto name : members) {
        if (member(object, name) != nullptr) ++set;
    }
    if (set > 1)
        throw deserialize_error("More than one union member set for type: " + std::string{shape});
}

}  // namespace standin::model
