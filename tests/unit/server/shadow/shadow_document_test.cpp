// SPDX-License-Identifier: Apache-2.0
#include "shadow/shadow_document.hpp"

#include <gtest/gtest.h>

namespace standin::server::local_shadow {
namespace {

using nlohmann::literals::operator""_json;

json j(std::string_view text) {
    return json::parse(text);
}

// Applies `payload` to `current` at time `now`; fails the test on a refusal.
document updated(const document* current, std::string_view payload, std::int64_t now = 100,
                 json* metadata = nullptr) {
    auto parsed = parse_update(payload, current);
    if (auto* e = std::get_if<update_error>(&parsed)) {
        ADD_FAILURE() << "refused: " << e->ipc_message;
        return {};
    }
    auto applied = apply_update(current, std::get<update_request>(parsed), now);
    if (auto* e = std::get_if<update_error>(&applied)) {
        ADD_FAILURE() << "refused: " << e->ipc_message;
        return {};
    }
    auto& r = std::get<update_result>(applied);
    if (metadata) *metadata = r.metadata;
    return r.updated;
}

update_error refused(std::string_view payload, const document* current = nullptr) {
    auto parsed = parse_update(payload, current);
    if (auto* e = std::get_if<update_error>(&parsed)) return *e;
    auto applied = apply_update(current, std::get<update_request>(parsed), 1);
    if (auto* e = std::get_if<update_error>(&applied)) return *e;
    ADD_FAILURE() << "accepted: " << payload;
    return {};
}

TEST(ShadowDocument, NewDocumentGetsVersionOneAndMetadata) {
    json metadata;
    const auto doc = updated(nullptr, R"({"state":{"reported":{"t":21,"list":[1,2]}}})", 7, &metadata);
    EXPECT_EQ(doc.version, 1);
    EXPECT_EQ(dump(doc.state_json()), R"({"reported":{"t":21,"list":[1,2]}})");
    EXPECT_EQ(dump(doc.metadata_json()),
              R"({"reported":{"t":{"timestamp":7},"list":[{"timestamp":7},{"timestamp":7}]}})");
    EXPECT_EQ(dump(metadata), dump(doc.metadata_json()));
    EXPECT_EQ(doc.delta(), std::nullopt);
}

TEST(ShadowDocument, MergeDeletesNullsAndReplacesArrays) {
    const auto v1 = updated(nullptr, R"({"state":{"reported":{"a":1,"b":{"c":1,"d":2},"l":[1,2,3]}}})");
    const auto v2 =
        updated(&v1, R"({"state":{"reported":{"a":null,"b":{"c":null,"e":3},"l":[9]}}})", 200);
    EXPECT_EQ(v2.version, 2);
    EXPECT_EQ(dump(v2.state_json()), R"({"reported":{"b":{"d":2,"e":3},"l":[9]}})");
    EXPECT_EQ(
        dump(v2.metadata_json()),
        R"({"reported":{"b":{"d":{"timestamp":100},"e":{"timestamp":200}},"l":[{"timestamp":200}]}})");
}

TEST(ShadowDocument, NewObjectsLoseTheirNullsButANewSectionKeepsThem) {
    const auto v1 = updated(nullptr, R"({"state":{"reported":{"a":1}}})");
    const auto v2 = updated(&v1, R"({"state":{"reported":{"n":{"x":null,"y":1},"z":{"q":null}}}})");
    EXPECT_EQ(dump(v2.state_json()), R"({"reported":{"a":1,"n":{"y":1}}})");
    // The plugin stores a section created from nothing as sent.
    const auto fresh = updated(nullptr, R"({"state":{"desired":{"a":null,"b":1}}})");
    EXPECT_EQ(dump(fresh.state_json()), R"({"desired":{"a":null,"b":1}})");
}

TEST(ShadowDocument, NullStateAndNullSectionsClear) {
    const auto v1 = updated(nullptr, R"({"state":{"desired":{"a":1},"reported":{"a":2}}})");
    const auto v2 = updated(&v1, R"({"state":{"desired":null}})");
    EXPECT_EQ(dump(v2.state_json()), R"({"reported":{"a":2}})");
    EXPECT_EQ(dump(v2.metadata_json()), R"({"reported":{"a":{"timestamp":100}}})");
    json metadata;
    const auto v3 = updated(&v2, R"({"state":null})", 300, &metadata);
    EXPECT_EQ(dump(v3.state_json()), "{}");
    EXPECT_EQ(dump(v3.metadata_json()), "{}");
    EXPECT_EQ(dump(metadata), R"({"timestamp":300})");
    EXPECT_EQ(v3.version, 3);
    // An empty section clears it too ({} is "missing" to the plugin).
    const auto v4 = updated(&v1, R"({"state":{"reported":{}}})");
    EXPECT_EQ(dump(v4.state_json()), R"({"desired":{"a":1}})");
}

TEST(ShadowDocument, DeltaAndItsMetadata) {
    const auto v1 =
        updated(nullptr, R"({"state":{"reported":{"t":21,"mode":"eco","n":{"x":1,"y":2}}}})", 5);
    const auto v2 =
        updated(&v1, R"({"state":{"desired":{"t":22,"mode":"eco","n":{"x":1,"y":3},"new":[1]}}})", 6);
    ASSERT_TRUE(v2.delta());
    EXPECT_EQ(dump(*v2.delta()), R"({"t":22,"n":{"y":3},"new":[1]})");
    EXPECT_EQ(dump(v2.delta_metadata(*v2.delta())),
              R"({"t":{"timestamp":6},"n":{"y":{"timestamp":6}},"new":[{"timestamp":6}]})");
    EXPECT_EQ(
        dump(v2.state_with_delta()),
        R"({"desired":{"t":22,"mode":"eco","n":{"x":1,"y":3},"new":[1]},"reported":{"t":21,"mode":"eco","n":{"x":1,"y":2}},"delta":{"t":22,"n":{"y":3},"new":[1]}})");
}

TEST(ShadowDocument, DeltaComparesNumbersByValueAndArraysStrictly) {
    EXPECT_EQ(calculate_delta(j("{\"a\":1}"), j("{\"a\":1.0}")), std::nullopt);
    EXPECT_EQ(calculate_delta(j("{\"a\":1}"), j("{\"a\":1.5}")), j("{\"a\":1.5}"));
    EXPECT_EQ(calculate_delta(j("{\"a\":[1]}"), j("{\"a\":[1.0]}")), j("{\"a\":[1.0]}"));
    EXPECT_EQ(calculate_delta(j("{\"a\":[1,{\"b\":2}]}"), j("{\"a\":[1,{\"b\":2}]}")), std::nullopt);
    EXPECT_EQ(calculate_delta(j("{\"a\":\"1\"}"), j("{\"a\":1}")), j("{\"a\":1}"));
    // Only desired counts: reported-only fields are no delta.
    EXPECT_EQ(calculate_delta(j("{\"a\":1,\"b\":2}"), j("{\"a\":1}")), std::nullopt);
    // No reported: the delta is all of desired.
    const auto d = updated(nullptr, R"({"state":{"desired":{"a":1}}})");
    EXPECT_EQ(d.delta(), j("{\"a\":1}"));
}

TEST(ShadowDocument, TypeChangesKeepMetadataInStep) {
    const auto v1 = updated(nullptr, R"({"state":{"reported":{"a":1,"b":{"c":1}}}})", 1);
    const auto v2 = updated(&v1, R"({"state":{"reported":{"a":{"x":2},"b":5}}})", 2);
    EXPECT_EQ(dump(v2.state_json()), R"({"reported":{"a":{"x":2},"b":5}})");
    EXPECT_EQ(dump(v2.metadata_json()),
              R"({"reported":{"a":{"x":{"timestamp":2}},"b":{"timestamp":2}}})");
}

TEST(ShadowDocument, DeltaInTheRequestIsDroppedAndTheClientTokenKept) {
    const auto parsed =
        parse_update(R"({"state":{"delta":{"a":1},"desired":{"b":1}},"clientToken":"ct"})", nullptr);
    const auto& r = std::get<update_request>(parsed);
    EXPECT_EQ(dump(r.body), R"({"state":{"desired":{"b":1}},"clientToken":"ct"})");
    EXPECT_EQ(r.client_token, "ct");
}

TEST(ShadowDocument, InvalidPayloads) {
    EXPECT_EQ(refused("null").ipc_message, "Invalid JSON: ");
    EXPECT_EQ(refused("{}").ipc_message, "Invalid JSON: ");
    EXPECT_EQ(refused("  ").ipc_message, "Invalid JSON: ");
    const auto garbage = refused("{nope");
    EXPECT_EQ(garbage.what, update_error::kind::service);
    EXPECT_EQ(garbage.code, 500);
    EXPECT_EQ(garbage.rejected_message, "Internal service failure");
    EXPECT_EQ(refused("[1]").ipc_message, "Invalid JSON: $: array found, object expected");
    EXPECT_EQ(refused(R"({"version":1})").ipc_message,
              "Invalid JSON: state: is missing but it is required");
    EXPECT_EQ(refused(R"({"state":5})").ipc_message,
              "Invalid JSON: state: integer found, [object, null] expected");
    EXPECT_EQ(refused(R"({"state":{"reported":"x"}})").ipc_message,
              "Invalid JSON: state.reported: string found, [object, null] expected");
    EXPECT_EQ(
        refused(R"({"state":{"foo":1}})").ipc_message,
        "Invalid JSON: state.reported: is missing but it is required. state.desired: is missing but "
        "it is required. state.foo: is not defined in the schema and the schema does not allow "
        "additional properties");
    EXPECT_EQ(refused(R"({"state":{},"version":null})").ipc_message,
              "Invalid JSON: version: null found, number expected");
    EXPECT_EQ(refused(R"({"state":{},"version":-1})").ipc_message,
              "Invalid JSON: version: must have a minimum value of 0");
    EXPECT_EQ(refused(R"({"state":{},"clientToken":7})").ipc_message,
              "Invalid JSON: clientToken: integer found, string expected");
    EXPECT_EQ(refused(R"({"state":{},"clientToken":")" + std::string(65, 'x') + "\"}").ipc_message,
              "Invalid JSON: clientToken: may only be 64 characters long");
    // Other top-level keys and a desired section next to extra state keys pass the schema.
    EXPECT_TRUE(std::holds_alternative<update_request>(
        parse_update(R"({"state":{"desired":{},"x":1},"other":true})", nullptr)));
}

TEST(ShadowDocument, DepthLimit) {
    // desired is level 1; an object at level 7 with content is too deep.
    const auto six = R"({"state":{"desired":{"a":{"b":{"c":{"d":{"e":1}}}}}}})";
    EXPECT_TRUE(std::holds_alternative<update_request>(parse_update(six, nullptr)));
    const auto six_empty = R"({"state":{"desired":{"a":{"b":{"c":{"d":{"e":{"f":{}}}}}}}}})";
    EXPECT_TRUE(std::holds_alternative<update_request>(parse_update(six_empty, nullptr)));
    const auto e = refused(
        R"({"state":{"reported":{"a":{"b":{"c":{"d":{"e":{"f":{"g":1}}}}}}}},"clientToken":"t"})");
    EXPECT_EQ(e.ipc_message, "JSON contains too many levels of nesting; maximum is 6");
    EXPECT_EQ(e.client_token, "t");
}

TEST(ShadowDocument, VersionRules) {
    EXPECT_EQ(refused(R"({"state":{},"version":2})").ipc_message, "Invalid version");
    EXPECT_TRUE(
        std::holds_alternative<update_request>(parse_update(R"({"state":{},"version":1})", nullptr)));
    const auto v1 = updated(nullptr, R"({"state":{"reported":{"a":1}}})");
    const auto conflict = refused(R"({"state":{},"version":3})", &v1);
    EXPECT_EQ(conflict.what, update_error::kind::conflict);
    EXPECT_EQ(conflict.ipc_message, "Version conflict");
    EXPECT_EQ(conflict.code, 409);
    const auto v2 = updated(&v1, R"({"state":{"reported":{"a":2}},"version":1})");
    EXPECT_EQ(v2.version, 2);
}

TEST(ShadowDocument, SizeLimit) {
    const std::string big(default_max_document_size, 'x');
    const auto e = refused(R"({"state":{"reported":{"a":")" + big + R"("}}})");
    EXPECT_EQ(e.ipc_message, "The payload exceeds the maximum size allowed");
    EXPECT_EQ(e.code, 413);
    // Exactly at the limit: {"a":"..."} is 8 bytes of wrapping.
    const std::string fits(default_max_document_size - 8, 'x');
    updated(nullptr, R"({"state":{"reported":{"a":")" + fits + R"("}}})");
}

TEST(ShadowDocument, ToJsonHasStateMetadataAndVersion) {
    const auto v1 = updated(nullptr, R"({"state":{"reported":{"a":1}}})", 4);
    EXPECT_EQ(
        dump(v1.to_json(true)),
        R"({"state":{"reported":{"a":1}},"metadata":{"reported":{"a":{"timestamp":4}}},"version":1})");
    EXPECT_EQ(dump(v1.to_json(false)),
              R"({"state":{"reported":{"a":1}},"metadata":{"reported":{"a":{"timestamp":4}}}})");
}

}  // namespace
}  // namespace standin::server::local_shadow
