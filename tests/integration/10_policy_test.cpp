// SPDX-License-Identifier: Apache-2.0
// Seeing authorization: `standin policy check` (the offline verdict is the daemon's verdict, a
// denial names the policies considered and why, the accessControl it suggests really allows the
// request) and `--audit` (every decision as a JSON line).
#include <filesystem>
#include <fstream>

#include "integration_common.hpp"

namespace standin::test::integration {
namespace {

namespace fs = std::filesystem;

using PolicyCheck = IntegrationTest;

run_result check(const fs::path& recipes, std::vector<std::string> args) {
    std::vector<std::string> all{"policy", "check", "--recipes", recipes.string()};
    all.insert(all.end(), args.begin(), args.end());
    return run_standin(all);
}

TEST_F(PolicyCheck, AllowedNamesThePolicyAndPattern) {
    const auto r = check(daemon().recipes_dir(), {comp_limited, "PublishToTopic", "test/a"});
    EXPECT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(
        r.out.rfind("ALLOWED  com.test.Limited  aws.greengrass.ipc.pubsub:aws.greengrass#PublishToTopic",
                    0),
        0u)
        << r.out;
    EXPECT_NE(r.out.find("\"com.test.Limited:pubsub:1\""), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("resource pattern \"test/*\""), std::string::npos) << r.out;
}

TEST_F(PolicyCheck, DeniedExplainsAndSuggestsAFixThatWorks) {
    const auto r = check(daemon().recipes_dir(),
                         {"--json", comp_limited, "aws.greengrass#PublishToTopic", "other/x"});
    EXPECT_EQ(r.exit_code, 1) << r.err;
    const auto verdict = json::parse(r.out);
    EXPECT_EQ(verdict["decision"], "DENIED");
    EXPECT_EQ(verdict["message"],
              "Principal com.test.Limited is not authorized to perform "
              "aws.greengrass.ipc.pubsub:aws.greengrass#PublishToTopic on resource other/x");
    ASSERT_EQ(verdict["considered"].size(), 1u) << r.out;
    EXPECT_EQ(verdict["considered"][0]["policyId"], "com.test.Limited:pubsub:1");
    const std::string why = verdict["considered"][0]["reason"];
    EXPECT_NE(why.find("no resource matched"), std::string::npos) << why;
    EXPECT_NE(why.find("glob pattern \"test/*\" fails at character 1, \"o\""), std::string::npos) << why;
    // The policies of A, B, PubOnly ("*") and Other ("other/*") would allow it, were they Limited's.
    std::vector<std::string> elsewhere;
    for (const auto& p : verdict["wouldAllowIfDeclaredByTheCaller"])
        elsewhere.push_back(p["component"]);
    EXPECT_EQ(elsewhere, (std::vector<std::string>{comp_a, comp_b, comp_other, comp_pub_only})) << r.out;

    // The suggested accessControl, as the whole configuration of a fresh recipe, allows it.
    temp_dir dir;
    std::ofstream{dir.path() / "fixed.yaml"}
        << "RecipeFormatVersion: '2020-01-25'\n"
           "ComponentName: com.test.Limited\n"
           "ComponentVersion: 1.0.0\n"
        << verdict["fix"].get<std::string>()
        << "Manifests:\n  - Platform: {os: linux}\n    Lifecycle: {Run: 'true'}\n";
    const auto fixed = check(dir.path(), {comp_limited, "PublishToTopic", "other/x"});
    EXPECT_EQ(fixed.exit_code, 0) << fixed.out << fixed.err;
    EXPECT_EQ(fixed.out.rfind("ALLOWED", 0), 0u) << fixed.out;
}

TEST_F(PolicyCheck, AgreesWithTheDaemon) {
    struct row {
        const char* component;
        std::string_view operation;
        const char* resource;
    };
    const row rows[] = {
        {comp_a, op_publish, "x/y"},          {comp_limited, op_publish, "test/x"},
        {comp_limited, op_publish, "test"},   {comp_limited, op_subscribe, "test/#"},
        {comp_other, op_subscribe, "test/x"}, {comp_pub_only, op_subscribe, "x"},
        {comp_none, op_publish, "x"},         {comp_pub_only, op_publish, "a/b/c"},
    };
    for (const auto& [component, operation, resource] : rows) {
        SCOPED_TRACE(std::string{component} + " " + std::string{operation} + " " + resource);
        raw_client c = connected(component);
        const bool publishing = operation == op_publish;
        const auto reply = c.call(
            operation, publishing ? publish_json(resource, {{"x", 1}}) : subscribe_json(resource));
        ASSERT_TRUE(reply.has_value());
        const bool daemon_allowed = frames::int_header(*reply, ":message-type") == 0;
        const auto verdict =
            check(daemon().recipes_dir(), {component, std::string{operation}, resource});
        EXPECT_EQ(verdict.exit_code, daemon_allowed ? 0 : 1) << verdict.out;
    }
}

TEST_F(PolicyCheck, UsageErrorsExitTwo) {
    auto r = check(daemon().recipes_dir(), {comp_a, "NotAnOperation", "x"});
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_NE(r.err.find("NotAnOperation is not an operation of the Greengrass IPC model"),
              std::string::npos)
        << r.err;
    r = check(daemon().recipes_dir(), {comp_a, "GetSecretValue"});
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_NE(r.err.find("the secret's ARN"), std::string::npos) << r.err;
    r = run_standin({"policy", "check", comp_a});
    EXPECT_EQ(r.exit_code, 2) << r.err;
}

TEST_F(PolicyCheck, CallerRulesAndOperationsWithoutPolicy) {
    auto r = check(daemon().recipes_dir(), {comp_a, "PutComponentMetric", "m"});
    EXPECT_EQ(r.exit_code, 1);
    EXPECT_NE(r.out.find("admits only callers whose name starts with \"aws.\""), std::string::npos)
        << r.out;
    r = check(daemon().recipes_dir(), {comp_none, "GetConfiguration"});
    EXPECT_EQ(r.exit_code, 0);
    EXPECT_NE(r.out.find("needs no authorization"), std::string::npos) << r.out;
    r = check(daemon().recipes_dir(), {"aws.greengrass.Cli", "ListComponents"});
    EXPECT_EQ(r.exit_code, 0) << r.out;
}

}  // namespace
}  // namespace standin::test::integration

