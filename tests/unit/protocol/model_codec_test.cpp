// SPDX-License-Identifier: Apache-2.0
// The generic mapping's rules (codec.hpp), each on a real shape that has the member kind involved.
#include "standin/model/codec.hpp"

#include <cmath>
#include <stdexcept>
#include <string>

#include <gtest/gtest.h>
#include <boost/describe/enumerators.hpp>
#include <boost/mp11/algorithm.hpp>

#include "model_test_support.hpp"
#include "standin/model/model.hpp"

namespace standin::model {
namespace {

using test::decode_failure;
using test::round_trip;

// ---- payloads --------------------------------------------------------------------------------

TEST(model_payload, an_empty_payload_reads_as_an_empty_object) {
    const auto body = decode_request_payload("");
    ASSERT_TRUE(body);
    EXPECT_EQ(*body, nlohmann::json::object());
    const auto request = decode_payload<publish_to_topic_request>("");
    ASSERT_TRUE(request);
    EXPECT_FALSE(request->topic);
    EXPECT_FALSE(request->publishMessage);
}

TEST(model_payload, a_payload_that_is_not_a_json_object_is_an_error_value) {
    EXPECT_EQ(decode_request_payload("{not json").error().message(), "payload is not valid JSON");
    EXPECT_EQ(decode_request_payload("[1,2]").error().message(), "payload is not a JSON object");
    EXPECT_EQ(decode_request_payload("null").error().message(), "payload is not a JSON object");
    EXPECT_EQ(decode_request_payload("\"topic\"").error().message(), "payload is not a JSON object");
    EXPECT_EQ(decode_failure<publish_to_topic_request>("5"), "payload is not a JSON object");
}

std::string nested_objects(int depth) {
    std::string text;
    for (int i = 1; i < depth; ++i)
        text += "{\"a\":";
    text += "{}";
    text.append(static_cast<std::size_t>(depth - 1), '}');
    return text;
}

TEST(model_payload, nesting_is_limited_before_anything_recurses) {
    EXPECT_TRUE(decode_request_payload(nested_objects(max_payload_depth)));
    EXPECT_EQ(decode_request_payload(nested_objects(max_payload_depth + 1)).error().message(),
              "payload nests deeper than 256 levels");
    // Brackets inside strings are text.
    EXPECT_TRUE(decode_request_payload(R"({"topic":")" + std::string(1000, '[') + R"("})"));
    // An escaped quote does not end a string; an escaped backslash before a quote does.
    EXPECT_TRUE(decode_request_payload(R"({"topic":"\")" + std::string(1000, '[') + R"("})"));
    const std::string deep = std::string(max_payload_depth, '[') + std::string(max_payload_depth, ']');
    EXPECT_EQ(decode_request_payload(R"({"topic":"\\\\","a":)" + deep + "}").error().message(),
              "payload nests deeper than 256 levels");
}

TEST(model_payload, decode_of_a_body_that_is_not_an_object_fails_without_a_path) {
    const auto decoded = decode<publish_to_topic_request>(nlohmann::json::array());
    ASSERT_FALSE(decoded);
    EXPECT_EQ(decoded.error().path, "");
    EXPECT_EQ(decoded.error().message(), "expected an object");
}

TEST(model_payload, value_of_an_error_throws_deserialize_error_with_the_message) {
    try {
        (void)decode_payload<publish_to_topic_request>(R"({"topic":{}})").value();
        FAIL() << "no exception";
    } catch (const deserialize_error& e) {
        EXPECT_STREQ(e.what(), "topic: expected a string");
    }
}

// ---- absent, null, unknown -------------------------------------------------------------------

TEST(model_decode, null_is_the_same_as_absent) {
    const auto request = round_trip<publish_to_topic_request>("{}");
    EXPECT_FALSE(request.topic);
    const auto nulls =
        decode_payload<publish_to_topic_request>(R"({"topic":null,"publishMessage":null})");
    ASSERT_TRUE(nulls);
    EXPECT_FALSE(nulls->topic);
    EXPECT_FALSE(nulls->publishMessage);
    EXPECT_EQ(encode(*nulls), "{}");
    // A null union member is not a set member.
    const auto one = decode_payload<publish_to_topic_request>(
        R"({"publishMessage":{"jsonMessage":null,"binaryMessage":{"message":"aGk="}}})");
    ASSERT_TRUE(one);
    EXPECT_FALSE(one->publishMessage->jsonMessage);
    EXPECT_EQ(one->publishMessage->binaryMessage->message, blob{"hi"});
}

TEST(model_decode, unknown_members_are_ignored_and_not_written_back) {
    const auto request = decode_payload<publish_to_topic_request>(
        R"({"unknownField":5,"topic":"t","publishMessage":{"jsonMessage":{"message":{},"extra":[1]}},"_service":"x"})");
    ASSERT_TRUE(request);
    EXPECT_EQ(encode(*request), R"({"topic":"t","publishMessage":{"jsonMessage":{"message":{}}}})");
}

// ---- strings ---------------------------------------------------------------------------------

TEST(model_decode, a_string_member_takes_numbers_and_booleans_as_their_text) {
    EXPECT_EQ(decode_payload<publish_to_topic_request>(R"({"topic":12})")->topic, "12");
    EXPECT_EQ(decode_payload<publish_to_topic_request>(R"({"topic":-7})")->topic, "-7");
    EXPECT_EQ(decode_payload<publish_to_topic_request>(R"({"topic":1.5})")->topic, "1.5");
    EXPECT_EQ(decode_payload<publish_to_topic_request>(R"({"topic":true})")->topic, "true");
    EXPECT_EQ(decode_payload<publish_to_topic_request>(R"({"topic":false})")->topic, "false");
}

TEST(model_decode, a_string_member_refuses_objects_and_arrays) {
    EXPECT_EQ(decode_failure<publish_to_topic_request>(R"({"topic":{"a":1}})"),
              "topic: expected a string");
    EXPECT_EQ(decode_failure<publish_to_topic_request>(R"({"topic":["t"]})"),
              "topic: expected a string");
}

// ---- wrong types anywhere fail the whole body, with the member path ---------------------------

TEST(model_decode, a_wrong_type_names_the_member_path) {
    EXPECT_EQ(decode_failure<publish_to_topic_request>(R"({"publishMessage":"hello"})"),
              "publishMessage: expected an object");
    EXPECT_EQ(decode_failure<publish_to_topic_request>(
                  R"({"publishMessage":{"jsonMessage":{"message":[1]}}})"),
              "publishMessage.jsonMessage.message: expected an object");
    EXPECT_EQ(decode_failure<publish_to_topic_request>(
                  R"({"publishMessage":{"jsonMessage":{"message":{},"context":{"topic":{}}}}})"),
              "publishMessage.jsonMessage.context.topic: expected a string");
}

TEST(model_decode, list_errors_name_the_element) {
    EXPECT_EQ(decode_failure<get_configuration_request>(R"({"keyPath":"a"})"),
              "keyPath: expected an array");
    EXPECT_EQ(decode_failure<get_configuration_request>(R"({"keyPath":["a",{}]})"),
              "keyPath[1]: expected a string");
    EXPECT_EQ(decode_failure<get_configuration_request>(R"({"keyPath":["a",null]})"),
              "keyPath[1]: null element");
    EXPECT_EQ(decode_failure<put_component_metric_request>(
                  R"({"metrics":[{"name":"a","unit":"COUNT","value":1},{"name":"b","value":"many"}]})"),
              "metrics[1].value: expected a number");
    EXPECT_EQ(
        decode_failure<publish_to_iot_core_request>(R"({"userProperties":[{"key":"k","value":[]}]})"),
        "userProperties[0].value: expected a string");
}

TEST(model_decode, map_errors_name_the_key) {
    EXPECT_EQ(decode_failure<create_local_deployment_request>(R"({"rootComponentVersionsToAdd":["a"]})"),
              "rootComponentVersionsToAdd: expected an object");
    EXPECT_EQ(decode_failure<create_local_deployment_request>(
                  R"({"componentToConfiguration":{"com.example.A":[1]}})"),
              R"(componentToConfiguration["com.example.A"]: expected an object)");
    EXPECT_EQ(
        decode_failure<create_local_deployment_request>(R"({"rootComponentVersionsToAdd":{"a":null}})"),
        R"(rootComponentVersionsToAdd["a"]: null value)");
    EXPECT_EQ(decode_failure<create_local_deployment_request>(
                  R"({"componentToRunWithInfo":{"A":{"systemResourceLimits":{"memory":"lots"}}}})"),
              R"(componentToRunWithInfo["A"].systemResourceLimits.memory: expected an integer)");
}

// ---- unions ----------------------------------------------------------------------------------

TEST(model_decode, a_union_with_two_members_fails_as_in_the_java_model) {
    EXPECT_EQ(decode_failure<publish_to_topic_request>(
                  R"({"publishMessage":{"jsonMessage":{"message":{}},"binaryMessage":{"message":""}}})"),
              "publishMessage: More than one union member set for type: aws.greengrass#PublishMessage");
    EXPECT_EQ(decode_failure<secret_value>(R"({"secretString":"a","secretBinary":"YQ=="})"),
              "More than one union member set for type: aws.greengrass#SecretValue");
    EXPECT_EQ(decode_failure<component_update_policy_events>(
                  R"({"preUpdateEvent":{"deploymentId":"d"},"postUpdateEvent":{"deploymentId":"d"}})"),
              "More than one union member set for type: aws.greengrass#ComponentUpdatePolicyEvents");
}

TEST(model_decode, a_union_with_no_member_is_allowed) {
    const auto request = round_trip<publish_to_topic_request>(R"({"topic":"t","publishMessage":{}})");
    ASSERT_TRUE(request.publishMessage);
    EXPECT_FALSE(request.publishMessage->jsonMessage);
    EXPECT_FALSE(request.publishMessage->binaryMessage);
    round_trip<iot_core_message>("{}");
}

TEST(model_decode, union_marks) {
    static_assert(union_shape<publish_message>);
    static_assert(union_shape<subscription_response_message>);
    static_assert(union_shape<secret_value>);
    static_assert(union_shape<iot_core_message>);
    static_assert(union_shape<configuration_update_events>);
    static_assert(union_shape<validate_configuration_update_events>);
    static_assert(union_shape<component_update_policy_events>);
    static_assert(union_shape<certificate_update_event>);
    static_assert(union_shape<credential_document>);
    static_assert(union_shape<client_device_credential>);
    static_assert(!union_shape<json_message>);
    static_assert(!union_shape<publish_to_topic_request>);
}

// ---- blobs -----------------------------------------------------------------------------------

TEST(model_decode, blobs_are_base64) {
    const auto update =
        round_trip<update_thing_shadow_request>(R"({"thingName":"t","payload":"AAH+/w=="})");
    EXPECT_EQ(update.payload->bytes, std::string("\x00\x01\xfe\xff", 4));
    // Padding is optional on input (java.util.Base64) and always written.
    const auto unpadded = decode_payload<update_thing_shadow_request>(R"({"payload":"aGk"})");
    ASSERT_TRUE(unpadded);
    EXPECT_EQ(unpadded->payload->bytes, "hi");
    EXPECT_EQ(encode(*unpadded), R"({"payload":"aGk="})");
    EXPECT_EQ(encode(update_thing_shadow_request{.payload = blob{""}}), R"({"payload":""})");
}

TEST(model_decode, bad_base64_fails) {
    EXPECT_EQ(decode_failure<update_thing_shadow_request>(R"({"payload":"***"})"),
              "payload: invalid base64");
    EXPECT_EQ(decode_failure<update_thing_shadow_request>(R"({"payload":"aGk=="})"),
              "payload: invalid base64");
    EXPECT_EQ(decode_failure<update_thing_shadow_request>(R"({"payload":"a"})"),
              "payload: invalid base64");
    EXPECT_EQ(decode_failure<update_thing_shadow_request>(R"({"payload":{}})"),
              "payload: expected a base64 string");
    EXPECT_EQ(decode_failure<publish_to_topic_request>(
                  R"({"publishMessage":{"binaryMessage":{"message":"***"}}})"),
              "publishMessage.binaryMessage.message: invalid base64");
}

// ---- timestamps ------------------------------------------------------------------------------

TEST(model_decode, timestamps_are_epoch_seconds_and_accept_exponents) {
    // As Gson writes Double.toString(1.700000000123E9).
    const auto update = decode_payload<update_configuration_request>(
        R"({"timestamp":1.700000000123E9,"valueToMerge":{}})");
    ASSERT_TRUE(update);
    EXPECT_EQ(update->timestamp->seconds, 1700000000.123);
    EXPECT_EQ(encode(*update), R"({"timestamp":1700000000.123,"valueToMerge":{}})");
    EXPECT_EQ(decode_payload<update_configuration_request>(R"({"timestamp":1700000000})")->timestamp,
              timestamp{1700000000.0});
    EXPECT_EQ(decode_payload<update_configuration_request>(R"({"timestamp":"1.5e3"})")->timestamp,
              timestamp{1500.0});
    EXPECT_EQ(encode(update_configuration_request{.timestamp = timestamp{1700000000.0}}),
              R"({"timestamp":1700000000.0})");
}

TEST(model_decode, a_timestamp_must_be_a_number) {
    EXPECT_EQ(decode_failure<update_configuration_request>(R"({"timestamp":true})"),
              "timestamp: expected a number of epoch seconds");
    EXPECT_EQ(decode_failure<update_configuration_request>(R"({"timestamp":"soon"})"),
              "timestamp: expected a number of epoch seconds");
    EXPECT_EQ(decode_failure<update_configuration_request>(R"({"timestamp":"NaN"})"),
              "timestamp: expected a number of epoch seconds");
}

// ---- enums -----------------------------------------------------------------------------------

TEST(model_decode, an_enum_keeps_unknown_text) {
    const auto unknown = round_trip<update_state_request>(R"({"state":"SLEEPING"})");
    EXPECT_TRUE(unknown.state.present());
    EXPECT_FALSE(unknown.state.has_value());
    EXPECT_FALSE(unknown.state.known());
    EXPECT_EQ(unknown.state.text(), "SLEEPING");

    const auto known = round_trip<update_state_request>(R"({"state":"RUNNING"})");
    EXPECT_EQ(known.state, reported_lifecycle_state::running);
    EXPECT_EQ(known.state.text(), "RUNNING");

    // Case matters, as in the Java model's get().
    EXPECT_FALSE(decode_payload<update_state_request>(R"({"state":"running"})")->state.has_value());
}

TEST(model_decode, enum_text_follows_the_string_rules) {
    // What a handler needs for "Invalid QoS value: <q>".
    const auto bad = decode_payload<publish_to_iot_core_request>(R"({"topicName":"t","qos":2})");
    ASSERT_TRUE(bad);
    EXPECT_FALSE(bad->qos);
    EXPECT_EQ(bad->qos.text(), "2");
    EXPECT_EQ(decode_payload<publish_to_iot_core_request>(R"({"qos":1})")->qos, qos::at_least_once);
    EXPECT_EQ(decode_failure<publish_to_iot_core_request>(R"({"qos":{}})"), "qos: expected a string");
    EXPECT_FALSE(decode_payload<publish_to_iot_core_request>(R"({"qos":null})")->qos.present());
}

// ---- documents -------------------------------------------------------------------------------

TEST(model_decode, a_document_must_be_an_object) {
    EXPECT_EQ(decode_failure<update_configuration_request>(R"({"valueToMerge":[1]})"),
              "valueToMerge: expected an object");
    EXPECT_EQ(decode_failure<update_configuration_request>(R"({"valueToMerge":"x"})"),
              "valueToMerge: expected an object");
    EXPECT_EQ(decode_failure<update_configuration_request>(R"({"valueToMerge":5})"),
              "valueToMerge: expected an object");
}

TEST(model_decode, documents_are_kept_as_they_are_with_nulls_inside) {
    const auto update = round_trip<update_configuration_request>(
        R"({"valueToMerge":{"a":null,"b":[1,2.5,"x",{"c":{}}],"d":5}})");
    EXPECT_TRUE(update.valueToMerge->at("a").is_null());
    EXPECT_TRUE(update.valueToMerge->at("d").is_number_integer());
    // nlohmann::json keeps no key order: a document's members come out sorted.
    EXPECT_EQ(encode(*decode_payload<update_configuration_request>(R"({"valueToMerge":{"b":1,"a":2}})")),
              R"({"valueToMerge":{"a":2,"b":1}})");
}

// ---- numbers and booleans, as Gson reads them --------------------------------------------------

TEST(model_decode, integers) {
    const auto page = [](std::string_view value) {
        return decode_payload<list_named_shadows_for_thing_request>(R"({"pageSize":)" +
                                                                    std::string{value} + "}");
    };
    EXPECT_EQ(page("25")->pageSize, 25);
    EXPECT_EQ(page("25.0")->pageSize, 25);
    EXPECT_EQ(page("2.5e1")->pageSize, 25);
    EXPECT_EQ(page(R"("25")")->pageSize, 25);
    EXPECT_EQ(page(R"(" 25 ")")->pageSize, 25);
    EXPECT_EQ(page(R"("+25")")->pageSize, 25);
    EXPECT_EQ(page("-2147483648")->pageSize, -2147483648LL);
    EXPECT_EQ(page("25.5").error().message(), "pageSize: expected an integer");
    EXPECT_EQ(page(R"("25.5")").error().message(), "pageSize: expected an integer");
    EXPECT_EQ(page(R"("many")").error().message(), "pageSize: expected an integer");
    EXPECT_EQ(page("true").error().message(), "pageSize: expected an integer");
    EXPECT_EQ(page("[25]").error().message(), "pageSize: expected an integer");
    EXPECT_EQ(page("2147483648").error().message(), "pageSize: integer out of range");

    const auto recheck = [](std::string_view value) {
        return decode_payload<defer_component_update_request>(R"({"recheckAfterMs":)" +
                                                              std::string{value} + "}");
    };
    EXPECT_EQ(recheck("9223372036854775807")->recheckAfterMs, 9223372036854775807LL);
    EXPECT_EQ(recheck("-9223372036854775808")->recheckAfterMs, -9223372036854775807LL - 1);
    EXPECT_EQ(recheck("1e3")->recheckAfterMs, 1000);
    EXPECT_EQ(recheck(R"("1e3")")->recheckAfterMs, 1000);
    EXPECT_EQ(recheck(R"("-60000")")->recheckAfterMs, -60000);
    EXPECT_EQ(recheck("9223372036854775808").error().message(), "recheckAfterMs: integer out of range");
    EXPECT_EQ(recheck(R"("9223372036854775808")").error().message(),
              "recheckAfterMs: integer out of range");
    EXPECT_EQ(recheck("1e19").error().message(), "recheckAfterMs: integer out of range");
    EXPECT_EQ(encode(*recheck("6e4")), R"({"recheckAfterMs":60000})");
}

TEST(model_decode, doubles) {
    const auto value = [](std::string_view v) {
        return decode_payload<metric>(R"({"value":)" + std::string{v} + "}");
    };
    EXPECT_EQ(value("5")->value, 5.0);
    EXPECT_EQ(value("0.25")->value, 0.25);
    EXPECT_EQ(value(R"("2.5")")->value, 2.5);
    EXPECT_EQ(value("-1E-3")->value, -0.001);
    EXPECT_EQ(value(R"("NaN")").error().message(), "value: expected a number");
    EXPECT_EQ(value(R"("Infinity")").error().message(), "value: expected a number");
    EXPECT_EQ(value("false").error().message(), "value: expected a number");
    // Doubles keep a decimal point, as Java's Double.toString does.
    EXPECT_EQ(encode(*value("5")), R"({"value":5.0})");
    EXPECT_EQ(encode(metric{.value = std::nan("")}), R"({"value":0.0})");
}

TEST(model_decode, booleans_as_gson_reads_them) {
    const auto refresh = [](std::string_view v) {
        return decode_payload<get_secret_value_request>(R"({"refresh":)" + std::string{v} + "}");
    };
    EXPECT_EQ(refresh("true")->refresh, true);
    EXPECT_EQ(refresh("false")->refresh, false);
    // Boolean.parseBoolean: "true" in any case, and any other string is false.
    EXPECT_EQ(refresh(R"("TRUE")")->refresh, true);
    EXPECT_EQ(refresh(R"("yes")")->refresh, false);
    EXPECT_EQ(refresh("1").error().message(), "refresh: expected a boolean");
    EXPECT_EQ(refresh("{}").error().message(), "refresh: expected a boolean");
}

// ---- encoding --------------------------------------------------------------------------------

TEST(model_encode, absent_members_are_omitted_and_the_rest_keep_declaration_order) {
    publish_to_iot_core_request request;
    request.contentType = "application/json";
    request.qos = qos::at_least_once;
    request.topicName = "devices/d1/telemetry";
    request.retain = false;
    EXPECT_EQ(
        encode(request),
        R"({"topicName":"devices/d1/telemetry","qos":"1","retain":false,"contentType":"application/json"})");
    EXPECT_EQ(encode(publish_to_iot_core_request{}), "{}");
    EXPECT_EQ(encode(publish_to_topic_response{}), "{}");
    EXPECT_EQ(encode_json(request).begin().key(), "topicName");
}

TEST(model_encode, never_writes_null) {
    get_configuration_response response;
    response.componentName = "c";
    response.value = nlohmann::json{};  // a document holding null
    EXPECT_EQ(encode(response), R"({"componentName":"c"})");
    response.value = nlohmann::json{{"k", nullptr}};  // nulls inside documents are content
    EXPECT_EQ(encode(response), R"({"componentName":"c","value":{"k":null}})");
}

TEST(model_encode, empty_lists_and_maps_are_written) {
    list_components_response response;
    response.components.emplace();
    EXPECT_EQ(encode(response), R"({"components":[]})");
    create_local_deployment_request deployment;
    deployment.rootComponentVersionsToAdd.emplace();
    EXPECT_EQ(encode(deployment), R"({"rootComponentVersionsToAdd":{}})");
}

TEST(model_encode, invalid_utf8_is_replaced_rather_than_thrown) {
    publish_to_topic_request request;
    request.topic = std::string("a\xff", 2);
    EXPECT_EQ(encode(request), "{\"topic\":\"a\xEF\xBF\xBD\"}");
}

TEST(model_encode, strings_are_escaped) {
    get_secret_value_response response;
    response.secretValue = secret_value{.secretString = "line\n\"quoted\"\\"};
    EXPECT_EQ(encode(response), R"({"secretValue":{"secretString":"line\n\"quoted\"\\"}})");
}

