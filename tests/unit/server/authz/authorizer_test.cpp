// SPDX-License-Identifier: Apache-2.0
#include "authz/authorizer.hpp"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <string>
#include <string_view>
#include <vector>

namespace standin::server {
namespace {

using json = nlohmann::json;

const std::string pubsub{model::service_ids::pubsub};
const std::string mqttproxy{model::service_ids::mqttproxy};
const std::string publish = "aws.greengrass#PublishToTopic";
const std::string subscribe = "aws.greengrass#SubscribeToTopic";

bool contains(std::string_view haystack, std::string_view needle) {
    return haystack.find(needle) != std::string_view::npos;
}

bool any_contains(const std::vector<std::string>& lines,
                  std::initializer_list<std::string_view> needles) {
    return std::any_of(lines.begin(), lines.end(), [&](const std::string& line) {
        return std::all_of(needles.begin(), needles.end(),
                           [&](std::string_view n) { return contains(line, n); });
    });
}

// The dispatcher asks grant_for(), which builds no decision; it must answer as check() does.
void expect_fast_path_agrees(const authorizer& authz, const authz_decision& decision) {
    const auto& r = decision.request;
    const auto grant =
        authz.grant_for(r.service_id, r.principal, r.operation,
                        r.resource ? std::optional<std::string_view>{*r.resource} : std::nullopt);
    EXPECT_EQ(grant.has_value(), decision.allowed) << decision.to_string();
    if (grant && decision.grant) {
        EXPECT_EQ(grant->by, decision.grant->by) << decision.to_string();
        EXPECT_EQ(grant->via_any_operation, decision.grant->via_any_operation);
        EXPECT_EQ(grant->pattern_index, decision.grant->pattern_index);
    }
}

class authorizer_test : public ::testing::Test {
protected:
    authorizer_test() { register_nucleus_services(authz); }

    std::vector<std::string> load(std::string_view component, const json& access_control) {
        std::vector<std::string> diagnostics;
        authz.load_component(component, access_control, diagnostics);
        return diagnostics;
    }

    authz_decision check(const std::string& principal, const std::string& op,
                         std::optional<std::string> resource,
                         const std::string& service = pubsub) const {
        auto decision = authz.check({service, principal, op, resource});
        expect_fast_path_agrees(authz, decision);
        return decision;
    }

    static json pubsub_policy(std::string_view id, std::vector<std::string> ops,
                              std::vector<std::string> resources) {
        return json{
            {std::string{model::service_ids::pubsub},
             {{std::string{id},
               {{"policyDescription", "test"}, {"operations", ops}, {"resources", resources}}}}}};
    }

