// SPDX-License-Identifier: Apache-2.0
#include "config/fixture.hpp"

#include <string>

#include <gtest/gtest.h>

namespace standin::server {
namespace {

using nlohmann::json;

fixture parse_test_fixture(std::string_view text) {
    return parse_fixture(text, "fixture.yaml");
}

void expect_fixture_error(std::string_view text, int line, std::string_view fragment) {
    try {
        parse_test_fixture(text);
        ADD_FAILURE() << "no error for:\n" << text;
    } catch (const fixture_error& e) {
        EXPECT_EQ(e.file, "fixture.yaml");
        EXPECT_EQ(e.line, line) << e.what();
        EXPECT_NE(e.problem.find(fragment), std::string::npos) << e.what();
    }
}

// The example of contract.md, verbatim.
constexpr std::string_view contract_example =
    R"(thingName: test-thing            # default "standin-thing"
region: us-east-1                # default "us-east-1"
secrets:                         # what GetSecretValue can return
  - arn: "arn:aws:secretsmanager:us-east-1:123456789012:secret:db-password-AbCdEf"
    name: db-password
    versions:
      - versionId: "5d0b8d4e-0000-4000-8000-000000000002"
        stages: [AWSCURRENT]
        secretString: "hunter2"
      - versionId: "5d0b8d4e-0000-4000-8000-000000000001"
        stages: [AWSPREVIOUS]
        secretBinary: "aGVsbG8="      # base64
shadows:                          # initial local shadow documents
  - thingName: test-thing
    shadowName: ""                # "" is the classic shadow
    state: {reported: {temperature: 21}}
  - thingName: test-thing
    shadowName: config
    state: {desired: {interval: 5}}
components:                       # per-component overrides
  com.example.Sensor:
    configuration: {interval: 10} # merged over the recipe's DefaultConfiguration
clientDevices:                    # for the client-device-auth operations
  - thingName: sensor-1
    certificatePem: "-----BEGIN CERTIFICATE-----..."
)";

TEST(Fixture, ParsesTheContractExample) {
    const fixture f = parse_test_fixture(contract_example);
    EXPECT_EQ(f.thing_name, "test-thing");
    EXPECT_EQ(f.region, "us-east-1");
    ASSERT_EQ(f.secrets.size(), 1u);
    const secret& s = f.secrets[0];
    EXPECT_EQ(s.arn, "arn:aws:secretsmanager:us-east-1:123456789012:secret:db-password-AbCdEf");
    EXPECT_EQ(s.name, "db-password");
    ASSERT_EQ(s.versions.size(), 2u);
    EXPECT_EQ(s.versions[0].version_id, "5d0b8d4e-0000-4000-8000-000000000002");
    EXPECT_EQ(s.versions[0].stages, std::vector<std::string>{"AWSCURRENT"});
    EXPECT_EQ(s.versions[0].secret_string, "hunter2");
    EXPECT_FALSE(s.versions[0].secret_binary.has_value());
    EXPECT_EQ(s.versions[1].secret_binary, std::string{"hello"});
    EXPECT_FALSE(s.versions[1].secret_string.has_value());
    ASSERT_EQ(f.shadows.size(), 2u);
    EXPECT_EQ(f.shadows[0].thing_name, "test-thing");
    EXPECT_EQ(f.shadows[0].shadow_name, "");
    EXPECT_EQ(f.shadows[0].state, json::parse(R"({"reported": {"temperature": 21}})"));
    EXPECT_EQ(f.shadows[1].shadow_name, "config");
    EXPECT_EQ(f.shadows[1].state, json::parse(R"({"desired": {"interval": 5}})"));
    ASSERT_EQ(f.components.size(), 1u);
    EXPECT_EQ(f.components.at("com.example.Sensor"), json::parse(R"({"interval": 10})"));
    ASSERT_EQ(f.client_devices.size(), 1u);
    EXPECT_EQ(f.client_devices[0].thing_name, "sensor-1");
    EXPECT_EQ(f.client_devices[0].certificate_pem, "-----BEGIN CERTIFICATE-----...");
}

TEST(Fixture, EmptyDocumentGivesDefaults) {
    for (const char* text : {"", "# nothing\n", "{}", "secrets:\nshadows:\n"}) {
        const fixture f = parse_test_fixture(text);
        EXPECT_EQ(f.thing_name, "standin-thing");
        EXPECT_EQ(f.region, "us-east-1");
        EXPECT_TRUE(f.secrets.empty());
        EXPECT_TRUE(f.shadows.empty());
        EXPECT_TRUE(f.components.empty());
        EXPECT_TRUE(f.client_devices.empty());
    }
}

TEST(Fixture, JsonWorksToo) {
    const fixture f = parse_fixture(R"({"thingName": "json-thing", "components": {"a": {"configuration":
        {"n": 1, "s": "1", "list": [true, null]}}}, "shadows": [{"state": {"reported": {"x": 1.5}}}]})",
                                    "fixture.json");
    EXPECT_EQ(f.thing_name, "json-thing");
    EXPECT_EQ(f.components.at("a"), json::parse(R"({"n": 1, "s": "1", "list": [true, null]})"));
    ASSERT_EQ(f.shadows.size(), 1u);
    EXPECT_EQ(f.shadows[0].thing_name, "json-thing");  // defaults to the fixture's thing
    EXPECT_EQ(f.shadows[0].shadow_name, "");
}

