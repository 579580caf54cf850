// SPDX-License-Identifier: Apache-2.0
#include "lint/recipe_lint.hpp"

#include <algorithm>
#include <string>

#include <gtest/gtest.h>

namespace standin::server::lint {
namespace {

const platform_labels linux_amd64{{"os", "linux"}, {"architecture", "amd64"}};

std::vector<finding> lint(std::string_view text, lint_target target = lint_target::nucleus,
                          const char* file = "test.yaml") {
    return lint_recipe(parse_recipe(text, file, linux_amd64), text, {target});
}

// A recipe with `access_control` (YAML indented by 6) as its accessControl; it starts at line 7.
std::string with_access_control(std::string_view access_control) {
    return "RecipeFormatVersion: '2020-01-25'\n"
           "ComponentName: com.example.Test\n"
           "ComponentVersion: '1.0.0'\n"
           "ComponentConfiguration:\n"
           "  DefaultConfiguration:\n"
           "    accessControl:\n" +
           std::string{access_control} +
           "Manifests:\n"
           "  - Lifecycle:\n"
           "      Run: echo hi\n";
}

std::vector<finding> with_check(const std::vector<finding>& findings, std::string_view check) {
    std::vector<finding> out;
    std::copy_if(findings.begin(), findings.end(), std::back_inserter(out),
                 [&](const finding& f) { return f.check == check; });
    return out;
}

std::string all_text(const std::vector<finding>& findings) {
    std::string out;
    for (const auto& f : findings)
        out += format_text(f) + "\n";
    return out;
}

// Exactly one finding of `check`, at `line`, whose problem and fix contain the fragments.
void expect_one(const std::vector<finding>& findings, std::string_view check, severity level, int line,
                std::string_view problem_part, std::string_view fix_part = {}) {
    const auto found = with_check(findings, check);
    ASSERT_EQ(found.size(), 1u) << all_text(findings);
    EXPECT_EQ(found[0].level, level) << all_text(found);
    EXPECT_EQ(found[0].line, line) << all_text(found);
    EXPECT_NE(found[0].problem.find(problem_part), std::string::npos) << all_text(found);
    EXPECT_NE(found[0].fix.find(fix_part), std::string::npos) << all_text(found);
}

TEST(RecipeLint, ACleanRecipeHasNoFindings) {
    const auto findings = lint(with_access_control(R"(      aws.greengrass.ipc.pubsub:
        com.example.Test:pubsub:1:
          policyDescription: Publish sensor readings.
          operations: [aws.greengrass#PublishToTopic, aws.greengrass#SubscribeToTopic]
          resources: ["sensors/*"]
      aws.greengrass.ipc.mqttproxy:
        com.example.Test:mqtt:1:
          operations: ["*"]
          resources: ["devices/+/status", "commands/#"]
      aws.greengrass.SecretManager:
        com.example.Test:secrets:1:
          operations: [aws.greengrass#GetSecretValue]
          resources: ["arn:aws:secretsmanager:*:*:secret:db-*"]
      aws.greengrass.ShadowManager:
        com.example.Test:shadow:1:
          operations: ["*"]
          resources: ["$aws/things/dev1/shadow/name/config", dev1]
      aws.greengrass.Cli:
        com.example.Test:cli:1:
          operations: [aws.greengrass#ListComponents, aws.greengrass#RestartComponent]
          resources: ["*"]
)"));
    EXPECT_TRUE(findings.empty()) << all_text(findings);
}

TEST(RecipeLint, MisCasedServiceIdNamesTheRightOne) {
    const auto findings = lint(with_access_control(R"(      aws.greengrass.ipc.PubSub:
        p1: {operations: [aws.greengrass#PublishToTopic], resources: [a]}
)"));
    expect_one(findings, "service-id", severity::error, 7, "mis-cased",
               "write \"aws.greengrass.ipc.pubsub\"");
}

TEST(RecipeLint, UnknownServiceIdSuggestsTheNearest) {
    const auto findings = lint(with_access_control(R"(      aws.greengrass.SecretsManager:
        p1: {operations: [aws.greengrass#GetSecretValue], resources: ["*"]}
)"));
    expect_one(findings, "service-id", severity::error, 7, "not an IPC service",
               "\"aws.greengrass.SecretManager\"");
}

TEST(RecipeLint, OperationWithoutPrefix) {
    const auto findings = lint(with_access_control(R"(      aws.greengrass.ipc.pubsub:
        p1:
          operations:
            - PublishToTopic
          resources: [a]
)"));
    expect_one(findings, "operation", severity::error, 10, "lacks the \"aws.greengrass#\" prefix",
               "write \"aws.greengrass#PublishToTopic\"");
    EXPECT_EQ(with_check(findings, "operation")[0].column, 15);
}

TEST(RecipeLint, MisCasedOrUnknownOperation) {
    const auto findings = lint(with_access_control(R"(      aws.greengrass.ipc.pubsub:
        p1: {operations: [aws.greengrass#publishToTopic], resources: [a]}
)"));
    expect_one(findings, "operation", severity::error, 8, "not an IPC operation",
               "did you mean \"aws.greengrass#PublishToTopic\"?");
}

TEST(RecipeLint, OperationOfAnotherService) {
    const auto findings = lint(with_access_control(R"(      aws.greengrass.ipc.pubsub:
        p1: {operations: [aws.greengrass#PublishToIoTCore], resources: [a]}
)"));
    expect_one(findings, "operation", severity::error, 8,
               "authorized under service \"aws.greengrass.ipc.mqttproxy\"",
               "move it to a policy under \"aws.greengrass.ipc.mqttproxy\"");
}

TEST(RecipeLint, OperationTheNucleusNeverRegisters) {
    const auto findings = lint(with_access_control(R"(      aws.greengrass.Cli:
        p1: {operations: [aws.greengrass#CancelLocalDeployment], resources: ["*"]}
)"));
    expect_one(findings, "operation", severity::error, 8, "does not register");
}

TEST(RecipeLint, OperationThatNeedsNoPolicy) {
    const auto findings = lint(with_access_control(R"(      aws.greengrass.ipc.pubsub:
        p1: {operations: [aws.greengrass#GetConfiguration, aws.greengrass#PublishToTopic], resources: [a]}
)"));
    expect_one(findings, "operation", severity::warning, 8, "never authorized by policy", "remove it");
}

TEST(RecipeLint, MqttWildcardsInPubsubAreLiteral) {
    const auto findings = lint(with_access_control(R"(      aws.greengrass.ipc.pubsub:
        p1:
          operations: [aws.greengrass#SubscribeToTopic]
          resources:
            - sensors/+/temperature
            - "alerts/#"
            - "a+b/c#"
)"));
    const auto found = with_check(findings, "mqtt-wildcard");
    ASSERT_EQ(found.size(), 2u) << all_text(findings);
    EXPECT_EQ(found[0].line, 11);
    EXPECT_EQ(found[0].level, severity::warning);
    EXPECT_NE(found[0].fix.find("\"sensors/*/temperature\""), std::string::npos) << found[0].fix;
    EXPECT_EQ(found[1].line, 12);
    EXPECT_NE(found[1].fix.find("\"alerts/*\""), std::string::npos) << found[1].fix;
}

TEST(RecipeLint, MqttMultiLevelWildcardOnlyAtTheEnd) {
    const auto findings = lint(with_access_control(R"(      aws.greengrass.ipc.mqttproxy:
        p1: {operations: [aws.greengrass#SubscribeToIoTCore], resources: ["a/#/b", "c/#", "#"]}
)"));
    expect_one(findings, "mqtt-wildcard", severity::warning, 8, "only as the last level");
}

TEST(RecipeLint, SecretNameWhereTheArnIsChecked) {
    const auto findings = lint(with_access_control(R"(      aws.greengrass.SecretManager:
        p1: {operations: [aws.greengrass#GetSecretValue], resources: [db-password]}
)"));
    expect_one(findings, "resource-never-matches", severity::error, 8, "secret ARN",
               "\"arn:aws:secretsmanager:*:*:secret:db-password-*\"");
}

TEST(RecipeLint, ShadowPathWithoutName) {
    const auto findings = lint(with_access_control(R"(      aws.greengrass.ShadowManager:
        p1: {operations: [aws.greengrass#GetThingShadow], resources: ["$aws/things/dev1/shadow/config"]}
)"));
    expect_one(findings, "resource-never-matches", severity::error, 8, "shadow path",
               "\"$aws/things/dev1/shadow/name/config\"");
}

TEST(RecipeLint, ResourceCheckedAgainstLiteralStar) {
    const auto findings = lint(with_access_control(R"(      aws.greengrass.Cli:
        p1: {operations: [aws.greengrass#ListComponents], resources: [com.example.Sensor]}
        p2: {operations: ["*"], resources: [com.example.Sensor]}
)"));
    // p2 also covers GetComponentDetails, which checks the component name.
    expect_one(findings, "resource-never-matches", severity::error, 8, "the literal \"*\"",
               "write \"*\"");
}

TEST(RecipeLint, PoliciesThatAllowNothing) {
    const auto findings = lint(with_access_control(R"(      aws.greengrass.ipc.pubsub:
        p1: {operations: [], resources: [a]}
        p2: {operations: [aws.greengrass#PublishToTopic], resources: []}
        p3: {operations: [aws.greengrass#PublishToTopic]}
)"));
    const auto found = with_check(findings, "allows-nothing");
    ASSERT_EQ(found.size(), 3u) << all_text(findings);
    EXPECT_EQ(found[0].line, 8);
    EXPECT_NE(found[0].problem.find("lists no operations"), std::string::npos);
    EXPECT_NE(found[0].fix.find("aws.greengrass#PublishToTopic"), std::string::npos);
    EXPECT_EQ(found[1].line, 9);
    EXPECT_NE(found[1].problem.find("lists no resources"), std::string::npos);
    EXPECT_EQ(found[2].line, 10);
}

TEST(RecipeLint, MisspelledPolicyFieldDropsTheWholeAccessControl) {
    const auto findings = lint(with_access_control(R"(      aws.greengrass.ipc.pubsub:
        p1:
          opertaions: [aws.greengrass#PublishToTopic]
          resources: [a]
)"));
    expect_one(findings, "malformed-policy", severity::error, 9, "ignored entirely",
               "rename it to 'operations'");
}

TEST(RecipeLint, InvalidResources) {
    const auto findings = lint(with_access_control(R"(      aws.greengrass.ShadowManager:
        p1:
          operations: [aws.greengrass#GetThingShadow]
          resources: ["$aws/things/${iot:thingName}/shadow", "a?b", "$aws/things/x/shadow"]
)"));
    const auto found = with_check(findings, "malformed-policy");
    ASSERT_EQ(found.size(), 2u) << all_text(findings);
    EXPECT_NE(found[0].fix.find("{iot:thingName}, without the '$'"), std::string::npos) << found[0].fix;
    EXPECT_NE(found[1].problem.find("invalid character: '?'"), std::string::npos) << found[1].problem;
    EXPECT_GT(found[1].column, found[0].column);
    EXPECT_TRUE(with_check(findings, "resource-never-matches").empty()) << all_text(findings);
}

TEST(RecipeLint, EmptyPolicyIdAndNullElements) {
    const auto findings = lint(with_access_control(R"(      aws.greengrass.ipc.pubsub:
        "":
          operations: [aws.greengrass#PublishToTopic]
          resources: [a]
        p2:
          operations: [aws.greengrass#PublishToTopic, null]
          resources: [a]
)"));
    const auto found = with_check(findings, "malformed-policy");
    ASSERT_EQ(found.size(), 2u) << all_text(findings);
    EXPECT_NE(found[0].problem.find("empty id"), std::string::npos);
    EXPECT_EQ(found[0].line, 8);
    EXPECT_NE(found[1].problem.find("a null in operations"), std::string::npos);
    EXPECT_EQ(found[1].line, 12);
}

TEST(RecipeLint, RecipeVariablesInResources) {
    const auto findings = lint(with_access_control(R"(      aws.greengrass.ShadowManager:
        p1:
          operations: [aws.greengrass#GetThingShadow]
          resources: ["$aws/things/{iot:thingName}/shadow", "$aws/things/{iot:ThingName}/shadow"]
)"));
    const auto found = with_check(findings, "recipe-variable");
    ASSERT_EQ(found.size(), 2u) << all_text(findings);
    EXPECT_EQ(found[0].level, severity::note);
    EXPECT_NE(found[0].problem.find("interpolateComponentConfiguration"), std::string::npos);
    EXPECT_NE(found[0].fix.find("standin serve (and standin policy check) with "
                                "--interpolate-component-configuration"),
              std::string::npos)
        << found[0].fix;
    EXPECT_EQ(found[1].level, severity::warning);
    EXPECT_EQ(found[1].fix, "write {iot:thingName}");
}

TEST(RecipeLint, UnknownRecipeKeys) {
    const auto findings = lint(R"(RecipeFormatVersion: '2020-01-25'
ComponentName: com.example.Test
ComponentVersion: '1.0.0'
ComponentDescripton: typo
Manifests:
  - Platform: {os: linux}
    Artifacts:
      - {URI: "s3://b/a.zip", Unarchve: ZIP}
    Lifecycle:
      Strtup: echo hi
      Run:
        Script: echo hi
        TimeOut: 5
        RequirePrivilege: true
)");
    const auto found = with_check(findings, "unknown-key");
    ASSERT_EQ(found.size(), 4u) << all_text(findings);
    EXPECT_EQ(found[0].line, 4);
    EXPECT_EQ(found[0].fix, "rename it to 'ComponentDescription'");
    EXPECT_EQ(found[1].line, 8);
    EXPECT_EQ(found[1].fix, "rename it to 'Unarchive'");
    EXPECT_EQ(found[2].line, 10);
    EXPECT_EQ(found[2].fix, "rename it to 'Startup'");
    EXPECT_EQ(found[3].line, 14);
    EXPECT_EQ(found[3].fix, "rename it to 'RequiresPrivilege'");
}

TEST(RecipeLint, GlobalLifecycleSelectionKeysAreNotSteps) {
    const auto findings = lint(R"(RecipeFormatVersion: '2020-01-25'
ComponentName: com.example.Test
ComponentVersion: '1.0.0'
Manifests:
  - Selections: [linux]
Lifecycle:
  linux:
    Run: echo linux
  Install:
    all: echo all
)");
    EXPECT_TRUE(findings.empty()) << all_text(findings);
}

TEST(RecipeLint, JsonRecipesHaveLines) {
    const auto findings = lint(R"({
  "RecipeFormatVersion": "2020-01-25",
  "ComponentName": "com.example.Test",
  "ComponentVersion": "1.0.0",
  "ComponentConfiguration": {"DefaultConfiguration": {"accessControl": {
    "aws.greengrass.ipc.pubsub": {
      "p1": {
        "operations": ["PublishToTopic"],
        "resources": ["a"]
      }
    }
  }}},
  "Manifests": [{"Lifecycle": {"Run": "echo hi"}}]
})",
                               lint_target::nucleus, "test.json");
    expect_one(findings, "operation", severity::error, 8, "prefix");
}

// accessControl may be a string holding JSON (the nucleus parses it): findings point at it.
TEST(RecipeLint, AccessControlAsAJsonString) {
    const auto findings = lint(with_access_control(
        R"(      '{"aws.greengrass.ipc.pubsub": {"p1": {"operations": ["PublishToTopic"], "resources": ["a"]}}}'
)"));
    expect_one(findings, "operation", severity::error, 6, "prefix");
}

// Whatever shape accessControl takes, lint reports it and does not throw.
TEST(RecipeLint, OddShapesAreReportedNotThrown) {
    for (const char* shape : {
             "      [a, b]\n",
             "      42\n",
             "      ~\n",
             "      '{not json'\n",
             "      aws.greengrass.ipc.pubsub: [p1, p2]\n",
             "      aws.greengrass.ipc.pubsub: {p1: [x]}\n",
             "      aws.greengrass.ipc.pubsub: {p1: {operations: {a: b}, resources: [a]}}\n",
             "      aws.greengrass.ipc.pubsub: {p1: {operations: [[x]], resources: [{a: b}]}}\n",
             "      aws.greengrass.ipc.pubsub: {p1: {operations: [1, true], resources: [2]}}\n",
             "      aws.greengrass.ipc.pubsub: {p1: {operations: ~, resources: ~}}\n",
             "      aws.greengrass.ipc.pubsub: {p1: {policyDescription: [x], operations: ['*']}}\n",
             "      ? [complex, key]\n      : x\n",
         }) {
        SCOPED_TRACE(shape);
        std::vector<finding> findings;
        const std::string text = with_access_control(shape);
        try {
            findings = lint(text);
        } catch (const recipe_error&) {
            continue;  // the recipe parser's verdict (a list or map as a key), reported as such
        }
        for (const auto target : {lint_target::nucleus, lint_target::lite})
            EXPECT_NO_THROW(lint(text, target));
        const bool reported = std::any_of(findings.begin(), findings.end(),
                                          [](const finding& f) { return f.level == severity::error; });
        EXPECT_TRUE(reported) << all_text(findings);
    }
}

TEST(RecipeLint, LiteTarget) {
    const std::string text = R"(RecipeFormatVersion: '2020-01-25'
ComponentName: com.example.Test
ComponentVersion: '1.0.0'
ComponentDependencies:
  aws.greengrass.ShadowManager: {VersionRequirement: ">=2.0.0"}
ComponentConfiguration:
  DefaultConfiguration:
    accessControl:
      aws.greengrass.ipc.pubsub:
        p1: {operations: [aws.greengrass#PublishToTopic], resources: [a]}
      aws.greengrass.SecretManager:
        p2: {operations: [aws.greengrass#GetSecretValue], resources: ["*"]}
      aws.greengrass.Cli:
        p3: {operations: ["*"], resources: ["*"]}
Manifests:
  - Platform: {os: linux}
    Lifecycle:
      Run: echo hi
      Shutdown:
        Script: echo bye
        Skipif: onpath true
)";
    EXPECT_TRUE(lint(text).empty()) << all_text(lint(text));
    const auto findings = lint(text, lint_target::lite);
    expect_one(findings, "lite-dependency", severity::error, 5, "aws.greengrass.ShadowManager");
    const auto operations = with_check(findings, "lite-operation");
    ASSERT_EQ(operations.size(), 2u) << all_text(findings);
    EXPECT_EQ(operations[0].level, severity::error);
    EXPECT_EQ(operations[0].line, 12);
    EXPECT_NE(operations[0].problem.find("GetSecretValue"), std::string::npos);
    EXPECT_EQ(operations[1].level, severity::note);  // "*" of the CLI: lite serves two of them
    EXPECT_NE(operations[1].problem.find("CreateLocalDeployment, RestartComponent"), std::string::npos)
        << operations[1].problem;
    expect_one(findings, "lite-frame-size", severity::note, 9, "10000 bytes");
    expect_one(findings, "lite-lifecycle", severity::error, 19, "Shutdown");
    expect_one(findings, "lite-skipif", severity::error, 21, "Skipif");
    expect_one(findings, "lite-runtime", severity::error, 15, "runtime");
}

TEST(RecipeLint, LiteRuntimeAndComponentType) {
    const std::string text = R"(RecipeFormatVersion: '2020-01-25'
ComponentName: com.example.Test
ComponentVersion: '1.0.0'
ComponentType: aws.greengrass.plugin
Manifests:
  - Platform: {os: linux, runtime: "*"}
    Lifecycle: {Run: echo hi}
)";
    const auto findings = lint(text, lint_target::lite);
    EXPECT_TRUE(with_check(findings, "lite-runtime").empty()) << all_text(findings);
    expect_one(findings, "lite-component-type", severity::error, 4, "aws.greengrass.plugin");
}

TEST(RecipeLint, DuplicateComponentsAndBadRecipes) {
    const auto a = parse_recipe("ComponentName: A\nComponentVersion: '1.0.0'\n", "a.yaml", linux_amd64);
    const auto b = parse_recipe("ComponentName: a\nComponentVersion: '1.0.0'\n", "b.yaml", linux_amd64);
    const auto found = duplicate_component_findings({a, b});
    ASSERT_EQ(found.size(), 1u);
    EXPECT_EQ(found[0].file, "b.yaml");
    EXPECT_EQ(found[0].line, 1);
    EXPECT_NE(found[0].problem.find("a.yaml:1"), std::string::npos) << found[0].problem;

    try {
        parse_recipe("ComponentName: [x]\n", "c.yaml", linux_amd64);
        FAIL() << "parse_recipe accepted a list as ComponentName";
    } catch (const recipe_error& e) {
        const auto f = recipe_error_finding(e);
        EXPECT_EQ(f.level, severity::error);
        EXPECT_EQ(f.file, "c.yaml");
        EXPECT_EQ(f.line, 1);
    }
}

TEST(RecipeLint, FindingFormats) {
    const finding f{severity::warning, "r.yaml", 3, 5, "unknown-key", "unknown thing", "rename it"};
    EXPECT_EQ(format_text(f), "r.yaml:3:5: warning: unknown thing [unknown-key]\n  fix: rename it");
    const auto j = to_json(f);
    EXPECT_EQ(j.at("severity"), "warning");
    EXPECT_EQ(j.at("line"), 3);
    EXPECT_EQ(j.at("fix"), "rename it");
}

}  // namespace
}  // namespace standin::server::lint
