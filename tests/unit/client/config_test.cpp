// SPDX-License-Identifier: Apache-2.0
// connection_config::from_environment() and operation names.
#include "standin/client/config.hpp"

#include <stdlib.h>

#include <gtest/gtest.h>

#include "standin/client/connection.hpp"

namespace standin::client {
namespace {

class environment_test : public ::testing::Test {
protected:
    void SetUp() override { clear(); }
    void TearDown() override { clear(); }
    static void clear() {
        ::unsetenv(env_svcuid);
        ::unsetenv(env_socket_for_component);
        ::unsetenv(env_socket);
    }
};

TEST_F(environment_test, ComponentVariablesAreUsed) {
    ::setenv(env_svcuid, "TOKEN", 1);
    ::setenv(env_socket_for_component, "/tmp/for-component.sock", 1);
    ::setenv(env_socket, "/tmp/generic.sock", 1);
    const auto config = connection_config::from_environment();
    EXPECT_EQ(config.auth_token, "TOKEN");
    EXPECT_EQ(config.socket_path, "/tmp/for-component.sock");
}

TEST_F(environment_test, FallsBackToTheGenericSocketVariable) {
    ::setenv(env_socket, "/tmp/generic.sock", 1);
    const auto config = connection_config::from_environment();
    EXPECT_EQ(config.socket_path, "/tmp/generic.sock");
    EXPECT_TRUE(config.auth_token.empty());
}

TEST_F(environment_test, NothingSet) {
    const auto config = connection_config::from_environment();
    EXPECT_TRUE(config.socket_path.empty());
    EXPECT_TRUE(config.auth_token.empty());
    EXPECT_EQ(config.headers, request_headers::js_sdk);
}

TEST(operation_name, ShortNamesGetTheServiceNamespace) {
    EXPECT_EQ(qualified_operation_name("PublishToTopic"), "aws.greengrass#PublishToTopic");
    EXPECT_EQ(qualified_operation_name("aws.greengrass#PublishToTopic"),
              "aws.greengrass#PublishToTopic");
    EXPECT_EQ(qualified_operation_name("other#Op"), "other#Op");
}

}  // namespace
}  // namespace standin::client
