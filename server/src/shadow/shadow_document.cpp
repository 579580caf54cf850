// SPDX-License-Identifier: Apache-2.0
#include "shadow/shadow_document.hpp"

#include <cmath>
#include <sstream>
#include <vector>

namespace standin::server::local_shadow {

namespace {

const json* member(const json& j, std::string_view key) {
    if (!j.is_object()) return nullptr;
    const auto it = j.find(key);
    return it == j.end() ? nullptr : &*it;
}

// The plugin's isNullOrMissing: absent, null or an empty object.
bool missing(const json* j) {
    return j == nullptr || j->is_null() || (j->is_object() && j->empty());
}
bool missing(const json& j) {
    return missing(&j);
}

bool is_null_state_document(const json* node) {
    if (node == nullptr) return false;
    if (node->is_null()) return true;
    const json* state = member(*node, "state");
    return node->is_object() && state != nullptr && state->is_null();
}

bool is_empty_state_document(const json* node) {
    if (node == nullptr) return false;
    if (node->is_object() && node->empty()) return true;
    return is_empty_state_document(member(*node, "state"));
}

void clear_state(json& node) {
    if (!node.is_object()) return;
    if (const auto it = node.find("state"); it != node.end()) {
        clear_state(*it);
        return;
    }
    node = json::object();
}

// A new object from a patch, without its null members; nullopt when only nulls were there.
std::optional<json> merge_tree(const json& node) {
    json result = json::object();
    bool had_null = false;
    for (const auto& [key, value] : node.items()) {
        if (missing(value)) {
            had_null = true;
        } else if (value.is_object()) {
            if (auto child = merge_tree(value)) {
                result[key] = std::move(*child);
            } else {
                had_null = true;
            }
        } else {
            result[key] = value;
        }
    }
    if (had_null && result.empty()) return std::nullopt;
    return result;
}

void merge_objects(json& source, const json& patch) {
    for (const auto& [key, value] : patch.items()) {
        const json* original = member(source, key);
        if (missing(value)) {
            if (!missing(original)) source.erase(key);
            continue;
        }
        if (missing(original)) {
            if (value.is_object()) {
                if (auto child = merge_tree(value)) source[key] = std::move(*child);
            } else {
                source[key] = value;
            }
            continue;
        }
        if (original->is_object() && value.is_object()) {
            merge_objects(source[key], value);
            continue;
        }
        source[key] = value;
    }
}

void merge_section(json& source, const json& patch) {
    if (is_null_state_document(&patch)) {
        clear_state(source);
        return;
    }
    if (is_empty_state_document(&patch)) return;
    if (source.is_object() && patch.is_object()) {
        merge_objects(source, patch);
    } else {
        source = patch;
    }
}

json null_if_empty(json j) {
    return missing(j) ? json{} : std::move(j);
}

void update_section(json& section, const json& value) {
    if (missing(value)) {
        section = nullptr;
    } else if (section.is_null()) {
        section = value;
    } else {
        merge_section(section, value);
        section = null_if_empty(std::move(section));
    }
}

json metadata_patch(const json& source, std::int64_t now) {
    if (source.is_array()) {
        json result = json::array();
        for (const auto& element : source)
            result.push_back(metadata_patch(element, now));
        return result;
    }
    if (source.is_object()) {
        json result = json::object();
        for (const auto& [key, value] : source.items())
            result[key] = metadata_patch(value, now);
        return result;
    }
    return json{{"timestamp", now}};
}

// Jackson's node types: numbers are one type whatever their representation.
int node_type(const json& j) {
    if (j.is_number()) return 100;
    return static_cast<int>(j.type());
}

bool is_metadata_node(const json& node) {
    if (!node.is_object() || node.size() != 1) return false;
    const json* timestamp = member(node, "timestamp");
    return !missing(timestamp) && (timestamp->is_number_integer());
}

void merge_metadata_objects(const json& state, json& metadata, const json& patch) {
    for (const auto& [key, patch_field] : patch.items()) {
        const json* state_field = member(state, key);
        if (missing(state_field)) {
            if (metadata.is_object()) metadata.erase(key);
            continue;
        }
        if (patch_field.is_array()) {
            metadata[key] = patch_field;
            continue;
        }
        if (missing(member(metadata, key))) metadata[key] = patch_field;
        if (node_type(patch_field) != node_type(metadata[key])) metadata[key] = patch_field;
        if (is_metadata_node(patch_field)) {
            metadata[key] = patch_field;
            continue;
        }
        if (is_metadata_node(metadata[key])) {
            // The plugin then recurses into the node it just replaced, which changes nothing stored.
            metadata[key] = patch_field;
            continue;
        }
        if (patch_field.is_object() && state_field->is_object()) {
            merge_metadata_objects(*state_field, metadata[key], patch_field);
        }
    }
}

json merge_metadata(const json& state, const json& metadata, const json& patch) {
    if (missing(state)) return nullptr;
    json node = metadata.is_null() ? json::object() : metadata;
    if (state.is_object() && patch.is_object()) merge_metadata_objects(state, node, patch);
    return node;
}

json build_delta_metadata(const json& delta, const json* metadata) {
    if (delta.is_array()) {
        json result = json::array();
        for (std::size_t i = 0; i < delta.size(); ++i) {
            const json* child = metadata != nullptr && metadata->is_array() && i < metadata->size()
                                    ? &(*metadata)[i]
                                    : nullptr;
            result.push_back(build_delta_metadata(delta[i], child));
        }
        return result;
    }
    if (delta.is_object()) {
        json result = json::object();
        for (const auto& [key, value] : delta.items())
            result[key] = build_delta_metadata(value, metadata ? member(*metadata, key) : nullptr);
        return result;
    }
    return metadata != nullptr ? *metadata : json{};
}

// Jackson's JsonNode.equals: integers and floating-point numbers never equal each other.
bool strict_equal(const json& a, const json& b) {
    if (a.is_number_integer() && b.is_number_integer()) return a == b;
    if (a.is_number_float() && b.is_number_float()) return a == b;
    if (a.is_number() || b.is_number()) return false;
    if (a.type() != b.type()) return false;
    if (a.is_array()) {
        if (a.size() != b.size()) return false;
        for (std::size_t i = 0; i < a.size(); ++i) {
            if (!strict_equal(a[i], b[i])) return false;
        }
        return true;
    }
    if (a.is_object()) {
        if (a.size() != b.size()) return false;
        for (const auto& [key, value] : a.items()) {
            const json* other = member(b, key);
            if (other == nullptr || !strict_equal(value, *other)) return false;
        }
        return true;
    }
    return a == b;
}

std::int64_t as_long(const json& n) {
    if (n.is_number_float()) {
        const double d = n.get<double>();
        if (!std::isfinite(d)) return 0;
        if (d >= 9.2e18) return INT64_MAX;
        if (d <= -9.2e18) return INT64_MIN;
        return static_cast<std::int64_t>(d);
    }
    if (n.is_number_unsigned()) return static_cast<std::int64_t>(n.get<std::uint64_t>());
    return n.get<std::int64_t>();
}

// networknt's type names.
std::string type_name(const json& j) {
    switch (j.type()) {
        case json::value_t::object:
            return "object";
        case json::value_t::array:
            return "array";
        case json::value_t::string:
            return "string";
        case json::value_t::boolean:
            return "boolean";
        case json::value_t::number_integer:
        case json::value_t::number_unsigned:
            return "integer";
        case json::value_t::number_float:
            return "number";
        default:
            return "null";
    }
}

std::size_t code_points(const std::string& s) {
    std::size_t n = 0;
    for (const unsigned char c : s) {
        if ((c & 0xC0) != 0x80) ++n;
    }
    return n;
}

// update_payload_schema.json, with networknt 1.0.52's messages ("$." removed, as the plugin does).
std::vector<std::string> schema_errors(const json& body) {
    std::vector<std::string> errors;
    if (!body.is_object()) {
        errors.push_back("$: " + type_name(body) + " found, object expected");
        return errors;
    }
    if (const json* token = member(body, "clientToken")) {
        if (!token->is_string()) {
            errors.push_back("clientToken: " + type_name(*token) + " found, string expected");
        } else if (code_points(token->get<std::string>()) > 64) {
            errors.push_back("clientToken: may only be 64 characters long");
        }
    }
    if (const json* state = member(body, "state")) {
        if (!state->is_object() && !state->is_null()) {
            errors.push_back("state: " + type_name(*state) + " found, [object, null] expected");
        } else if (state->is_object()) {
            for (const char* section : {"reported", "desired"}) {
                const json* value = member(*state, section);
                if (value != nullptr && !value->is_object() && !value->is_null()) {
                    errors.push_back(std::string{"state."} + section + ": " + type_name(*value) +
                                     " found, [object, null] expected");
                }
            }
            const bool has_section = state->contains("reported") || state->contains("desired");
            std::vector<std::string> extra;
            for (const auto& [key, value] : state->items()) {
                if (key != "reported" && key != "desired" && key != "delta") extra.push_back(key);
            }
            if (!has_section && !extra.empty()) {
                errors.push_back("state.reported: is missing but it is required");
                errors.push_back("state.desired: is missing but it is required");
                for (const auto& key : extra) {
                    errors.push_back("state." + key +
                                     ": is not defined in the schema and the schema does not allow "
                                     "additional properties");
                }
            }
        }
    }
    if (const json* version = member(body, "version")) {
        if (!version->is_number()) {
            errors.push_back("version: " + type_name(*version) + " found, number expected");
        } else if (version->is_number_float() ? version->get<double>() < 0 : as_long(*version) < 0) {
            errors.push_back("version: must have a minimum value of 0");
        }
    }
    if (!body.contains("state")) errors.push_back("state: is missing but it is required");
    return errors;
}

bool too_deep(const json* node, int depth) {
    if (node == nullptr || !(node->is_object() || node->is_array()) || node->empty()) return false;
    if (depth > max_state_depth) return true;
    for (const auto& child : *node) {
        if (too_deep(&child, depth + 1)) return true;
    }
    return false;
}

update_error invalid(std::string message, std::optional<std::string> token = std::nullopt,
                     int code = 400) {
    return {update_error::kind::invalid_arguments, message, code, message, std::move(token)};
}

}  // namespace

std::string dump(const json& value) {
    return value.dump(-1, ' ', false, json::error_handler_t::replace);
}

json document::state_json() const {
    json out = json::object();
    if (!desired.is_null()) out["desired"] = desired;
    if (!reported.is_null()) out["reported"] = reported;
    return out;
}

json document::metadata_json() const {
    json out = json::object();
    if (!metadata_desired.is_null()) out["desired"] = metadata_desired;
    if (!metadata_reported.is_null()) out["reported"] = metadata_reported;
    return out;
}

json document::to_json(bool with_version) const {
    json out = json::object();
    out["state"] = state_json();
    out["metadata"] = metadata_json();
    if (with_version) out["version"] = version;
    return out;
}

std::optional<json> document::delta() const {
    if (desired.is_null()) return std::nullopt;
    if (reported.is_null()) return desired;
    return calculate_delta(reported, desired);
}

json document::state_with_delta() const {
    json out = state_json();
    if (auto d = delta(); d && !missing(*d)) out["delta"] = std::move(*d);
    return out;
}

json document::delta_metadata(const json& d) const {
    if (missing(d)) return nullptr;
    return build_delta_metadata(d, metadata_desired.is_null() ? nullptr : &metadata_desired);
}

std::optional<json> calculate_delta(const json& reported, const json& desired) {
    if (reported.is_object() && desired.is_object()) {
        json result = json::object();
        for (const auto& [key, value] : desired.items()) {
            const json* original = member(reported, key);
            if (missing(value)) {
                if (!missing(original)) result[key] = nullptr;
                continue;
            }
            if (missing(original)) {
                result[key] = value;
                continue;
            }
            if (auto d = calculate_delta(*original, value)) result[key] = std::move(*d);
        }
        if (result.empty()) return std::nullopt;
        return result;
    }
    if (reported.is_number() && desired.is_number()) {
        const bool same =
            as_long(reported) == as_long(desired) && reported.get<double>() == desired.get<double>();
        if (same) return std::nullopt;
        return desired;
    }
    if (!strict_equal(reported, desired)) return desired;
    return std::nullopt;
}

std::variant<update_request, update_error> parse_update(std::string_view payload,
                                                        const document* current) {
    // Like Jackson's readTree: the first value counts, whatever follows it.
    json body;
    if (payload.find_first_not_of(" \t\r\n") == std::string_view::npos) {
        return invalid("Invalid JSON: ");
    }
    try {
        std::istringstream in{std::string{payload}};
        in >> body;
    } catch (const json::exception& e) {
        return update_error{update_error::kind::service, e.what(), 500, "Internal service failure", {}};
    }
    if (missing(body)) return invalid("Invalid JSON: ");
    if (body.is_object()) {
        if (auto state = body.find("state"); state != body.end() && state->is_object()) {
            state->erase("delta");
        }
    }
    if (const auto errors = schema_errors(body); !errors.empty()) {
        std::string joined;
        for (const auto& e : errors) {
            if (!joined.empty()) joined += ". ";
            joined += e;
        }
        return invalid("Invalid JSON: " + joined);
    }
    std::optional<std::string> token;
    if (const json* t = member(body, "clientToken")) token = t->get<std::string>();

    const json& state = body["state"];
    if (too_deep(member(state, "reported"), 1) || too_deep(member(state, "desired"), 1)) {
        return invalid("JSON contains too many levels of nesting; maximum is 6", token);
    }
    if (const json* version = member(body, "version"); !missing(version)) {
        // The plugin compares JsonNode.asInt(): a 32-bit truncation.
        const auto requested = static_cast<std::int32_t>(as_long(*version));
        if (current == nullptr) {
            if (requested != 1) return invalid("Invalid version", token);
        } else if (current->version != requested) {
            return update_error{update_error::kind::conflict, "Version conflict", 409,
                                "Version conflict", token};
        }
    }
    return update_request{std::move(body), std::move(token)};
}

std::variant<update_result, update_error> apply_update(const document* current,
                                                       const update_request& request, std::int64_t now,
                                                       std::size_t max_size) {
    document doc = current != nullptr ? *current : document{};
    const json& state = request.body.at("state");

    if (is_null_state_document(&state)) {
        doc.desired = nullptr;
        doc.reported = nullptr;
    } else if (!is_empty_state_document(&state)) {
        for (const auto& [key, value] : state.items()) {
            if (key == "desired") update_section(doc.desired, value);
            if (key == "reported") update_section(doc.reported, value);
        }
    }

    json patch = metadata_patch(state, now);
    if (missing(doc.desired) && missing(doc.reported)) {
        doc.metadata_desired = nullptr;
        doc.metadata_reported = nullptr;
    } else {
        if (const json* d = member(patch, "desired"); !missing(d)) {
            doc.metadata_desired = null_if_empty(merge_metadata(doc.desired, doc.metadata_desired, *d));
        }
        if (const json* r = member(patch, "reported"); !missing(r)) {
            doc.metadata_reported =
                null_if_empty(merge_metadata(doc.reported, doc.metadata_reported, *r));
        }
    }
    doc.version = current != nullptr ? current->version + 1 : 1;

    std::size_t size = 0;
    if (!missing(doc.desired)) size += dump(doc.desired).size();
    if (!missing(doc.reported)) size += dump(doc.reported).size();
    if (size > max_size) {
        return invalid("The payload exceeds the maximum size allowed", request.client_token, 413);
    }
    return update_result{std::move(doc), std::move(patch)};
}

}  // namespace standin::server::local_shadow
