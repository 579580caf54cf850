// SPDX-License-Identifier: Apache-2.0
// The fixture file (design/contract.md): device identity, per-component configuration merged over
// the recipe's defaults (policies included), and unknown keys refused at startup.
#include <fstream>

#include "integration_common.hpp"

namespace standin::test::integration {
namespace {

namespace fs = std::filesystem;

fs::path write_file(const fs::path& path, const std::string& text) {
    std::ofstream{path} << text;
    return path;
}

std::string env_value(const std::string& env_output, const std::string& name) {
    const auto prefix = "export " + name + "='";
    const auto at = env_output.find(prefix);
    if (at == std::string::npos) return "<absent>";
    const auto start = at + prefix.size();
    return env_output.substr(start, env_output.find('\'', start) - start);
}

TEST(Fixture, ThingNameAndRegionReachTheComponentEnvironment) {
    temp_dir dir;
    const auto fixture =
        write_file(dir.path() / "fixture.yaml", "thingName: bench-thing\nregion: eu-west-1\n");
    daemon_process d{daemon_config{standard_recipes(), {"--fixture", fixture.string()}}};
    const auto env = run_standin({"env", "--root", d.root().string(), comp_a});
    ASSERT_EQ(env.exit_code, 0) << env.err;
    EXPECT_EQ(env_value(env.out, "AWS_IOT_THING_NAME"), "bench-thing");
    EXPECT_EQ(env_value(env.out, "AWS_REGION"), "eu-west-1");
    EXPECT_EQ(env_value(env.out, "AWS_DEFAULT_REGION"), "eu-west-1");
}

TEST(Fixture, FlagsOverrideTheFixtureIdentity) {
    temp_dir dir;
    const auto fixture = write_file(dir.path() / "fixture.yaml", "thingName: from-fixture\n");
    daemon_process d{
        daemon_config{standard_recipes(), {"--fixture", fixture.string(), "--thing-name", "from-flag"}}};
    const auto env = run_standin({"env", "--root", d.root().string(), comp_a});
    EXPECT_EQ(env_value(env.out, "AWS_IOT_THING_NAME"), "from-flag");
}

TEST(Fixture, ComponentConfigurationOverridesTheRecipePolicies) {
    temp_dir dir;
    // com.test.None has no policy in its recipe; the fixture grants it publishing on fixture/*.
    const auto fixture = write_file(dir.path() / "fixture.json", R"({"components": {"com.test.None": {
        "configuration": {"accessControl": {"aws.greengrass.ipc.pubsub": {"granted": {
            "operations": ["aws.greengrass#PublishToTopic"], "resources": ["fixture/*"]}}}}}}})");
    daemon_process d{daemon_config{standard_recipes(), {"--fixture", fixture.string()}}};
    raw_client c{d.socket_path()};
    c.connect_or_throw(d.token(comp_none));
    auto allowed = c.call(op_publish, publish_json("fixture/x", {{"k", 1}}));
    ASSERT_TRUE(allowed);
    EXPECT_EQ(frames::meta(*allowed).type, 0) << frames::describe(*allowed);
    auto denied = c.call(op_publish, publish_json("elsewhere/x", {{"k", 1}}));
    ASSERT_TRUE(denied);
    EXPECT_EQ(frames::string_header(*denied, "service-model-type"), "aws.greengrass#UnauthorizedError");
}

TEST(Fixture, UnknownKeyIsAStartupErrorNamingIt) {
    temp_dir dir;
    const auto recipes = dir.path() / "recipes";
    write_recipes(recipes, standard_recipes());
    const auto fixture = write_file(dir.path() / "fixture.yaml", "thingName: t\nshaddows: []\n");
    const auto result = run_standin({"serve", "--root", (dir.path() / "root").string(), "--recipes",
                                     recipes.string(), "--fixture", fixture.string()});
    EXPECT_EQ(result.exit_code, 1) << result.err;
    EXPECT_NE(result.err.find("shaddows"), std::string::npos) << result.err;
    EXPECT_NE(result.err.find("fixture.yaml:2"), std::string::npos) << result.err;
    EXPECT_FALSE(fs::exists(dir.path() / "root" / "ipc.socket"));
}

TEST(Fixture, ConfigurationForAComponentWithoutARecipeIsAStartupError) {
    temp_dir dir;
    const auto recipes = dir.path() / "recipes";
    write_recipes(recipes, standard_recipes());
    const auto fixture = write_file(dir.path() / "fixture.yaml",
                                    "components:\n  com.test.Typo:\n    configuration: {a: 1}\n");
    const auto result = run_standin({"serve", "--root", (dir.path() / "root").string(), "--recipes",
                                     recipes.string(), "--fixture", fixture.string()});
    EXPECT_EQ(result.exit_code, 1) << result.err;
    EXPECT_NE(result.err.find("com.test.Typo"), std::string::npos) << result.err;
}

}  // namespace
}  // namespace standin::test::integration