TEST(Fixture, ShadowsDefaultToTheThingNameWrittenAfterThem) {
    const fixture f = parse_test_fixture("shadows:\n  - shadowName: s\nthingName: late\n");
    EXPECT_EQ(f.shadows.at(0).thing_name, "late");
}

TEST(Fixture, ComponentWithoutConfigurationGetsAnEmptyObject) {
    const fixture f =
        parse_test_fixture("components:\n  com.example.A:\n  com.example.B: {configuration: null}\n");
    EXPECT_EQ(f.components.at("com.example.A"), json::object());
    EXPECT_EQ(f.components.at("com.example.B"), json::object());
}

TEST(FixtureErrors, UnknownKeysAreNamedWithTheirPosition) {
    try {
        parse_test_fixture("thingName: a\nregoin: us-west-2\n");
        ADD_FAILURE();
    } catch (const fixture_error& e) {
        EXPECT_EQ(e.line, 2);
        EXPECT_EQ(e.column, 1);
        EXPECT_EQ(
            std::string(e.what()),
            "fixture.yaml:2:1: the fixture: unknown key 'regoin' (allowed: thingName region secrets "
            "shadows components clientDevices)");
    }
    expect_fixture_error("ThingName: a\n", 1, "unknown key 'ThingName'");
    expect_fixture_error(
        std::string(contract_example).replace(contract_example.find("secretString"), 12, "secretStrng"),
        9, "secrets[0].versions[0]: unknown key 'secretStrng'");
    expect_fixture_error(
        "secrets:\n  - arn: arn:aws:secretsmanager:us-east-1:123456789012:secret:x\n    label: a\n", 3,
        "secrets[0]: unknown key 'label'");
    expect_fixture_error("shadows:\n  - thingName: t\n    state: {reported: {}, delta: {}}\n", 3,
                         "shadows[0].state: unknown key 'delta'");
    expect_fixture_error("shadows:\n  - thing: t\n", 2, "unknown key 'thing'");
    expect_fixture_error("components:\n  com.example.A:\n    config: {}\n", 3,
                         "components.com.example.A: unknown key 'config'");
    expect_fixture_error("clientDevices:\n  - thingName: a\n    certificate: x\n", 3,
                         "unknown key 'certificate'");
}

TEST(FixtureErrors, TypesAreChecked) {
    expect_fixture_error("- a\n", 1, "the fixture must be a map");
    expect_fixture_error("thingName: [a]\n", 1, "thingName must be a string");
    expect_fixture_error("thingName: 'bad name'\n", 1, "thingName must match");
    expect_fixture_error("region: ''\n", 1, "region is empty");
    expect_fixture_error("secrets: {}\n", 1, "secrets must be a list");
    expect_fixture_error("shadows:\n  - state: {desired: [1]}\n", 2,
                         "shadows[0].state.desired must be a map");
    expect_fixture_error("shadows:\n  - shadowName: 'a/b'\n", 2, "shadowName must match");
    expect_fixture_error("components: [a]\n", 1, "components must be a map");
    expect_fixture_error("components:\n  a: {configuration: 5}\n", 2,
                         "components.a.configuration must be a map");
    expect_fixture_error("clientDevices:\n  - certificatePem: x\n", 2, "needs a thingName");
    expect_fixture_error("thingName: a\nthingName: b\n", 2, "key 'thingName' appears twice");
    expect_fixture_error("thingName: [a\n", 2, "syntax error");
}

