// SPDX-License-Identifier: Apache-2.0
// `standin deployment create|status|list|cancel` against a running daemon (--no-launch), with the
// greengrass-cli flags, as the built-in aws.greengrass.Cli component: no policy needed.
#include <fstream>
#include <regex>

#include "40_lifecycle_common.hpp"

namespace standin::test::integration {
namespace {

namespace fs = std::filesystem;

class DeploymentCliTest : public IntegrationTest {
protected:
    run_result deployment(std::vector<std::string> args) {
        args.insert(args.begin(), "deployment");
        args.insert(args.begin() + 2, {"--root", daemon().root().string()});
        return run_standin(args);
    }
    fs::path source_dir() const { return daemon_->root().parent_path() / "cli-src"; }

    void write_recipe(const std::string& name, const std::string& version) {
        fs::create_directories(source_dir() / "recipes");
        std::ofstream{source_dir() / "recipes" / (name + "-" + version + ".yaml")}
            << "RecipeFormatVersion: '2020-01-25'\nComponentName: " << name << "\nComponentVersion: '"
            << version
            << "'\nComponentConfiguration:\n  DefaultConfiguration:\n    level: info\n"
               "Manifests:\n  - Lifecycle:\n      Run: sleep 600\n";
    }

    // The id in "Local deployment submitted! Deployment Id: <id>".
    static std::string submitted_id(const std::string& out) {
        static const std::regex line{"Local deployment submitted! Deployment Id: ([0-9a-f-]{36})\n"};
        std::smatch m;
        return std::regex_search(out, m, line) ? m[1].str() : std::string{};
    }
};

TEST_F(DeploymentCliTest, CreateWithWaitDeploysAndStatusAndListShowIt) {
    write_recipe("com.test.Cli", "1.0.0");
    const auto r = deployment({"create", "--recipeDir", (source_dir() / "recipes").string(), "--merge",
                               "com.test.Cli=1.0.0", "--update-config",
                               R"({"com.test.Cli": {"MERGE": {"level": "debug"}}})", "--wait"});
    ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
    const auto id = submitted_id(r.out);
    ASSERT_FALSE(id.empty()) << r.out;
    EXPECT_NE(r.out.find(id + ": SUCCEEDED\nCreated on: "), std::string::npos) << r.out;

    const auto status = deployment({"status", "-i", id});
    ASSERT_EQ(status.exit_code, 0) << status.err;
    EXPECT_TRUE(
        std::regex_match(status.out, std::regex{id + ": SUCCEEDED\nCreated on: [0-9: -]+ UTC\n"}))
        << status.out;
    const auto list = deployment({"list"});
    ASSERT_EQ(list.exit_code, 0) << list.err;
    EXPECT_TRUE(std::regex_match(
        list.out,
        std::regex{"Deployment ID: " + id + "\nCreated on: [0-9: -]+ UTC\nStatus: SUCCEEDED\n"}))
        << list.out;
    const auto details =
        run_standin({"component", "details", "--root", daemon().root().string(), "-n", "com.test.Cli"});
    EXPECT_NE(details.out.find("Configuration: {\"level\":\"debug\"}"), std::string::npos)
        << details.out;
}

TEST_F(DeploymentCliTest, RunWithAndSystemLimitsReachTheDeploymentAsGreengrassCliSendsThem) {
    write_recipe("com.test.Cli", "1.0.0");
    const auto r =
        deployment({"create", "--recipeDir", (source_dir() / "recipes").string(), "--merge",
                    "com.test.Cli=1.0.0", "--runWith", "com.test.Cli:posixUser=nobody", "--systemLimits",
                    R"({"com.test.Cli": {"memory": 2048, "cpus": 1.5}})", "--wait"});
    ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
    EXPECT_TRUE(wait_for_text(daemon().stderr_path(),
                              "com.test.Cli systemResourceLimits (memory 2048 KiB, cpus 1.5) "
                              "recorded, not enforced"))
        << daemon().stderr_text();

    const auto bad = deployment({"create", "--runWith", "com.test.Cli=nobody"});
    EXPECT_EQ(bad.exit_code, 2) << bad.out << bad.err;
    EXPECT_NE(bad.err.find("--runWith must be in the following format "
                           "<component>:{posixUser|windowsUser}=<user>[:<group>]"),
              std::string::npos)
        << bad.err;
    const auto bad_limits = deployment({"create", "--systemLimits", "{not json"});
    EXPECT_EQ(bad_limits.exit_code, 1) << bad_limits.err;
    EXPECT_NE(bad_limits.err.find("systemLimits parameter file is not a properly formatted JSON"),
              std::string::npos)
        << bad_limits.err;
}

TEST_F(DeploymentCliTest, AFailedDeploymentWithWaitExitsOneWithTheReason) {
    const auto r = deployment({"create", "-m", "com.test.Missing=1.0.0", "--wait"});
    EXPECT_EQ(r.exit_code, 1) << r.out << r.err;
    const auto id = submitted_id(r.out);
    ASSERT_FALSE(id.empty()) << r.out;
    EXPECT_NE(r.out.find(id + ": FAILED\n"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("Detailed Status: FAILED_NO_STATE_CHANGE\n"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("Deployment Error Stack: DEPLOYMENT_FAILURE, NO_AVAILABLE_COMPONENT_VERSION"),
              std::string::npos)
        << r.out;
    EXPECT_NE(r.err.find("deployment " + id + " FAILED: No local or cloud component version"),
              std::string::npos)
        << r.err;
}

TEST_F(DeploymentCliTest, RemoveTakesTheComponentAway) {
    const auto r = deployment({"create", "--remove", comp_none, "--wait"});
    ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
    const auto details =
        run_standin({"component", "details", "--root", daemon().root().string(), "-n", comp_none});
    EXPECT_EQ(details.exit_code, 1);
    EXPECT_NE(details.err.find("ResourceNotFoundError"), std::string::npos) << details.err;
}

TEST_F(DeploymentCliTest, UpdateConfigFromAFileAndBadInput) {
    const auto file = daemon_->root().parent_path() / "update.json";
    std::ofstream{file} << R"({"com.test.A": {"MERGE": {"fromFile": true}}})";
    auto r = deployment({"create", "-c", file.string(), "--wait"});
    ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
    raw_client admin = client();
    admin.connect_or_throw(daemon_->info()["builtinTokens"]["aws.greengrass.Cli"].get<std::string>());
    EXPECT_EQ(details(admin, comp_a)["configuration"]["fromFile"], true);

    r = deployment({"create", "-c", "{not json"});
    EXPECT_EQ(r.exit_code, 1);
    EXPECT_NE(
        r.err.find(
            "Update configuration parameter is not a properly formatted JSON file or a JSON string"),
        std::string::npos)
        << r.err;
    r = deployment({"create", "--merge", "no-version"});
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_NE(r.err.find("--merge takes COMPONENT=VERSION"), std::string::npos) << r.err;
    r = deployment({"create", "--failure-handling-policy", "SOMETIMES"});
    EXPECT_EQ(r.exit_code, 2);
    r = deployment({"create", "-g", "a:b"});
    EXPECT_EQ(r.exit_code, 1);
    EXPECT_NE(r.err.find("InvalidArgumentsError: Thing group name cannot contain colon characters"),
              std::string::npos)
        << r.err;
}

TEST_F(DeploymentCliTest, StatusAndCancelOfUnknownIds) {
    auto r = deployment({"status", "-i", "7c9e6679-7425-40de-944b-e07fc1f90ae7"});
    EXPECT_EQ(r.exit_code, 1);
    EXPECT_NE(r.err.find("ResourceNotFoundError: Cannot find deployment"), std::string::npos) << r.err;
    r = deployment({"cancel", "-i", "nope"});
    EXPECT_EQ(r.exit_code, 1);
    EXPECT_NE(r.err.find("Invalid deploymentId format received. DeploymentId is a UUID"),
              std::string::npos)
        << r.err;
    const auto created = deployment({"create", "--wait"});
    ASSERT_EQ(created.exit_code, 0) << created.err;
    r = deployment({"cancel", "-i", submitted_id(created.out)});
    EXPECT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(r.out, "Cancellation request is not processed because deployment is already finished\n");
    EXPECT_EQ(deployment({"status"}).exit_code, 2);  // -i is required
}

}  // namespace
}  // namespace standin::test::integration
