// SPDX-License-Identifier: Apache-2.0
#include "lint/resource_shapes.hpp"

#include <stdexcept>
#include <string>

#include <gtest/gtest.h>

namespace standin::server::lint {
namespace {

const model::authorization& auth_of(std::string_view short_name) {
    const auto* op = model::find_operation("aws.greengrass#" + std::string{short_name});
    if (!op) throw std::invalid_argument("no operation " + std::string{short_name});
    return op->auth;
}

bool can_match(std::string_view operation, std::string_view pattern) {
    const auto shape = resource_shape_of(auth_of(operation));
    return !shape || glob_can_match(pattern, *shape);
}

TEST(ResourceShapes, TopicsAndMetricsTakeAnyString) {
    EXPECT_FALSE(resource_shape_of(auth_of("PublishToTopic")));
    EXPECT_FALSE(resource_shape_of(auth_of("SubscribeToIoTCore")));
    EXPECT_FALSE(resource_shape_of(auth_of("PutComponentMetric")));
    EXPECT_FALSE(resource_shape_of(auth_of("GetConfiguration")));  // no policy at all
}

TEST(ResourceShapes, SecretsAreArns) {
    EXPECT_TRUE(can_match("GetSecretValue", "*"));
    EXPECT_TRUE(can_match("GetSecretValue", "arn:aws:secretsmanager:*:*:secret:db-*"));
    EXPECT_TRUE(
        can_match("GetSecretValue", "arn:aws:secretsmanager:us-east-1:123456789012:secret:db-AbCdEf"));
    EXPECT_TRUE(can_match("GetSecretValue", "arn:aws-cn:secretsmanager:*"));
    EXPECT_FALSE(can_match("GetSecretValue", "db-password"));
    EXPECT_FALSE(can_match("GetSecretValue", "db-*"));
    EXPECT_FALSE(can_match("GetSecretValue", "arn:aws:secretsmanager:us-east-1:acct:secret:x"));
    EXPECT_FALSE(can_match("GetSecretValue", "arn:aws:ssm:*"));
}

TEST(ResourceShapes, ShadowPaths) {
    EXPECT_TRUE(can_match("GetThingShadow", "$aws/things/dev1/shadow"));
    EXPECT_TRUE(can_match("GetThingShadow", "$aws/things/dev1/shadow/name/config"));
    EXPECT_TRUE(can_match("GetThingShadow", "$aws/things/*/shadow/name/*"));
    EXPECT_TRUE(can_match("GetThingShadow", "$aws/things/{iot:thingName}/shadow"));
    EXPECT_TRUE(can_match("UpdateThingShadow", "*"));
    EXPECT_FALSE(can_match("GetThingShadow", "$aws/things/dev1/shadow/config"));
    EXPECT_FALSE(can_match("GetThingShadow", "$aws/things/*/shadow/config"));
    EXPECT_FALSE(can_match("GetThingShadow", "things/dev1/shadow"));
    EXPECT_FALSE(can_match("GetThingShadow", "$aws/things//shadow"));  // empty thing name
    // ListNamedShadowsForThing is checked against the bare thing name.
    EXPECT_TRUE(can_match("ListNamedShadowsForThing", "dev1"));
    EXPECT_TRUE(can_match("ListNamedShadowsForThing", "dev-*"));
    EXPECT_FALSE(can_match("ListNamedShadowsForThing", "$aws/things/dev1/shadow"));
}

TEST(ResourceShapes, ComponentNamesAndLiteralStar) {
    EXPECT_TRUE(can_match("PauseComponent", "com.example.*"));
    EXPECT_FALSE(can_match("PauseComponent", "com/example"));
    EXPECT_TRUE(can_match("ListComponents", "*"));
    EXPECT_TRUE(can_match("ListComponents", "${*}"));  // the escape is the literal '*'
    EXPECT_FALSE(can_match("ListComponents", "com.example.Sensor"));
    EXPECT_TRUE(can_match("GetLocalDeploymentStatus", "0f8fad5b-d9cb-469f-a165-70867728950e"));
    EXPECT_FALSE(can_match("GetLocalDeploymentStatus", "deployment-1"));
}

// The search is over (pattern position x shape position) states: a pattern made to blow up a
// backtracking search ends at once.
TEST(ResourceShapes, PathologicalPatternsStayBounded) {
    std::string pattern;
    for (int i = 0; i < 2000; ++i)
        pattern += "*a";
    pattern += "!";  // never in a component name
    EXPECT_FALSE(can_match("PauseComponent", pattern));
    EXPECT_TRUE(can_match("PauseComponent", pattern.substr(0, pattern.size() - 1)));
}

}  // namespace
}  // namespace standin::server::lint
