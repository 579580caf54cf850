// SPDX-License-Identifier: Apache-2.0
// `standin run --recipe FILE [-- COMMAND...]`: one component in the foreground, the daemon ending
// with it and taking its exit code.
#include "40_lifecycle_common.hpp"

namespace standin::test::integration {
namespace {

namespace fs = std::filesystem;

std::string fixture_recipe_text(const std::string& component) {
    return (fs::path{STANDIN_FIXTURES_DIR} / "lifecycle" / "recipes" / (component + ".yaml")).string();
}

TEST(RunCommand, RunsTheLifecycleAndEndsWithZeroWhenFinished) {
    temp_dir dir;
    const auto r = run_standin({"run", "--root", (dir.path() / "root").string(), "--recipe",
                                fixture_recipe_text("com.test.Finishes")});
    EXPECT_EQ(r.exit_code, 0) << r.err;
    EXPECT_NE(r.out.find("[com.test.Finishes] installed into "), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("[com.test.Finishes] greeting=hello"), std::string::npos) << r.out;
    // The daemon cleaned up after itself.
    EXPECT_FALSE(fs::exists(dir.path() / "root" / "daemon.json"));
    EXPECT_FALSE(fs::exists(dir.path() / "root" / "ipc.socket"));
}

TEST(RunCommand, EndsWithOneWhenTheComponentBreaks) {
    temp_dir dir;
    const auto r = run_standin({"run", "--root", (dir.path() / "root").string(), "--recipe",
                                fixture_recipe_text("com.test.Fails")});
    EXPECT_EQ(r.exit_code, 1) << r.err;
    EXPECT_EQ(count_of(r.out, "[com.test.Fails] attempt"), 3u) << r.out;
}

TEST(RunCommand, RunsACommandAsTheComponentWithItsExitCode) {
    temp_dir dir;
    const auto root = dir.path() / "root";
    const auto r = run_standin(
        {"run", "--root", root.string(), "--recipe", fixture_recipe_text("com.test.Finishes"), "--",
         "sh", "-c", "echo \"token=${#SVCUID} cwd=$(pwd) arg=$0\"; exit 7", "it's one argument"});
    EXPECT_EQ(r.exit_code, 7) << r.err;
    EXPECT_NE(r.out.find("[com.test.Finishes] token=32 cwd=" +
                         (root / "work" / "com.test.Finishes").string() + " arg=it's one argument\n"),
              std::string::npos)
        << r.out;
    // The recipe's own lifecycle does not run.
    EXPECT_EQ(r.out.find("installed into"), std::string::npos) << r.out;
}

TEST(RunCommand, TheCommandCanCallTheDaemon) {
    temp_dir dir;
    const auto root = dir.path() / "root";
    const auto r = run_standin({"run", "--root", root.string(), "--recipe",
                                fixture_recipe_text("com.test.Starter"), "--", "standin", "component",
                                "details", "--root", root.string(), "-n", "com.test.Starter"});
    EXPECT_EQ(r.exit_code, 0) << r.err;
    EXPECT_NE(r.out.find("[com.test.Starter]     State: RUNNING"), std::string::npos) << r.out;
}

TEST(RunCommand, NeedsARecipeFile) {
    temp_dir dir;
    const auto r = run_standin({"run", "--root", (dir.path() / "root").string(), "--recipe",
                                (fs::path{STANDIN_FIXTURES_DIR} / "lifecycle" / "recipes").string()});
    EXPECT_EQ(r.exit_code, 2) << r.err;  // not a file
    EXPECT_EQ(run_standin({"run"}).exit_code, 2);
}

}  // namespace
}  // namespace standin::test::integration