    authorizer authz;
};

// ---------------------------------------------------------------------------------------------
// Registered services (semantics.md §2.5).

TEST_F(authorizer_test, nucleus_services_are_registered) {
    const std::vector<std::pair<std::string_view, std::vector<std::string_view>>> table = {
        {"aws.greengrass.ipc.pubsub", {"PublishToTopic", "SubscribeToTopic"}},
        {"aws.greengrass.ipc.mqttproxy", {"PublishToIoTCore", "SubscribeToIoTCore"}},
        {"aws.greengrass.ipc.lifecycle", {"PauseComponent", "ResumeComponent"}},
        {"aws.greengrass.ipc.componentmetric", {"PutComponentMetric"}},
        {"aws.greengrass.SecretManager", {"GetSecretValue"}},
        {"aws.greengrass.ShadowManager",
         {"GetThingShadow", "UpdateThingShadow", "DeleteThingShadow", "ListNamedShadowsForThing"}},
        {"aws.greengrass.clientdevices.Auth",
         {"SubscribeToCertificateUpdates", "VerifyClientDeviceIdentity", "GetClientDeviceAuthToken",
          "AuthorizeClientDeviceAction"}},
        {"aws.greengrass.Cli",
         {"GetComponentDetails", "ListComponents", "RestartComponent", "StopComponent",
          "CreateLocalDeployment", "GetLocalDeploymentStatus", "ListLocalDeployments",
          "CreateDebugPassword"}},
    };
    for (const auto& [service, ops] : table) {
        EXPECT_TRUE(authz.is_registered(service)) << service;
        EXPECT_TRUE(authz.is_registered(service, "*")) << service;
        for (const auto op : ops) {
            EXPECT_TRUE(authz.is_registered(service, "aws.greengrass#" + std::string{op}))
                << service << " " << op;
            EXPECT_FALSE(authz.is_registered(service, op)) << "unprefixed " << op;
        }
        EXPECT_EQ(authz.syntax_of(service), service == model::service_ids::mqttproxy
                                                ? resource_syntax::mqtt
                                                : resource_syntax::glob);
    }
    EXPECT_FALSE(authz.is_registered("aws.greengrass.Cli", "aws.greengrass#CancelLocalDeployment"));
    EXPECT_FALSE(authz.is_registered("aws.greengrass.ipc.PubSub"));
    EXPECT_FALSE(authz.is_registered("aws.greengrass.TokenExchangeService"));
    EXPECT_EQ(authz.syntax_of("nope"), std::nullopt);
}

TEST_F(authorizer_test, register_service_merges_and_rejects_empty) {
    authz.register_service("custom.Service", {"custom#A"});
    authz.register_service("custom.Service", {"custom#B"}, resource_syntax::mqtt);
    EXPECT_TRUE(authz.is_registered("custom.Service", "custom#A"));
    EXPECT_TRUE(authz.is_registered("custom.Service", "custom#B"));
    EXPECT_TRUE(authz.is_registered("custom.Service", "*"));
    EXPECT_EQ(authz.syntax_of("custom.Service"), resource_syntax::mqtt);
    EXPECT_THROW(authz.register_service("", {"x"}), std::invalid_argument);
    EXPECT_THROW(authz.register_service("x", {}), std::invalid_argument);
}

// ---------------------------------------------------------------------------------------------
// Request-time checks and their nucleus messages (semantics.md §2.3).

TEST_F(authorizer_test, allows_matching_policy_and_explains) {
    EXPECT_TRUE(load("A", pubsub_policy("p1", {publish}, {"a/*", "b"})).empty());
    const auto d = check("A", publish, "a/x/y");
    EXPECT_TRUE(d.allowed);
    EXPECT_EQ(d.status, authz_status::allowed);
    EXPECT_TRUE(d.message.empty());
    ASSERT_TRUE(d.grant);
    EXPECT_EQ(d.grant->by->component, "A");
    EXPECT_EQ(d.grant->by->policy_id, "p1");
    EXPECT_EQ(d.grant->by->description, "test");
    EXPECT_FALSE(d.grant->via_any_operation);
    ASSERT_NE(d.grant->pattern(), nullptr);
    EXPECT_EQ(d.grant->pattern()->text(), "a/*");
    EXPECT_TRUE(contains(d.to_string(), "policy \"p1\" of \"A\""));
    EXPECT_TRUE(contains(d.to_string(), "resource pattern \"a/*\""));
}

TEST_F(authorizer_test, denial_message_is_the_nucleus_one) {
    load("A", pubsub_policy("p1", {publish}, {"a/*"}));
    const auto d = check("A", publish, "b/1");
    EXPECT_FALSE(d.allowed);
    EXPECT_EQ(d.status, authz_status::not_authorized);
    EXPECT_EQ(d.message,
              "Principal A is not authorized to perform "
              "aws.greengrass.ipc.pubsub:aws.greengrass#PublishToTopic "
              "on resource b/1");
    ASSERT_EQ(d.misses.size(), 1u);
    EXPECT_EQ(d.misses[0].reason, miss_reason::no_resource_matched);
    EXPECT_TRUE(contains(d.to_string(), "no resource matched"));
    EXPECT_TRUE(contains(d.to_string(), "\"a/*\""));
}

TEST_F(authorizer_test, unregistered_operation_and_service) {
    load("A", pubsub_policy("p1", {"*"}, {"*"}));
    auto d = check("A", "aws.greengrass#Bogus", "a");
    EXPECT_EQ(d.status, authz_status::operation_not_registered);
    EXPECT_EQ(d.message,
              "Component aws.greengrass.ipc.pubsub not registered for operation aws.greengrass#Bogus");

    // Operation names are case-sensitive.
    d = check("A", "aws.greengrass#publishToTopic", "a");
    EXPECT_EQ(d.message,
              "Component aws.greengrass.ipc.pubsub not registered for operation "
              "aws.greengrass#publishToTopic");

    d = check("A", "aws.greengrass#CancelLocalDeployment", std::nullopt, "aws.greengrass.Cli");
    EXPECT_EQ(d.message,
              "Component aws.greengrass.Cli not registered for operation "
              "aws.greengrass#CancelLocalDeployment");

    d = check("A", publish, "a", "aws.greengrass.ipc.PubSub");
    EXPECT_EQ(d.status, authz_status::service_not_registered);
    EXPECT_EQ(d.message, "Component not registered: aws.greengrass.ipc.PubSub");

    d = check("A", publish, "a", "");
    EXPECT_EQ(d.message, "Component name is not specified: ");

    d = check("", publish, "a");
    EXPECT_EQ(d.status, authz_status::invalid_arguments);
    EXPECT_EQ(d.message, "Invalid arguments");
}

TEST_F(authorizer_test, empty_resource_is_rejected_even_with_star_policy) {
    load("A", pubsub_policy("p1", {"*"}, {"*"}));
    const auto d = check("A", publish, "");
    EXPECT_FALSE(d.allowed);
    EXPECT_EQ(d.status, authz_status::empty_resource);
    EXPECT_EQ(d.message, "Resource cannot be empty");
}

TEST_F(authorizer_test, null_resource_matches_any_existing_cell) {
    load("A", pubsub_policy("p1", {publish}, {"only/this"}));
    auto d = check("A", publish, std::nullopt);
    EXPECT_TRUE(d.allowed);
    ASSERT_TRUE(d.grant);
    EXPECT_EQ(d.grant->pattern(), nullptr);
    EXPECT_TRUE(contains(d.to_string(), "no resource in the request"));

    d = check("A", subscribe, std::nullopt);  // no cell for SubscribeToTopic
    EXPECT_FALSE(d.allowed);
    EXPECT_EQ(d.message,
              "Principal A is not authorized to perform "
              "aws.greengrass.ipc.pubsub:aws.greengrass#SubscribeToTopic on resource null");
    ASSERT_EQ(d.misses.size(), 1u);
    EXPECT_EQ(d.misses[0].reason, miss_reason::operation_not_listed);

    d = check("B", publish, std::nullopt);
    EXPECT_FALSE(d.allowed);
    EXPECT_EQ(d.message,
              "Principal B is not authorized to perform "
              "aws.greengrass.ipc.pubsub:aws.greengrass#PublishToTopic on resource null");
}

TEST_F(authorizer_test, union_of_components_and_principal_isolation) {
    load("A", pubsub_policy("pa", {publish}, {"a/*"}));
    load("B", pubsub_policy("pb", {publish, subscribe}, {"b/*"}));
    EXPECT_TRUE(check("A", publish, "a/1").allowed);
    EXPECT_TRUE(check("B", publish, "b/1").allowed);
    EXPECT_TRUE(check("B", subscribe, "b/#").allowed);
    // A component's policy grants only that component.
    EXPECT_FALSE(check("A", publish, "b/1").allowed);
    EXPECT_FALSE(check("B", publish, "a/1").allowed);
    EXPECT_FALSE(check("C", publish, "a/1").allowed);

    const auto d = check("A", subscribe, "b/1");
    ASSERT_EQ(d.misses.size(), 2u);
    EXPECT_EQ(d.misses[0].by->component, "A");
    EXPECT_EQ(d.misses[0].reason, miss_reason::operation_not_listed);
    EXPECT_EQ(d.misses[1].by->component, "B");
    EXPECT_EQ(d.misses[1].reason, miss_reason::other_principal);
    EXPECT_TRUE(contains(d.to_string(), "belongs to another component"));
    EXPECT_EQ(authz.policies_for(pubsub).size(), 2u);
}

TEST_F(authorizer_test, same_policy_id_in_two_components_is_fine) {
    load("A", pubsub_policy("shared", {publish}, {"a"}));
    load("B", pubsub_policy("shared", {publish}, {"b"}));
    EXPECT_TRUE(check("A", publish, "a").allowed);
    EXPECT_TRUE(check("B", publish, "b").allowed);
}

TEST_F(authorizer_test, star_operation_covers_every_operation) {
    load("A", pubsub_policy("all", {"*"}, {"t/*"}));
    for (const auto& op : {publish, subscribe}) {
        const auto d = check("A", op, "t/1");
        EXPECT_TRUE(d.allowed) << op;
        ASSERT_TRUE(d.grant);
        EXPECT_TRUE(d.grant->via_any_operation);
        EXPECT_TRUE(contains(d.to_string(), "operation \"*\""));
    }
    EXPECT_TRUE(check("A", "*", "t/1").allowed);
    EXPECT_FALSE(check("A", publish, "u/1").allowed);
}

TEST_F(authorizer_test, specific_operation_is_preferred_to_star) {
    std::vector<std::string> diagnostics;
    authz.load_component("A",
                         json{{pubsub,
                               {{"any", {{"operations", {"*"}}, {"resources", {"*"}}}},
                                {"exact", {{"operations", {publish}}, {"resources", {"t"}}}}}}},
                         diagnostics);
    const auto d = check("A", publish, "t");
    ASSERT_TRUE(d.grant);
    EXPECT_EQ(d.grant->by->policy_id, "exact");
    EXPECT_FALSE(d.grant->via_any_operation);
}

TEST_F(authorizer_test, glob_and_mqtt_syntaxes_per_service) {
    // Developer guide: pubsub policy test/* authorizes SubscribeToTopic("test/#").
    load("A", pubsub_policy("p", {subscribe}, {"test/*"}));
    EXPECT_TRUE(check("A", subscribe, "test/#").allowed);

    std::vector<std::string> diagnostics;
    authz.load_component(
        "M",
        json{
            {mqttproxy,
             {{"m1",
               {{"operations", {"aws.greengrass#SubscribeToIoTCore", "aws.greengrass#PublishToIoTCore"}},
                {"resources", {"test/topic/#", "single/+"}}}}}}},
        diagnostics);
    const auto iot = [&](const std::string& op, const std::string& topic) {
        return check("M", "aws.greengrass#" + op, topic, mqttproxy).allowed;
    };
    EXPECT_TRUE(iot("SubscribeToIoTCore", "test/topic/#"));
    EXPECT_TRUE(iot("SubscribeToIoTCore", "test/topic/filter"));
    EXPECT_TRUE(iot("PublishToIoTCore", "test/topic"));
    EXPECT_FALSE(iot("PublishToIoTCore", "test/topicx"));
    EXPECT_TRUE(iot("SubscribeToIoTCore", "single/#"));  // the '+' swallows the '#'
    EXPECT_FALSE(iot("SubscribeToIoTCore", "single/a/b"));

    // The same '#' pattern in pubsub (glob) is a literal.
    load("G", pubsub_policy("g", {publish}, {"test/topic/#"}));
    EXPECT_FALSE(check("G", publish, "test/topic/a").allowed);
    EXPECT_TRUE(check("G", publish, "test/topic/#").allowed);
}

TEST_F(authorizer_test, shadow_resources_with_dollar) {
    std::vector<std::string> diagnostics;
    authz.load_component(
        "S",
        json{{"aws.greengrass.ShadowManager",
              {{"s1",
                {{"operations", {"aws.greengrass#GetThingShadow"}},
                 {"resources", {"$aws/things/core/shadow", "$aws/things/core/shadow/name/*"}}}}}}},
        diagnostics);
    EXPECT_TRUE(diagnostics.empty());
    const auto shadow = [&](const std::string& r) {
        return check("S", "aws.greengrass#GetThingShadow", r, "aws.greengrass.ShadowManager").allowed;
    };
    EXPECT_TRUE(shadow("$aws/things/core/shadow"));
    EXPECT_TRUE(shadow("$aws/things/core/shadow/name/cfg"));
    EXPECT_FALSE(shadow("$aws/things/other/shadow"));
}

TEST_F(authorizer_test, escaped_star_is_literal) {
    load("A", pubsub_policy("p", {publish}, {"a/${*}"}));
    EXPECT_TRUE(check("A", publish, "a/*").allowed);
    EXPECT_FALSE(check("A", publish, "a/b").allowed);
}

// ---------------------------------------------------------------------------------------------
// Loading: formats and validation (semantics.md §2.1, §2.2).

TEST_F(authorizer_test, access_control_as_json_string) {
    const auto text = pubsub_policy("p", {publish}, {"s/*"}).dump();
    EXPECT_TRUE(load("A", json(text)).empty());
    EXPECT_TRUE(check("A", publish, "s/1").allowed);

    const auto diagnostics = load("B", json("{not json"));
    ASSERT_EQ(diagnostics.size(), 1u);
    EXPECT_TRUE(any_contains(diagnostics, {"component \"B\"", "ignored entirely", "not valid JSON"}));
    EXPECT_TRUE(load("C", json("[1,2]")).size() == 1u);
}

TEST_F(authorizer_test, field_names_are_case_insensitive) {
    const json ac = {
        {pubsub,
         {{"p", {{"PolicyDescription", "d"}, {"Operations", {publish}}, {"RESOURCES", {"x/*"}}}}}}};
    EXPECT_TRUE(load("A", ac).empty());
    EXPECT_TRUE(check("A", publish, "x/1").allowed);
    EXPECT_EQ(authz.component_policies("A").at(0)->description, "d");
}

TEST_F(authorizer_test, unknown_service_is_ignored) {
    const json ac = {
        {"aws.greengrass.ipc.PubSub", {{"p", {{"operations", {publish}}, {"resources", {"*"}}}}}},
        {pubsub, {{"q", {{"operations", {publish}}, {"resources", {"ok"}}}}}}};
    const auto diagnostics = load("A", ac);
    ASSERT_EQ(diagnostics.size(), 1u);
    EXPECT_TRUE(any_contains(diagnostics,
                             {"component \"A\"", "\"aws.greengrass.ipc.PubSub\"", "not a registered"}));
    EXPECT_TRUE(check("A", publish, "ok").allowed);
    EXPECT_FALSE(check("A", publish, "other").allowed);
}

TEST_F(authorizer_test, policy_without_operations_is_skipped) {
    const json ac = {{pubsub,
                      {{"noops", {{"resources", {"*"}}}},
                       {"emptyops", {{"operations", json::array()}, {"resources", {"*"}}}},
                       {"good", {{"operations", {publish}}, {"resources", {"g"}}}}}}};
    const auto diagnostics = load("A", ac);
    EXPECT_EQ(diagnostics.size(), 2u);
    EXPECT_TRUE(any_contains(diagnostics, {"\"noops\"", "Policy operations are missing or invalid"}));
    EXPECT_TRUE(any_contains(diagnostics, {"\"emptyops\"", "Policy operations are missing or invalid"}));
    EXPECT_TRUE(check("A", publish, "g").allowed);
    EXPECT_FALSE(check("A", publish, "h").allowed);
    EXPECT_EQ(authz.component_policies("A").size(), 1u);
}

TEST_F(authorizer_test, conversion_errors_drop_the_whole_access_control) {
    const json good = {{"operations", {publish}}, {"resources", {"*"}}};
    const std::vector<std::pair<json, std::string_view>> cases = {
        {{{pubsub, {{"good", good}, {"bad", {{"operations", {publish}}, {"resources", nullptr}}}}}},
         "resources is null"},
        {{{pubsub, {{"good", good}, {"bad", {{"operations", nullptr}}}}}}, "operations is null"},
        {{{pubsub, {{"good", good}, {"bad", {{"operations", publish}}}}}}, "operations is not a list"},
        {{{pubsub,
           {{"good", good}, {"bad", {{"operations", {publish}}, {"policyDescription", nullptr}}}}}},
         "policyDescription is null"},
        {{{pubsub,
           {{"good", good}, {"bad", {{"operations", {publish}}, {"policyDescription", {1, 2}}}}}}},
         "policyDescription is not a string"},
        {{{pubsub, {{"good", good}, {"bad", {{"operations", {publish}}, {"resource", {"x"}}}}}}},
         "unknown field \"resource\""},
        {{{pubsub, {{"good", good}, {"bad", {{"operations", {{{"k", "v"}}}}}}}}}, "not a string"},
        {{{pubsub, {{"good", good}, {"bad", "text"}}}}, "is not an object"},
        {{{pubsub, {{"good", good}}}, {"aws.greengrass.Unknown", "text"}},
         "is not an object of policies"},
        {json::array(), "accessControl is not an object"},
        {json(5), "accessControl is not an object"},
        {json(nullptr), "accessControl is not an object"},
    };
    for (const auto& [ac, why] : cases) {
        authorizer fresh;
        register_nucleus_services(fresh);
        std::vector<std::string> diagnostics;
        fresh.load_component("A", ac, diagnostics);
        EXPECT_FALSE(fresh.check({pubsub, "A", publish, "x"}).allowed) << ac.dump();
        ASSERT_EQ(diagnostics.size(), 1u) << ac.dump();
        EXPECT_TRUE(any_contains(diagnostics, {"component \"A\"", "ignored entirely", why}))
            << diagnostics[0];
    }
}

TEST_F(authorizer_test, scalars_coerce_to_text) {
    const json ac = {
        {pubsub,
         {{"p", {{"policyDescription", 42}, {"operations", {publish}}, {"resources", {7, true}}}}}}};
    EXPECT_TRUE(load("A", ac).empty());
    EXPECT_TRUE(check("A", publish, "7").allowed);
    EXPECT_TRUE(check("A", publish, "true").allowed);
    EXPECT_EQ(authz.component_policies("A").at(0)->description, "42");
}

TEST_F(authorizer_test, bad_resources_are_skipped_individually) {
    const auto diagnostics =
        load("A", pubsub_policy("p", {publish}, {"ok/*", "what?", "${x}", "${iot:thingName}"}));
    ASSERT_EQ(diagnostics.size(), 3u);
    EXPECT_TRUE(any_contains(diagnostics, {"component \"A\"", model::service_ids::pubsub, "policy \"p\"",
                                           "\"what?\"", "Resource contains invalid character: '?'"}));
    EXPECT_TRUE(any_contains(diagnostics, {"\"${x}\"", "invalid escape sequence: ${x}"}));
    EXPECT_TRUE(any_contains(diagnostics, {"\"${iot:thingName}\"", "You can use ${*}, ${$}, or ${?}"}));
    EXPECT_TRUE(check("A", publish, "ok/1").allowed);
    EXPECT_FALSE(check("A", publish, "what?").allowed);
    EXPECT_EQ(authz.component_policies("A").at(0)->invalid_resources, 3u);
}

TEST_F(authorizer_test, policy_whose_resources_are_all_invalid_allows_nothing) {
    const auto diagnostics = load("A", pubsub_policy("p", {publish}, {"bad?"}));
    EXPECT_TRUE(any_contains(diagnostics, {"no valid resource left"}));
    const auto d = check("A", publish, std::nullopt);
    EXPECT_FALSE(d.allowed);  // the nucleus creates no cell for it
    ASSERT_EQ(d.misses.size(), 1u);
    EXPECT_EQ(d.misses[0].reason, miss_reason::no_valid_resource);
}

TEST_F(authorizer_test, policy_without_resources_allows_only_null_resource) {
    const json ac = {{pubsub,
                      {{"p", {{"operations", {publish}}}},
                       {"q", {{"operations", {subscribe}}, {"resources", json::array()}}}}}};
    const auto diagnostics = load("A", ac);
    EXPECT_EQ(diagnostics.size(), 2u);
    EXPECT_TRUE(any_contains(diagnostics, {"policy \"p\"", "lists no resources"}));
    EXPECT_TRUE(check("A", publish, std::nullopt).allowed);
    EXPECT_TRUE(check("A", subscribe, std::nullopt).allowed);
    const auto d = check("A", publish, "x");
    EXPECT_FALSE(d.allowed);
    ASSERT_EQ(d.misses.size(), 2u);
    EXPECT_EQ(d.misses[0].reason, miss_reason::no_resources);
    EXPECT_EQ(d.misses[1].reason, miss_reason::operation_not_listed);
}

TEST_F(authorizer_test, unregistered_operation_in_policy_is_reported) {
    const auto diagnostics =
        load("A", pubsub_policy("p", {"aws.greengrass#publishToTopic", subscribe}, {"*"}));
    ASSERT_EQ(diagnostics.size(), 1u);
    EXPECT_TRUE(any_contains(diagnostics,
                             {"policy \"p\"", "\"aws.greengrass#publishToTopic\"", "not registered"}));
    EXPECT_TRUE(check("A", subscribe, "t").allowed);
    EXPECT_EQ(check("A", publish, "t").misses.at(0).reason, miss_reason::operation_not_listed);
}

TEST_F(authorizer_test, null_list_elements_are_dropped) {
    const json ac = {
        {pubsub, {{"p", {{"operations", {publish, nullptr}}, {"resources", {nullptr, "r"}}}}}}};
    const auto diagnostics = load("A", ac);
    EXPECT_EQ(diagnostics.size(), 2u);
    EXPECT_TRUE(any_contains(diagnostics, {"null element in operations"}));
    EXPECT_TRUE(any_contains(diagnostics, {"null element in resources"}));
    EXPECT_TRUE(check("A", publish, "r").allowed);
}

TEST_F(authorizer_test, empty_policy_id_disables_the_service_for_everyone) {
    load("B", pubsub_policy("pb", {publish}, {"*"}));
    load("A", {{pubsub, {{"", {{"operations", {publish}}, {"resources", {"*"}}}}}},
               {"aws.greengrass.SecretManager",
                {{"s", {{"operations", {"aws.greengrass#GetSecretValue"}}, {"resources", {"*"}}}}}}});
    auto d = check("B", publish, "x");
    EXPECT_FALSE(d.allowed);
    EXPECT_EQ(d.disabled_by, std::vector<std::string>{"A"});
    ASSERT_EQ(d.misses.size(), 1u);
    EXPECT_EQ(d.misses[0].reason, miss_reason::service_disabled);
    EXPECT_TRUE(contains(d.to_string(), "empty id"));
    // Other services of the same component are unaffected.
    EXPECT_TRUE(
        check("A", "aws.greengrass#GetSecretValue", "arn", "aws.greengrass.SecretManager").allowed);

    std::vector<std::string> diagnostics;
    authz.load_component("A", json::object(), diagnostics);  // reload without the bad policy
    EXPECT_TRUE(check("B", publish, "x").allowed);
}

TEST_F(authorizer_test, empty_policy_id_diagnostic) {
    const auto diagnostics = load("A", {{pubsub, {{"", {{"operations", {publish}}}}}}});
    ASSERT_EQ(diagnostics.size(), 1u);
    EXPECT_TRUE(any_contains(diagnostics, {"component \"A\"", "policy id is empty", "every policy"}));
    // An empty id on a policy without operations is skipped first and disables nothing.
    authorizer fresh;
    register_nucleus_services(fresh);
    std::vector<std::string> d2;
    fresh.load_component("B", pubsub_policy("pb", {publish}, {"*"}), d2);
    fresh.load_component("A", {{pubsub, {{"", {{"resources", {"*"}}}}}}}, d2);
    EXPECT_TRUE(fresh.check({pubsub, "B", publish, "x"}).allowed);
}

// ---------------------------------------------------------------------------------------------
// Reloading.

TEST_F(authorizer_test, reload_replaces_and_remove_drops) {
    load("A", pubsub_policy("p", {publish}, {"old/*"}));
    const auto before = check("A", publish, "old/1");
    ASSERT_TRUE(before.allowed);

    load("A", pubsub_policy("p", {publish}, {"new/*"}));
    EXPECT_FALSE(check("A", publish, "old/1").allowed);
    EXPECT_TRUE(check("A", publish, "new/1").allowed);
    // An earlier decision still explains itself with the policy it cited.
    EXPECT_EQ(before.grant->pattern()->text(), "old/*");

    EXPECT_TRUE(authz.remove_component("A"));
    EXPECT_FALSE(authz.remove_component("A"));
    const auto d = check("A", publish, "new/1");
    EXPECT_FALSE(d.allowed);
    EXPECT_TRUE(d.misses.empty());
    EXPECT_TRUE(contains(d.to_string(), "no policy for aws.greengrass.ipc.pubsub is loaded"));
}

TEST_F(authorizer_test, failed_reload_removes_previous_policies) {
    load("A", pubsub_policy("p", {publish}, {"*"}));
    load("A", {{pubsub, {{"p", {{"operations", nullptr}}}}}});
    EXPECT_FALSE(check("A", publish, "x").allowed);
    EXPECT_TRUE(authz.component_policies("A").empty());
}

}  // namespace
}  // namespace standin::server
