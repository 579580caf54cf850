// SPDX-License-Identifier: Apache-2.0
// Recipe accessControl for local pub/sub (semantics.md §2, §3) and the UnauthorizedError frame.
#include <set>

#include "integration_common.hpp"

namespace standin::test::integration {
namespace {

using Authz = IntegrationTest;

std::string denied(std::string_view component, std::string_view operation, std::string_view resource) {
    return "Principal " + std::string{component} +
           " is not authorized to perform aws.greengrass.ipc.pubsub:" + std::string{operation} +
           " on resource " + std::string{resource};
}

TEST_F(Authz, PublishWithoutPolicyIsUnauthorized) {
    raw_client sub = connected(comp_b);
    subscribe(sub, subscribe_json("secret/t"));
    raw_client c = connected(comp_none);
    const auto id = c.request(op_publish, publish_json("secret/t", {{"x", 1}}));
    const auto error = c.read_message();
    ASSERT_TRUE(error.has_value());
    expect_modeled_error(*error, id, "UnauthorizedError", denied(comp_none, op_publish, "secret/t"));
    // Nothing was delivered, and the connection stays usable.
    expect_nothing_more(sub);
    expect_nothing_more(c);
}

TEST_F(Authz, SubscribeWithoutPolicyIsUnauthorized) {
    raw_client c = connected(comp_none);
    const auto id = c.request(op_subscribe, subscribe_json("secret/t"));
    const auto error = c.read_message();
    ASSERT_TRUE(error.has_value());
    expect_modeled_error(*error, id, "UnauthorizedError", denied(comp_none, op_subscribe, "secret/t"));
    // The refused subscription receives nothing.
    raw_client pub = connected(comp_a);
    publish(pub, publish_json("secret/t", {{"x", 1}}));
    expect_nothing_more(c);
}

TEST_F(Authz, PolicyForOneOperationDoesNotGrantTheOther) {
    raw_client c = connected(comp_pub_only);
    publish(c, publish_json("any/topic", {{"x", 1}}));
    const auto id = c.request(op_subscribe, subscribe_json("any/topic"));
    const auto error = c.read_message();
    ASSERT_TRUE(error.has_value());
    expect_modeled_error(*error, id, "UnauthorizedError",
                         denied(comp_pub_only, op_subscribe, "any/topic"));
    expect_nothing_more(c);
}

TEST_F(Authz, GlobPolicyAllowsMatchingTopicsOnly) {
    raw_client c = connected(comp_limited);
    publish(c, publish_json("test/a", {{"x", 1}}));
    // `*` matches any characters including '/' (semantics.md §2.3).
    publish(c, publish_json("test/a/b/c", {{"x", 1}}));
    const auto id = c.request(op_publish, publish_json("tests/a", {{"x", 1}}));
    const auto error = c.read_message();
    ASSERT_TRUE(error.has_value());
    expect_modeled_error(*error, id, "UnauthorizedError", denied(comp_limited, op_publish, "tests/a"));
    const auto id2 = c.request(op_subscribe, subscribe_json("other/a"));
    const auto error2 = c.read_message();
    ASSERT_TRUE(error2.has_value());
    expect_modeled_error(*error2, id2, "UnauthorizedError",
                         denied(comp_limited, op_subscribe, "other/a"));
    expect_nothing_more(c);
}

TEST_F(Authz, GlobPolicyAllowsSubscribingToAWildcardFilter) {
    // semantics.md §2.3: the filter is matched as a plain string, so `test/*` authorizes `test/#`
    // and `test/+/x`.
    raw_client sub = connected(comp_limited);
    const auto hash = subscribe(sub, subscribe_json("test/#"));
    const auto plus = subscribe(sub, subscribe_json("test/+/x"));
    raw_client pub = connected(comp_a);
    publish(pub, publish_json("test/q/x", {{"v", 1}}));
    const auto events = sub.read_messages(2);
    ASSERT_EQ(events.size(), 2u) << frames::describe(events);
    std::set<std::int32_t> streams;
    for (const auto& e : events) {
        streams.insert(frames::meta(e).stream_id);
        EXPECT_EQ(frames::json_of(e), json_event("test/q/x", {{"v", 1}}));
    }
    EXPECT_EQ(streams, (std::set<std::int32_t>{hash, plus}));
    expect_nothing_more(sub);
}

TEST_F(Authz, WildcardFilterIsNotAuthorizedByAPolicyThatDoesNotMatchItLiterally) {
    // `#` is a literal character to a pubsub policy: `test/*` does not cover the filter `#`.
    raw_client c = connected(comp_limited);
    const auto id = c.request(op_subscribe, subscribe_json("#"));
    const auto error = c.read_message();
    ASSERT_TRUE(error.has_value());
    expect_modeled_error(*error, id, "UnauthorizedError", denied(comp_limited, op_subscribe, "#"));
    expect_nothing_more(c);
}

TEST_F(Authz, OneComponentsPolicyDoesNotGrantAnother) {
    // Other may use other/*; None and Limited may not, although Other's policy names that resource.
    raw_client other = connected(comp_other);
    publish(other, publish_json("other/x", {{"x", 1}}));
    for (const char* component : {comp_none, comp_limited}) {
        SCOPED_TRACE(component);
        raw_client c = connected(component);
        const auto id = c.request(op_publish, publish_json("other/x", {{"x", 1}}));
        const auto error = c.read_message();
        ASSERT_TRUE(error.has_value());
        expect_modeled_error(*error, id, "UnauthorizedError", denied(component, op_publish, "other/x"));
        expect_nothing_more(c);
    }
}

TEST_F(Authz, UnauthorizedSubscriberDoesNotReceiveAuthorizedPublishes) {
    // A denied SubscribeToTopic creates no subscription even for topics others publish to.
    raw_client c = connected(comp_other);
    const auto id = c.request(op_subscribe, subscribe_json("test/z"));
    const auto error = c.read_message();
    ASSERT_TRUE(error.has_value());
    expect_modeled_error(*error, id, "UnauthorizedError", denied(comp_other, op_subscribe, "test/z"));
    raw_client pub = connected(comp_limited);
    publish(pub, publish_json("test/z", {{"x", 1}}));
    expect_nothing_more(c);
}

}  // namespace
}  // namespace standin::test::integration