// ---- wire_enum and the enum tables -----------------------------------------------------------

TEST(model_wire_enum, three_states) {
    wire_enum<receive_mode> mode;
    EXPECT_FALSE(mode.present());
    EXPECT_FALSE(mode.has_value());
    EXPECT_FALSE(mode.text());
    EXPECT_EQ(mode.value_or(receive_mode::receive_all_messages), receive_mode::receive_all_messages);

    mode = receive_mode::receive_messages_from_others;
    EXPECT_TRUE(mode.present());
    EXPECT_TRUE(mode);
    EXPECT_EQ(*mode, receive_mode::receive_messages_from_others);
    EXPECT_EQ(mode.text(), "RECEIVE_MESSAGES_FROM_OTHERS");
    EXPECT_EQ(mode, receive_mode::receive_messages_from_others);
    EXPECT_NE(mode, receive_mode::receive_all_messages);

    const auto unknown = wire_enum<receive_mode>::from_text("RECEIVE_NOTHING");
    EXPECT_TRUE(unknown.present());
    EXPECT_FALSE(unknown);
    EXPECT_EQ(unknown.text(), "RECEIVE_NOTHING");
    EXPECT_EQ(unknown.value_or(receive_mode::receive_all_messages), receive_mode::receive_all_messages);
    EXPECT_THROW((void)unknown.value(), std::bad_optional_access);
    EXPECT_EQ(wire_enum<receive_mode>::from_text("RECEIVE_ALL_MESSAGES"),
              receive_mode::receive_all_messages);
    EXPECT_NE(unknown, wire_enum<receive_mode>{});
}

