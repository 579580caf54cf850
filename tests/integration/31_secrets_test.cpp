// SPDX-License-Identifier: Apache-2.0
// GetSecretValue against the fixture's secrets (semantics.md §7): name resolved to the ARN before
// authorization, versionId / versionStage, string and binary values, and the secret manager's
// errors, each answered on its own stream with the connection still served.
#include <fstream>

#include "integration_common.hpp"

namespace standin::test::integration {
namespace {

constexpr std::string_view op_get_secret = "aws.greengrass#GetSecretValue";
constexpr const char* db_arn = "arn:aws:secretsmanager:us-east-1:123456789012:secret:db-password-AbCdEf";
constexpr const char* api_arn = "arn:aws:secretsmanager:us-east-1:123456789012:secret:api-key-Zz9Yy8";
constexpr const char* comp_reader = "com.test.SecretReader";
constexpr const char* comp_db_only = "com.test.DbOnly";

recipe_file secret_recipe(const std::string& component, const std::vector<std::string>& resources) {
    json configuration = json::object();
    if (!resources.empty()) {
        configuration["accessControl"] = {
            {"aws.greengrass.SecretManager",
             {{component + ":secrets:1",
               {{"operations", {"aws.greengrass#GetSecretValue"}}, {"resources", resources}}}}}};
    }
    json recipe = {{"RecipeFormatVersion", "2020-01-25"},
                   {"ComponentName", component},
                   {"ComponentVersion", "1.0.0"},
                   {"ComponentConfiguration", {{"DefaultConfiguration", configuration}}},
                   {"Manifests", json::array({{{"Lifecycle", {{"Run", "true"}}}}})}};
    return {component + ".json", recipe.dump(2)};
}

constexpr std::string_view secrets_fixture_yaml = R"(secrets:
  - arn: "arn:aws:secretsmanager:us-east-1:123456789012:secret:db-password-AbCdEf"
    name: db-password
    versions:
      - versionId: "v-current"
        stages: [AWSCURRENT, PROD]
        secretString: "hunter2"
      - versionId: "v-previous"
        stages: [AWSPREVIOUS]
        secretBinary: "aGVsbG8="
  - arn: "arn:aws:secretsmanager:us-east-1:123456789012:secret:api-key-Zz9Yy8"
    versions:
      - versionId: "a-1"
        stages: [AWSPREVIOUS]
        secretString: "old"
)";

class SecretsTest : public IntegrationTest {
protected:
    daemon_config config() override {
        const auto fixture = dir_.path() / "fixture.yaml";
        std::ofstream{fixture} << secrets_fixture_yaml;
        return daemon_config{
            {secret_recipe(comp_reader, {"*"}),
             secret_recipe(comp_db_only, {"arn:aws:secretsmanager:*:*:secret:db-password-*"}),
             secret_recipe(comp_none, {})},
            {"--fixture", fixture.string()}};
    }

    // The reply to one GetSecretValue; `id` gets its stream id.
    protocol::message get(raw_client& c, const json& request, std::int32_t* id = nullptr) {
        const auto stream = c.request(op_get_secret, request);
        if (id) *id = stream;
        const auto reply = c.read_message();
        if (!reply) {
            ADD_FAILURE() << "no reply";
            return {};
        }
        return *reply;
    }

    void expect_error(raw_client& c, const json& request, std::string_view code,
                      std::string_view message, bool not_found = false) {
        SCOPED_TRACE(request.dump());
        std::int32_t id = 0;
        const auto reply = get(c, request, &id);
        SCOPED_TRACE(frames::describe(reply));
        EXPECT_EQ(frames::int_header(reply, ":message-type"), 1);
        EXPECT_EQ(frames::int_header(reply, ":stream-id"), id);
        EXPECT_EQ(frames::string_header(reply, "service-model-type"),
                  "aws.greengrass#" + std::string{code});
        json expected = error_body(code, message);
        if (not_found) expected["resourceType"] = "secret";
        EXPECT_EQ(frames::json_of(reply), expected);
    }