namespace standin::test::integration {
namespace {

// `--audit FILE`: one JSON line per authorization decision, written before the reply goes out.
class Audit : public IntegrationTest {
protected:
    daemon_config config() override {
        auto c = IntegrationTest::config();
        c.extra_args = {"--audit", audit_file.string()};
        return c;
    }
    std::vector<json> lines() const {
        std::ifstream in{audit_file};
        std::vector<json> out;
        for (std::string line; std::getline(in, line);)
            out.push_back(json::parse(line));
        return out;
    }
    temp_dir dir;
    fs::path audit_file = dir.path() / "audit.jsonl";
};

TEST_F(Audit, RecordsEveryDecisionWithItsPolicyOrMessage) {
    raw_client c = connected(comp_limited);
    publish(c, publish_json("test/a", {{"x", 1}}));
    const auto denied = c.call(op_publish, publish_json("elsewhere", {{"x", 1}}));
    ASSERT_TRUE(denied.has_value());
    const auto recorded = lines();
    ASSERT_EQ(recorded.size(), 2u);
    EXPECT_EQ(recorded[0]["component"], comp_limited);
    EXPECT_EQ(recorded[0]["serviceId"], "aws.greengrass.ipc.pubsub");
    EXPECT_EQ(recorded[0]["operation"], op_publish);
    EXPECT_EQ(recorded[0]["resource"], "test/a");
    EXPECT_EQ(recorded[0]["decision"], "ALLOWED");
    EXPECT_EQ(recorded[0]["policy"], "com.test.Limited/com.test.Limited:pubsub:1");
    EXPECT_TRUE(recorded[0]["time"].is_number());
    EXPECT_EQ(recorded[1]["decision"], "DENIED");
    EXPECT_EQ(recorded[1]["resource"], "elsewhere");
    EXPECT_EQ(recorded[1]["message"],
              "Principal com.test.Limited is not authorized to perform "
              "aws.greengrass.ipc.pubsub:aws.greengrass#PublishToTopic on resource elsewhere");
    // Operations without a policy check leave no line.
    EXPECT_EQ(lines().size(), 2u);
}

TEST(AuditFile, AnUnwritableFileIsAStartupError) {
    temp_dir dir;
    fs::create_directories(dir.path() / "recipes");
    const auto r =
        run_standin({"serve", "--root", (dir.path() / "root").string(), "--recipes",
                     (dir.path() / "recipes").string(), "--audit", "/nonexistent/dir/audit.jsonl"});
    EXPECT_EQ(r.exit_code, 1);
    EXPECT_NE(r.err.find("cannot open the audit file /nonexistent/dir/audit.jsonl"), std::string::npos)
        << r.err;
}

}  // namespace
}  // namespace standin::test::integration
