// SPDX-License-Identifier: Apache-2.0
#include "secrets/secret_store.hpp"

#include <gtest/gtest.h>

namespace standin::server {
namespace {

constexpr const char* db_arn = "arn:aws:secretsmanager:us-east-1:123456789012:secret:db-password-AbCdEf";
constexpr const char* api_arn = "arn:aws:secretsmanager:us-east-1:123456789012:secret:api-key-Zz9Yy8";

secret_store sample() {
    secret_store s;
    s.add({db_arn,
           "db-password",
           {{"v2", {"AWSCURRENT"}, "hunter2", std::nullopt},
            {"v1", {"AWSPREVIOUS", "OLD"}, std::nullopt, std::string{"\x01\x02", 2}}}});
    s.add({api_arn, "", {{"a1", {"AWSPREVIOUS"}, "old-key", std::nullopt}}});
    return s;
}

const stored_secret_version* version_of(
    const std::variant<const stored_secret_version*, secret_store::lookup_error>& r) {
    const auto* v = std::get_if<const stored_secret_version*>(&r);
    return v ? *v : nullptr;
}

TEST(SecretStore, ArnPattern) {
    EXPECT_TRUE(secret_store::is_secret_arn(db_arn));
    EXPECT_TRUE(
        secret_store::is_secret_arn("arn:aws-cn:secretsmanager:cn-north-1:123456789012:secret:x"));
    EXPECT_TRUE(
        secret_store::is_secret_arn("arn:aws:secretsmanager:us-east-1:123456789012:secret:a/b/c-1"));
    EXPECT_FALSE(secret_store::is_secret_arn("db-password"));
    EXPECT_FALSE(secret_store::is_secret_arn("arn:aws:secretsmanager:us-east-1:12345:secret:x"));
    EXPECT_FALSE(secret_store::is_secret_arn("arn:aws:secretsmanager:US-EAST-1:123456789012:secret:x"));
    EXPECT_FALSE(secret_store::is_secret_arn("arn:aws:s3:us-east-1:123456789012:secret:x"));
}

TEST(SecretStore, ResolvesNamesAndArns) {
    const auto s = sample();
    EXPECT_EQ(s.resolve("db-password"), db_arn);
    EXPECT_EQ(s.resolve(db_arn), db_arn);
    // No name given: the ARN's ":secret:<name>-XXXXXX" suffix.
    EXPECT_EQ(s.resolve("api-key"), api_arn);
    EXPECT_EQ(s.resolve("api"), std::nullopt);
    EXPECT_EQ(s.resolve("nope"), std::nullopt);
    // An ARN is taken as is, configured or not.
    const std::string other = "arn:aws:secretsmanager:us-east-1:123456789012:secret:other-123456";
    EXPECT_EQ(s.resolve(other), other);
}

TEST(SecretStore, FindsByVersionIdStageOrCurrent) {
    const auto s = sample();
    ASSERT_NE(version_of(s.find(db_arn, std::nullopt, std::nullopt)), nullptr);
    EXPECT_EQ(version_of(s.find(db_arn, std::nullopt, std::nullopt))->version_id, "v2");
    EXPECT_EQ(version_of(s.find(db_arn, "v1", std::nullopt))->version_id, "v1");
    EXPECT_EQ(version_of(s.find(db_arn, std::nullopt, "OLD"))->version_id, "v1");
    EXPECT_EQ(version_of(s.find(db_arn, "", "AWSPREVIOUS"))->version_id, "v1");
    EXPECT_EQ(version_of(s.find(db_arn, "", ""))->version_id, "v2");
}

TEST(SecretStore, LookupErrors) {
    using e = secret_store::lookup_error;
    const auto s = sample();
    EXPECT_EQ(std::get<e>(s.find(db_arn, "v9", std::nullopt)), e::version_id_not_found);
    EXPECT_EQ(std::get<e>(s.find(db_arn, std::nullopt, "NOPE")), e::version_stage_not_found);
    // No AWSCURRENT version.
    EXPECT_EQ(std::get<e>(s.find(api_arn, std::nullopt, std::nullopt)), e::secret_not_found);
    const std::string unknown = "arn:aws:secretsmanager:us-east-1:123456789012:secret:x-123456";
    EXPECT_EQ(std::get<e>(s.find(unknown, std::nullopt, std::nullopt)), e::secret_not_found);
    EXPECT_EQ(std::get<e>(s.find(unknown, "v1", std::nullopt)), e::version_id_not_found);
    EXPECT_EQ(std::get<e>(s.find(unknown, std::nullopt, "S")), e::version_stage_not_found);
}

}  // namespace
}  // namespace standin::server