    temp_dir dir_;
};

TEST_F(SecretsTest, ByNameGivesTheCurrentStringVersionWithTheArn) {
    auto c = connected(comp_reader);
    std::int32_t id = 0;
    const auto reply = get(c, {{"secretId", "db-password"}}, &id);
    expect_application_message(reply, id, 2, "aws.greengrass#GetSecretValueResponse");
    EXPECT_EQ(frames::json_of(reply), (json{{"secretId", db_arn},
                                            {"versionId", "v-current"},
                                            {"versionStage", {"AWSCURRENT", "PROD"}},
                                            {"secretValue", {{"secretString", "hunter2"}}}}));
    expect_nothing_more(c);
}

TEST_F(SecretsTest, ByArnStageAndVersionId) {
    auto c = connected(comp_reader);
    const json binary = {{"secretId", db_arn},
                         {"versionId", "v-previous"},
                         {"versionStage", {"AWSPREVIOUS"}},
                         {"secretValue", {{"secretBinary", "aGVsbG8="}}}};
    EXPECT_EQ(frames::json_of(get(c, {{"secretId", db_arn}, {"versionStage", "AWSPREVIOUS"}})), binary);
    EXPECT_EQ(frames::json_of(get(c, {{"secretId", "db-password"}, {"versionId", "v-previous"}})),
              binary);
    EXPECT_EQ(frames::json_of(get(c, {{"secretId", db_arn}, {"versionStage", "PROD"}}))["versionId"],
              "v-current");
    // An empty versionStage counts as absent; refresh has nothing to refresh from.
    EXPECT_EQ(frames::json_of(
                  get(c, {{"secretId", db_arn}, {"versionStage", ""}, {"refresh", true}}))["versionId"],
              "v-current");
}

TEST_F(SecretsTest, NameWithoutAFixtureNameResolvesByTheArnSuffix) {
    auto c = connected(comp_reader);
    const auto reply =
        frames::json_of(get(c, {{"secretId", "api-key"}, {"versionStage", "AWSPREVIOUS"}}));
    EXPECT_EQ(reply["secretId"], api_arn);
    EXPECT_EQ(reply["secretValue"], (json{{"secretString", "old"}}));
}

TEST_F(SecretsTest, Errors) {
    auto c = connected(comp_reader);
    expect_error(c, json::object(), "ServiceError", "SecretId absent in the request");
    expect_error(c, {{"secretId", ""}}, "ServiceError", "SecretId absent in the request");
    expect_error(c, {{"secretId", "nope"}}, "ResourceNotFoundError", "Secret not configured nope", true);
    expect_error(
        c, {{"secretId", "db-password"}, {"versionId", "v-current"}, {"versionStage", "AWSCURRENT"}},
        "ServiceError", "Both versionId and Stage are set in the request");
    expect_error(c, {{"secretId", "db-password"}, {"versionId", "v9"}}, "ResourceNotFoundError",
                 "Version Id v9 not found for secret db-password", true);
    expect_error(c, {{"secretId", db_arn}, {"versionStage", "BETA"}}, "ResourceNotFoundError",
                 std::string{"Version stage BETA not found for secret "} + db_arn, true);
    // No AWSCURRENT version.
    expect_error(c, {{"secretId", "api-key"}}, "ResourceNotFoundError", "Secret not found api-key",
                 true);
    // An ARN is not resolved: unknown ones pass to the lookup.
    const std::string unknown = "arn:aws:secretsmanager:us-east-1:123456789012:secret:other-123456";
    expect_error(c, {{"secretId", unknown}}, "ResourceNotFoundError", "Secret not found " + unknown,
                 true);
    expect_nothing_more(c);
}

TEST_F(SecretsTest, AuthorizationIsAgainstTheArn) {
    auto c = connected(comp_db_only);
    EXPECT_EQ(frames::json_of(get(c, {{"secretId", "db-password"}}))["secretId"], db_arn);
    expect_error(c, {{"secretId", "api-key"}, {"versionStage", "AWSPREVIOUS"}}, "UnauthorizedError",
                 std::string{"Principal com.test.DbOnly is not authorized to perform "
                             "aws.greengrass.SecretManager:aws.greengrass#GetSecretValue on resource "} +
                     api_arn);
}

TEST_F(SecretsTest, LookupPrecedesAuthorization) {
    auto c = connected(comp_none);
    // An unknown name is not found whatever the policies say; a known one is then denied.
    expect_error(c, {{"secretId", "nope"}}, "ResourceNotFoundError", "Secret not configured nope", true);
    expect_error(c, {{"secretId", "db-password"}}, "UnauthorizedError",
                 std::string{"Principal com.test.None is not authorized to perform "
                             "aws.greengrass.SecretManager:aws.greengrass#GetSecretValue on resource "} +
                     db_arn);
    // Both set is checked after authorization.
    expect_error(c, {{"secretId", "db-password"}, {"versionId", "a"}, {"versionStage", "b"}},
                 "UnauthorizedError",
                 std::string{"Principal com.test.None is not authorized to perform "
                             "aws.greengrass.SecretManager:aws.greengrass#GetSecretValue on resource "} +
                     db_arn);
}

}  // namespace
}  // namespace standin::test::integration