TEST(FixtureErrors, SecretsAreValidated) {
    const std::string arn = "arn:aws:secretsmanager:us-east-1:123456789012:secret:s-AbCdEf";
    expect_fixture_error("secrets:\n  - name: s\n", 2, "secrets[0] needs an arn");
    expect_fixture_error("secrets:\n  - arn: s\n", 2, "is not a secret ARN");
    expect_fixture_error("secrets:\n  - arn: arn:aws:secretsmanager:us-east-1:1234:secret:s\n", 2,
                         "is not a secret ARN");
    expect_fixture_error("secrets:\n  - arn: " + arn + "\n    versions:\n      - versionId: v1\n", 4,
                         "needs exactly one of secretString and secretBinary");
    expect_fixture_error(
        "secrets:\n  - arn: " + arn +
            "\n    versions:\n      - {versionId: v1, secretString: a, secretBinary: YQ==}\n",
        4, "needs exactly one of secretString and secretBinary");
    expect_fixture_error("secrets:\n  - arn: " + arn + "\n    versions:\n      - {secretString: a}\n", 4,
                         "needs a non-empty versionId");
    expect_fixture_error(
        "secrets:\n  - arn: " + arn + "\n    versions:\n      - {versionId: v1, secretBinary: 'a b'}\n",
        4, "secretBinary is not valid base64");
    expect_fixture_error("secrets:\n  - arn: " + arn +
                             "\n    versions:\n      - {versionId: v1, secretString: a}\n"
                             "      - {versionId: v1, secretString: b}\n",
                         5, "versionId 'v1' appears twice");
    expect_fixture_error(
        "secrets:\n  - arn: " + arn +
            "\n    versions:\n      - {versionId: v1, secretString: a, stages: [AWSCURRENT]}\n"
            "      - {versionId: v2, secretString: b, stages: [AWSCURRENT]}\n",
        5, "stage 'AWSCURRENT' is already on another version");
    expect_fixture_error("secrets:\n  - arn: " + arn + "\n  - arn: " + arn + "\n", 3, "appears twice");
    expect_fixture_error(
        "secrets:\n  - arn: " + arn + "\n    versions:\n      - {versionId: v1, secretString: [a]}\n", 4,
        "secretString must be a string");
}

TEST(FixtureErrors, DuplicateShadows) {
    expect_fixture_error(
        "shadows:\n  - {thingName: t, shadowName: s}\n  - {thingName: t, shadowName: s}\n", 3,
        "shadow 's' of thing 't' appears twice");
    expect_fixture_error("thingName: t\nshadows:\n  - {}\n  - {thingName: t, shadowName: ''}\n", 4,
                         "appears twice");
}

TEST(FixtureErrors, ScalarsKeepTheirSpelling) {
    const fixture f = parse_test_fixture(
        "thingName: '007'\nsecrets:\n  - arn: arn:aws:secretsmanager:us-east-1:123456789012:"
        "secret:x\n    versions:\n      - {versionId: 1, secretString: 0x10}\n");
    EXPECT_EQ(f.thing_name, "007");
    EXPECT_EQ(f.secrets.at(0).versions.at(0).version_id, "1");
    EXPECT_EQ(f.secrets.at(0).versions.at(0).secret_string, "0x10");
}

TEST(FixtureFiles, MissingFileIsAnError) {
    try {
        load_fixture_file("/nonexistent/fixture.yaml");
        ADD_FAILURE();
    } catch (const fixture_error& e) {
        EXPECT_EQ(e.file, "/nonexistent/fixture.yaml");
        EXPECT_EQ(e.line, 0);
    }
}

}  // namespace
}  // namespace standin::server
