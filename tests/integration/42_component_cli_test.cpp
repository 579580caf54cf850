// SPDX-License-Identifier: Apache-2.0
// `standin component list|details|restart|stop` against a running daemon (--no-launch), as the
// built-in aws.greengrass.Cli component whose token daemon.json holds: no policy needed.
#include "40_lifecycle_common.hpp"

namespace standin::test::integration {
namespace {

class ComponentCliTest : public IntegrationTest {
protected:
    run_result component(std::vector<std::string> args) {
        args.insert(args.begin(), "component");
        args.insert(args.begin() + 2, {"--root", daemon().root().string()});
        return run_standin(args);
    }
};

TEST_F(ComponentCliTest, ListPrintsEveryComponentAsGreengrassCliDoes) {
    const auto r = component({"list"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(r.out.rfind("Components currently running in Greengrass:\n", 0), 0u) << r.out;
    EXPECT_NE(r.out.find("Component Name: com.test.A\n    Version: 1.0.0\n    State: RUNNING\n    "
                         "Configuration: {\"accessControl\":"),
              std::string::npos)
        << r.out;
    EXPECT_EQ(count_of(r.out, "Component Name: "), standard_recipes().size());
    EXPECT_TRUE(r.err.empty()) << r.err;
}

TEST_F(ComponentCliTest, DetailsOfOneAndOfAnUnknownComponent) {
    auto r = component({"details", "--name", comp_b});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(r.out.rfind("Component Name: com.test.B\n    Version: 1.0.0\n    State: RUNNING\n", 0), 0u)
        << r.out;
    r = component({"details", "-n", "com.test.Missing"});
    EXPECT_EQ(r.exit_code, 1);
    EXPECT_NE(r.err.find("ResourceNotFoundError: Component with name com.test.Missing not found in "
                         "Greengrass"),
              std::string::npos)
        << r.err;
}

TEST_F(ComponentCliTest, StopAndRestartChangeTheState) {
    auto r = component({"stop", "--names", std::string{comp_a} + ", " + comp_b});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(r.out, "stop com.test.A: SUCCEEDED\nstop com.test.B: SUCCEEDED\n");
    EXPECT_NE(component({"details", "-n", comp_a}).out.find("State: FINISHED"), std::string::npos);
    r = component({"restart", "-n", comp_a});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(r.out, "restart com.test.A: SUCCEEDED\n");
    EXPECT_NE(component({"details", "-n", comp_a}).out.find("State: RUNNING"), std::string::npos);
    // Each name is tried; one unknown name makes the exit code 1.
    r = component({"restart", "-n", std::string{"com.test.Missing,"} + comp_b});
    EXPECT_EQ(r.exit_code, 1);
    EXPECT_EQ(r.out, "restart com.test.B: SUCCEEDED\n");
    EXPECT_NE(r.err.find("com.test.Missing: ResourceNotFoundError"), std::string::npos) << r.err;
}

TEST_F(ComponentCliTest, TheBuiltInCliNeedsNoPolicyAndIsNotARecipeComponent) {
    ASSERT_TRUE(daemon().info().contains("builtinTokens")) << daemon().info().dump();
    const std::string token = daemon().info()["builtinTokens"]["aws.greengrass.Cli"];
    raw_client cli = client();
    cli.connect_or_throw(token);
    std::string error;
    const auto listed = call_json(cli, "aws.greengrass#ListComponents", json::object(), &error);
    EXPECT_EQ(error, "");
    EXPECT_EQ(listed["components"].size(), standard_recipes().size());
    // standin env hands out its environment too.
    const auto env = run_standin({"env", "--root", daemon().root().string(), "aws.greengrass.Cli"});
    EXPECT_EQ(env.exit_code, 0) << env.err;
    EXPECT_NE(env.out.find("export SVCUID='" + token + "'"), std::string::npos) << env.out;
}

TEST_F(ComponentCliTest, WithoutADaemonItSaysSo) {
    temp_dir empty;
    const auto r = run_standin({"component", "list", "--root", empty.path().string()});
    EXPECT_EQ(r.exit_code, 1);
    EXPECT_NE(r.err.find("no standin daemon is running with root"), std::string::npos) << r.err;
    EXPECT_EQ(run_standin({"component", "details"}).exit_code, 2);  // --name is required
}

}  // namespace
}  // namespace standin::test::integration
