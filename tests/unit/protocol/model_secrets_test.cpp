// SPDX-License-Identifier: Apache-2.0
#include "standin/model/secrets.hpp"

#include <gtest/gtest.h>

#include "model_test_support.hpp"

namespace standin::model {
namespace {

using test::round_trip;

constexpr std::string_view arn =
    "arn:aws:secretsmanager:us-east-1:123456789012:secret:db-password-AbCdEf";

TEST(model_secrets, get_secret_value_request) {
    const auto request = round_trip<get_secret_value_request>(
        R"({"secretId":")" + std::string{arn} + R"(","versionStage":"AWSCURRENT","refresh":true})");
    EXPECT_EQ(request.secretId, arn);
    EXPECT_FALSE(request.versionId);
    EXPECT_EQ(request.refresh, true);
    round_trip<get_secret_value_request>(
        R"({"secretId":"db-password","versionId":"a1b2c3d4-5678-90ab-cdef-EXAMPLE11111"})");
}

TEST(model_secrets, get_secret_value_response_string_and_binary) {
    const auto text = round_trip<get_secret_value_response>(
        R"({"secretId":")" + std::string{arn} +
        R"(","versionId":"a1b2c3d4-5678-90ab-cdef-EXAMPLE11111","versionStage":["AWSCURRENT","AWSPENDING"],)"
        R"("secretValue":{"secretString":"hunter2"}})");
    EXPECT_EQ(text.secretValue->secretString, "hunter2");
    const auto binary = round_trip<get_secret_value_response>(
        R"({"secretId":"db-key","versionId":"v1","versionStage":["AWSCURRENT"],"secretValue":{"secretBinary":"aHVudGVyMi1ieXRlcw=="}})");
    EXPECT_EQ(binary.secretValue->secretBinary->bytes, "hunter2-bytes");
    round_trip<secret_value>(R"({"secretString":""})");
}

// How a handler reads the request and writes its reply.
TEST(model_secrets, a_handler_reads_and_writes_typed_shapes) {
    const auto request = decode_payload<get_secret_value_request>(R"({"secretId":"db-password"})");
    ASSERT_TRUE(request);
    ASSERT_TRUE(request->secretId);
    get_secret_value_response response{.secretId = std::string{arn},
                                       .versionId = "v1",
                                       .versionStage = std::vector<std::string>{"AWSCURRENT"},
                                       .secretValue = secret_value{.secretString = "hunter2"}};
    EXPECT_EQ(
        encode(response),
        R"({"secretId":")" + std::string{arn} +
            R"(","versionId":"v1","versionStage":["AWSCURRENT"],"secretValue":{"secretString":"hunter2"}})");
}

}  // namespace
}  // namespace standin::model
