// SPDX-License-Identifier: Apache-2.0
// Local shadow documents as the shadow manager keeps them (semantics.md §6.2, §6.4). Pure: no I/O,
// the clock is a parameter. JSON keeps insertion order, as the plugin's Jackson trees do, so that
// payloads come out in the plugin's key order.
//
// Rules (the plugin's ShadowState, JsonMerger, ShadowStateMetadata, JsonUtil):
//   - "missing" is absent, null or {}: a patch value that is missing deletes the key.
//   - state null (or a state whose "state" member is null) clears desired and reported.
//   - a section created from nothing takes the patch as is (explicit nulls included); an existing one
//     is merged: objects recursively, arrays and scalars replaced, new objects without their nulls.
//   - metadata mirrors each updated leaf with {"timestamp": <epoch s>}, arrays per element.
//   - delta: desired fields that differ from reported (objects recursively, numbers by value,
//     anything else by strict equality); no desired, no delta; no reported, delta = desired.
//   - every accepted update bumps the version (1 for a new document).
// Example: {"reported":{"t":21}} + {"state":{"desired":{"t":22}}} -> delta {"t":22}, version 2.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>

#include <nlohmann/json.hpp>

namespace standin::server::local_shadow {

using json = nlohmann::ordered_json;

// Spec (the plugin's DEFAULT_DOCUMENT_STATE_DEPTH): desired and reported nest at most this deep.
inline constexpr int max_state_depth = 6;
// Spec (shadowDocumentSizeLimitBytes default; the plugin allows up to 30720): serialized desired +
// reported.
inline constexpr std::size_t default_max_document_size = 8192;
inline constexpr std::size_t max_document_size_limit = 30720;

// A stored shadow. A null member is an absent section.
struct document {
    json desired;
    json reported;
    json metadata_desired;
    json metadata_reported;
    std::int64_t version = 0;

    // {desired?, reported?}
    json state_json() const;
    // {desired?, reported?} of the metadata
    json metadata_json() const;
    // {state, metadata, version?}: the form of /update/documents.
    json to_json(bool with_version) const;
    // state_json() plus "delta" when there is one: the form GetThingShadow returns.
    json state_with_delta() const;
    // The delta, or nullopt.
    std::optional<json> delta() const;
    // The desired metadata of each field of `delta`.
    json delta_metadata(const json& delta) const;
};

// Why an update was refused, with the IPC error kind and the code and message of /update/rejected.
struct update_error {
    enum class kind { invalid_arguments, conflict, service };
    kind what = kind::invalid_arguments;
    std::string ipc_message;       // the IPC error's message
    int code = 400;                // the /rejected payload's code
    std::string rejected_message;  // the /rejected payload's message
    std::optional<std::string> client_token;
};

// A parsed and validated update request: state.delta dropped, the clientToken as text.
struct update_request {
    json body;
    std::optional<std::string> client_token;
};

// Parses an UpdateThingShadow payload (non-empty) and checks it against the current document
// (nullptr when the shadow does not exist), in the plugin's order: JSON, not null or {}, schema,
// depth, version.
std::variant<update_request, update_error> parse_update(std::string_view payload,
                                                        const document* current);

struct update_result {
    document updated;
    json metadata;  // the metadata of the fields the request touched (the response's "metadata")
};

// Applies a validated request to `current` (nullptr for a new shadow) at time `now`; fails only when
// the result exceeds `max_size`.
std::variant<update_result, update_error> apply_update(const document* current,
                                                       const update_request& request, std::int64_t now,
                                                       std::size_t max_size = default_max_document_size);

// The delta between two sections (see the rules above), or nullopt when they agree.
std::optional<json> calculate_delta(const json& reported, const json& desired);

// Serializes like the plugin (compact); invalid UTF-8 is replaced rather than thrown on.
std::string dump(const json& value);

}  // namespace standin::server::local_shadow