TEST(model_wire_enum, wire_values_that_are_digits_or_keywords) {
    EXPECT_EQ(to_wire(qos::at_most_once), "0");
    EXPECT_EQ(to_wire(qos::at_least_once), "1");
    EXPECT_EQ(to_wire(payload_format::bytes), "0");
    EXPECT_EQ(to_wire(payload_format::utf8), "1");
    EXPECT_EQ(to_wire(lifecycle_state::new_), "NEW");
    EXPECT_EQ(to_wire(certificate_type::server), "SERVER");
    EXPECT_EQ(to_wire(metric_unit_type::count_per_second), "COUNT_PER_SECOND");
    EXPECT_EQ(to_wire(detailed_deployment_status::failed_rollback_not_requested),
              "FAILED_ROLLBACK_NOT_REQUESTED");
    EXPECT_EQ(from_wire<failure_handling_policy>("DO_NOTHING"), failure_handling_policy::do_nothing);
    EXPECT_EQ(from_wire<qos>("2"), std::nullopt);
}

// Every enumerator's wire text is its name in upper case, except the digit-valued QOS and PayloadFormat
// and lifecycle_state::new_ (a keyword); each maps back to itself.
template <class E>
void expect_table(std::string_view shape, bool names_are_wire_values) {
    SCOPED_TRACE(std::string{shape});
    EXPECT_EQ(enum_traits<E>::shape_id, shape);
    boost::mp11::mp_for_each<boost::describe::describe_enumerators<E>>([&](auto enumerator) {
        const auto text = to_wire(enumerator.value);
        EXPECT_FALSE(text.empty()) << enumerator.name;
        EXPECT_EQ(from_wire<E>(text), enumerator.value) << enumerator.name;
        if (names_are_wire_values) {
            std::string upper{enumerator.name};
            for (auto& c : upper)
                c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
            if (upper.back() == '_') upper.pop_back();
            EXPECT_EQ(text, upper);
        }
    });
}

TEST(model_wire_enum, every_table_is_complete_and_invertible) {
    expect_table<receive_mode>("aws.greengrass#ReceiveMode", true);
    expect_table<qos>("aws.greengrass#QOS", false);
    expect_table<payload_format>("aws.greengrass#PayloadFormat", false);
    expect_table<configuration_validity_status>("aws.greengrass#ConfigurationValidityStatus", true);
    expect_table<reported_lifecycle_state>("aws.greengrass#ReportedLifecycleState", true);
    expect_table<lifecycle_state>("aws.greengrass#LifecycleState", true);
    expect_table<deployment_status>("aws.greengrass#DeploymentStatus", true);
    expect_table<detailed_deployment_status>("aws.greengrass#DetailedDeploymentStatus", true);
    expect_table<request_status>("aws.greengrass#RequestStatus", true);
    expect_table<failure_handling_policy>("aws.greengrass#FailureHandlingPolicy", true);
    expect_table<certificate_type>("aws.greengrass#CertificateType", true);
    expect_table<metric_unit_type>("aws.greengrass#MetricUnitType", true);
}

}  // namespace
}  // namespace standin::model
