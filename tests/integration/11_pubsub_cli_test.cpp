// SPDX-License-Identifier: Apache-2.0
// `standin pubsub pub|sub` against the real daemon: what `pub` sends is checked on the wire by a
// raw subscriber, what `sub` prints is checked against frames a raw publisher sends. Both run as
// the component named with --component (or given by the component environment), so the daemon's
// authorization applies to them as to any component.
#include <cstdlib>

#include "integration_common.hpp"

namespace standin::test::integration {
namespace {

// Sets environment variables for the lifetime of the object (the tests of a binary run one at a
// time, and ctest runs each in its own process).
class scoped_environment {
public:
    scoped_environment(std::vector<std::pair<std::string, std::string>> variables)
        : variables_{std::move(variables)} {
        for (const auto& [name, value] : variables_)
            ::setenv(name.c_str(), value.c_str(), 1);
    }
    ~scoped_environment() {
        for (const auto& [name, value] : variables_)
            ::unsetenv(name.c_str());
    }

private:
    std::vector<std::pair<std::string, std::string>> variables_;
};

// Runs the commands as a component of the running daemon (--root and --component).
class PubsubCliTest : public IntegrationTest {
protected:
    std::vector<std::string> as(const std::string& component, std::vector<std::string> args) {
        args.insert(args.begin() + 2, {"--root", daemon().root().string(), "--component", component});
        return args;
    }
};

TEST_F(PubsubCliTest, PubSendsJsonBinaryAndStdinLinesAsTheComponent) {
    raw_client sub = connected(comp_b);
    const auto sid = subscribe(sub, subscribe_json("cli/#"));

    auto r = run_standin(as(comp_a, {"pubsub", "pub", "cli/json", R"({"n": 1, "s": "ü"})"}));
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(r.out, "");
    r = run_standin(as(comp_a, {"pubsub", "pub", "--binary", "cli/bin", "raw bytes"}));
    ASSERT_EQ(r.exit_code, 0) << r.err;
    r = run_standin(as(comp_a, {"pubsub", "pub", "--count", "2", "-t", "cli/twice", "-m", "{}"}));
    ASSERT_EQ(r.exit_code, 0) << r.err;
    r = standin_process{as(comp_a, {"pubsub", "pub", "cli/lines"}), "{\"line\": 1}\n\n{\"line\": 2}\n"}
            .finish();
    ASSERT_EQ(r.exit_code, 0) << r.err;

    const auto events = sub.read_messages(6);
    ASSERT_EQ(events.size(), 6u);
    for (const auto& e : events)
        expect_application_message(e, sid, 0, "aws.greengrass#SubscriptionResponseMessage");
    EXPECT_EQ(frames::json_of(events[0]), json_event("cli/json", {{"n", 1}, {"s", "ü"}}));
    EXPECT_EQ(frames::json_of(events[1]), binary_event("cli/bin", "cmF3IGJ5dGVz"));
    EXPECT_EQ(frames::json_of(events[2]), json_event("cli/twice", json::object()));
    EXPECT_EQ(frames::json_of(events[3]), json_event("cli/twice", json::object()));
    EXPECT_EQ(frames::json_of(events[4]), json_event("cli/lines", {{"line", 1}}));
    EXPECT_EQ(frames::json_of(events[5]), json_event("cli/lines", {{"line", 2}}));
    expect_nothing_more(sub);
}

TEST_F(PubsubCliTest, SubPrintsEachMessageAsAJsonLineAndStopsAtTheCount) {
    standin_process sub{as(comp_b, {"pubsub", "sub", "--count", "3", "cli/+", "other/x"})};
    ASSERT_TRUE(sub.wait_for_stderr("subscribed to other/x\n")) << sub.err();
    EXPECT_EQ(sub.err(), "subscribed to cli/+\nsubscribed to other/x\n");

    raw_client pub = connected(comp_a);
    publish(pub, publish_json("cli/a", {{"k", "v"}}));
    publish(pub, publish_binary("cli/b", "AAEC/w=="));
    publish(pub, publish_json("cli/deeper/not-matched", {{"k", 0}}));
    publish(pub, publish_json("other/x", {{"last", true}}));
    publish(pub, publish_json("cli/after-the-count", {{"k", 1}}));

    const auto r = sub.finish();
    EXPECT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(r.out,
              "{\"message\":{\"k\":\"v\"},\"topic\":\"cli/a\"}\n"
              "{\"binary\":\"AAEC/w==\",\"topic\":\"cli/b\"}\n"
              "{\"message\":{\"last\":true},\"topic\":\"other/x\"}\n");
}

TEST_F(PubsubCliTest, SubBinaryPrintsThePayloadsAlone) {
    standin_process sub{as(comp_b, {"pubsub", "sub", "--binary", "--count", "2", "cli/raw"})};
    ASSERT_TRUE(sub.wait_for_stderr("subscribed to cli/raw\n")) << sub.err();
    raw_client pub = connected(comp_a);
    publish(pub, publish_binary("cli/raw", "aGVsbG8="));  // "hello"
    publish(pub, publish_json("cli/raw", {{"a", 1}}));
    const auto r = sub.finish();
    EXPECT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(r.out, "hello\n{\"a\":1}\n");
}

TEST_F(PubsubCliTest, ComponentEnvironmentIsTheDefaultIdentity) {
    raw_client sub = connected(comp_b);
    const auto sid = subscribe(sub, subscribe_json("cli/env"));
    const scoped_environment environment{
        {{"SVCUID", daemon().token(comp_a)},
         {"AWS_GG_NUCLEUS_DOMAIN_SOCKET_FILEPATH_FOR_COMPONENT", daemon().socket_path()}}};
    const auto r = run_standin({"pubsub", "pub", "cli/env", R"({"from": "env"})"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    const auto event = sub.read_message();
    ASSERT_TRUE(event.has_value());
    expect_application_message(*event, sid, 0, "aws.greengrass#SubscriptionResponseMessage");
    EXPECT_EQ(frames::json_of(*event), json_event("cli/env", {{"from", "env"}}));
}

TEST_F(PubsubCliTest, UnauthorizedPublishAndSubscribeFailWithTheServersMessage) {
    auto r = run_standin(as(comp_none, {"pubsub", "pub", "cli/t", "{}"}));
    EXPECT_EQ(r.exit_code, 1);
    EXPECT_EQ(r.err,
              "standin pubsub pub: UnauthorizedError: Principal com.test.None is not authorized to "
              "perform aws.greengrass.ipc.pubsub:aws.greengrass#PublishToTopic on resource cli/t\n");
    r = run_standin(as(comp_pub_only, {"pubsub", "sub", "cli/t"}));
    EXPECT_EQ(r.exit_code, 1);
    EXPECT_EQ(r.err,
              "standin pubsub sub: cli/t: UnauthorizedError: Principal com.test.PubOnly is not "
              "authorized to perform aws.greengrass.ipc.pubsub:aws.greengrass#SubscribeToTopic on "
              "resource cli/t\n");
}

TEST_F(PubsubCliTest, AMessageThatIsNotAJsonObjectIsAUsageErrorAndNothingIsSent) {
    raw_client sub = connected(comp_b);
    const auto sid = subscribe(sub, subscribe_json("cli/bad"));
    auto r = run_standin(as(comp_a, {"pubsub", "pub", "cli/bad", "hello"}));
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_EQ(r.err,
              "standin pubsub pub: the message is not a JSON object: hello (send anything else as "
              "bytes with --binary)\n");
    // A bad line on stdin stops there, naming the line; the lines before it were sent.
    r = standin_process{as(comp_a, {"pubsub", "pub", "cli/bad"}), "{\"ok\": 1}\n[1]\n{\"ok\": 2}\n"}
            .finish();
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_NE(r.err.find("stdin line 2: the message is not a JSON object: [1]"), std::string::npos)
        << r.err;
    const auto event = sub.read_message();
    ASSERT_TRUE(event.has_value());
    expect_application_message(*event, sid, 0, "aws.greengrass#SubscriptionResponseMessage");
    EXPECT_EQ(frames::json_of(*event), json_event("cli/bad", {{"ok", 1}}));
    expect_nothing_more(sub);
}

TEST_F(PubsubCliTest, IdentityErrorsNameTheCause) {
    auto r = run_standin({"pubsub", "pub", "cli/t", "{}"});
    EXPECT_EQ(r.exit_code, 1);
    EXPECT_NE(r.err.find("no component identity"), std::string::npos) << r.err;
    r = run_standin(as("com.test.Unknown", {"pubsub", "pub", "cli/t", "{}"}));
    EXPECT_EQ(r.exit_code, 1);
    EXPECT_NE(r.err.find("unknown component 'com.test.Unknown' (the daemon knows: com.test.A"),
              std::string::npos)
        << r.err;
    r = run_standin({"pubsub", "sub", "--root", (daemon().root() / "missing").string(), "--component",
                     comp_a, "cli/t"});
    EXPECT_EQ(r.exit_code, 1);
    EXPECT_NE(r.err.find("standin pubsub sub: "), std::string::npos) << r.err;
    r = run_standin({"pubsub", "pub"});
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_NE(r.err.find("--topic is required"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("Usage: pub [OPTIONS] TOPIC [MESSAGE]"), std::string::npos) << r.err;
}

TEST_F(PubsubCliTest, SubTimeoutBeforeTheCountFailsAndWithoutACountSucceeds) {
    auto r = run_standin(as(comp_b, {"pubsub", "sub", "--count", "1", "--timeout", "0.2", "cli/q"}));
    EXPECT_EQ(r.exit_code, 1);
    EXPECT_NE(r.err.find("received 0 of 1 messages in 0.2 s"), std::string::npos) << r.err;
    r = run_standin(as(comp_b, {"pubsub", "sub", "--timeout", "0.2", "cli/q"}));
    EXPECT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(r.out, "");
}

TEST_F(PubsubCliTest, SubEndsWithAnErrorWhenTheDaemonStops) {
    standin_process sub{as(comp_b, {"pubsub", "sub", "cli/forever"})};
    ASSERT_TRUE(sub.wait_for_stderr("subscribed to cli/forever\n")) << sub.err();
    ASSERT_EQ(daemon().stop(), 0);
    const auto r = sub.finish();
    EXPECT_EQ(r.exit_code, 1);
    EXPECT_NE(r.err.find("standin pubsub sub: the subscription ended: "), std::string::npos) << r.err;
}

}  // namespace
}  // namespace standin::test::integration
