// SPDX-License-Identifier: Apache-2.0
// The command line contract (design/contract.md): `standin env`, startup errors, exit codes,
// signals, file modes.
#include <signal.h>
#include <sys/stat.h>

#include <algorithm>
#include <filesystem>
#include <map>
#include <sstream>

#include "integration_common.hpp"

namespace standin::test::integration {
namespace {

namespace fs = std::filesystem;

using Cli = IntegrationTest;

std::size_t line_count(const std::string& text) {
    return static_cast<std::size_t>(std::count(text.begin(), text.end(), '\n'));
}

// Parses `export NAME='value'` lines (values without embedded quotes).
std::map<std::string, std::string> parse_exports(const std::string& text,
                                                 std::vector<std::string>* order = nullptr) {
    std::map<std::string, std::string> out;
    std::istringstream in(text);
    std::string line;
    while (std::getline(in, line)) {
        const std::string prefix = "export ";
        EXPECT_EQ(line.rfind(prefix, 0), 0u) << "not an export line: " << line;
        const auto eq = line.find('=');
        if (eq == std::string::npos) continue;
        const auto name = line.substr(prefix.size(), eq - prefix.size());
        auto value = line.substr(eq + 1);
        EXPECT_GE(value.size(), 2u) << line;
        EXPECT_EQ(value.front(), '\'') << line;
        EXPECT_EQ(value.back(), '\'') << line;
        if (value.size() >= 2) value = value.substr(1, value.size() - 2);
        out[name] = value;
        if (order != nullptr) order->push_back(name);
    }
    return out;
}

unsigned file_mode(const fs::path& path) {
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0) return 0;
    return st.st_mode & 07777;
}

TEST_F(Cli, ReadyLineNamesSocketRootAndComponentCount) {
    const auto& line = daemon().ready_line();
    EXPECT_EQ(line.rfind("standin ready ", 0), 0u) << line;
    EXPECT_NE(line.find("socket=" + (daemon().root() / "ipc.socket").string()), std::string::npos)
        << line;
    EXPECT_NE(line.find("root=" + daemon().root().string()), std::string::npos) << line;
    EXPECT_NE(line.find("components=" + std::to_string(standard_recipes().size())), std::string::npos)
        << line;
    EXPECT_EQ(daemon().socket_path(), (daemon().root() / "ipc.socket").string());
}

TEST_F(Cli, DaemonJsonDescribesTheRunningDaemon) {
    const auto& info = daemon().info();
    EXPECT_EQ(info.value("pid", 0L), static_cast<long>(daemon().pid()));
    EXPECT_EQ(info.value("socket", ""), daemon().socket_path());
    EXPECT_EQ(info.value("thingName", ""), "standin-thing");
    EXPECT_EQ(info.value("region", ""), "us-east-1");
    EXPECT_TRUE(info.contains("rootCaPath"));
    EXPECT_EQ(daemon().tokens().size(), standard_recipes().size());
    EXPECT_EQ(file_mode(daemon().root() / "daemon.json"), 0600u);
}

TEST_F(Cli, EnvPrintsEveryContractVariable) {
    const auto result = run_standin({"env", "--root", daemon().root().string(), comp_a});
    ASSERT_EQ(result.exit_code, 0) << result.err;
    EXPECT_EQ(result.err, "");
    std::vector<std::string> order;
    const auto vars = parse_exports(result.out, &order);
    const auto& token = daemon().token(comp_a);
    EXPECT_EQ(vars.at("SVCUID"), token);
    EXPECT_EQ(vars.at("AWS_CONTAINER_AUTHORIZATION_TOKEN"), token);
    EXPECT_EQ(vars.at("AWS_GG_NUCLEUS_DOMAIN_SOCKET_FILEPATH_FOR_COMPONENT"), daemon().socket_path());
    EXPECT_EQ(vars.at("AWS_IOT_THING_NAME"), "standin-thing");
    EXPECT_EQ(vars.at("AWS_REGION"), "us-east-1");
    EXPECT_EQ(vars.at("AWS_DEFAULT_REGION"), "us-east-1");
    EXPECT_FALSE(vars.at("GGC_VERSION").empty());
    // Each variable once.
    std::sort(order.begin(), order.end());
    EXPECT_EQ(std::adjacent_find(order.begin(), order.end()), order.end()) << result.out;

    // The printed identity really connects as that component.
    raw_client c{vars.at("AWS_GG_NUCLEUS_DOMAIN_SOCKET_FILEPATH_FOR_COMPONENT")};
    const auto ack = c.connect_as(vars.at("SVCUID"));
    ASSERT_TRUE(ack.has_value());
    EXPECT_EQ(frames::int_header(ack->message, ":message-flags"), 1);
}

TEST_F(Cli, EnvTokensDifferPerComponent) {
    const auto a = run_standin({"env", "--root", daemon().root().string(), comp_a});
    const auto b = run_standin({"env", "--root", daemon().root().string(), comp_b});
    ASSERT_EQ(a.exit_code, 0);
    ASSERT_EQ(b.exit_code, 0);
    EXPECT_NE(parse_exports(a.out).at("SVCUID"), parse_exports(b.out).at("SVCUID"));
}

TEST_F(Cli, EnvUnknownComponentIsAOneLineError) {
    const auto result = run_standin({"env", "--root", daemon().root().string(), "com.test.Missing"});
    EXPECT_EQ(result.exit_code, 1);
    EXPECT_EQ(result.out, "");
    EXPECT_EQ(line_count(result.err), 1u) << result.err;
    EXPECT_NE(result.err.find("com.test.Missing"), std::string::npos) << result.err;
}

TEST(CliNoDaemon, EnvWithoutADaemonIsAOneLineError) {
    temp_dir dir;
    const auto result = run_standin({"env", "--root", (dir.path() / "root").string(), "com.test.A"});
    EXPECT_EQ(result.exit_code, 1);
    EXPECT_EQ(result.out, "");
    EXPECT_EQ(line_count(result.err), 1u) << result.err;
}

TEST_F(Cli, EnvAfterTheDaemonStoppedIsAnError) {
    const auto root = daemon().root();
    ASSERT_EQ(daemon().stop(), 0);
    const auto result = run_standin({"env", "--root", root.string(), comp_a});
    EXPECT_EQ(result.exit_code, 1);
    EXPECT_EQ(result.out, "");
    EXPECT_EQ(line_count(result.err), 1u) << result.err;
}

TEST(CliStartup, BadRecipeIsExitOneNamingFileAndLine) {
    temp_dir dir;
    const auto recipes = dir.path() / "recipes";
    const auto root = dir.path() / "root";
    write_recipes(recipes, {pubsub_recipe(comp_a, {std::string{op_publish}}, {"*"}),
                            recipe_file{"Broken.yaml",
                                        "RecipeFormatVersion: \"2020-01-25\"\n"
                                        "ComponentName: com.test.Broken\n"
                                        "ComponentVersion: \"1.0.0\"\n"
                                        "ComponentDescription: a: b\n"
                                        "Manifests:\n"
                                        "  - Platform:\n"
                                        "      os: linux\n"}});
    const auto result = run_standin({"serve", "--root", root.string(), "--recipes", recipes.string()});
    EXPECT_FALSE(result.timed_out) << "the daemon started despite a broken recipe";
    EXPECT_EQ(result.exit_code, 1) << result.err;
    EXPECT_EQ(result.out.find("standin ready"), std::string::npos) << result.out;
    EXPECT_NE(result.err.find("Broken.yaml"), std::string::npos) << result.err;
    EXPECT_NE(result.err.find("Broken.yaml:4"), std::string::npos) << "no line number: " << result.err;
    EXPECT_FALSE(fs::exists(root / "ipc.socket"));
    EXPECT_FALSE(fs::exists(root / "daemon.json"));
}

TEST(CliStartup, RecipeWithoutComponentNameIsExitOne) {
    temp_dir dir;
    const auto recipes = dir.path() / "recipes";
    const auto root = dir.path() / "root";
    write_recipes(
        recipes, {recipe_file{"NoName.json",
                              R"({"RecipeFormatVersion": "2020-01-25", "ComponentVersion": "1.0.0"})"}});
    const auto result = run_standin({"serve", "--root", root.string(), "--recipes", recipes.string()});
    EXPECT_FALSE(result.timed_out);
    EXPECT_EQ(result.exit_code, 1) << result.err;
    EXPECT_NE(result.err.find("NoName.json"), std::string::npos) << result.err;
    EXPECT_FALSE(fs::exists(root / "ipc.socket"));
}

TEST(CliStartup, BadFlagIsExitTwo) {
    const auto result = run_standin({"serve", "--no-such-flag"});
    EXPECT_FALSE(result.timed_out);
    EXPECT_EQ(result.exit_code, 2);
    EXPECT_FALSE(result.err.empty());
}

TEST(CliStartup, MissingArgumentIsExitTwo) {
    const auto result = run_standin({"env"});
    EXPECT_EQ(result.exit_code, 2);
    EXPECT_FALSE(result.err.empty());
    EXPECT_EQ(result.out, "");
}

TEST(CliStartup, UnknownSubcommandIsExitTwo) {
    const auto result = run_standin({"frobnicate"});
    EXPECT_EQ(result.exit_code, 2);
    EXPECT_FALSE(result.err.empty());
}

TEST(CliStartup, HelpIsExitZero) {
    const auto result = run_standin({"--help"});
    EXPECT_EQ(result.exit_code, 0);
    EXPECT_NE(result.out.find("serve"), std::string::npos);
    EXPECT_NE(result.out.find("env"), std::string::npos);
}

TEST_F(Cli, SigtermExitsZeroAndRemovesTheSocket) {
    const fs::path socket = daemon().socket_path();
    ASSERT_TRUE(fs::exists(socket));
    raw_client c = connected(comp_a);
    EXPECT_EQ(daemon().stop(SIGTERM), 0);
    EXPECT_FALSE(fs::exists(socket));
    EXPECT_FALSE(fs::exists(daemon().root() / "daemon.json"));
    // Connected clients are closed.
    EXPECT_TRUE(c.expect_closed());
}

TEST_F(Cli, SigintExitsZeroAndRemovesTheSocket) {
    const fs::path socket = daemon().socket_path();
    EXPECT_EQ(daemon().stop(SIGINT), 0);
    EXPECT_FALSE(fs::exists(socket));
}

TEST_F(Cli, SocketIsOwnerOnly) {
    struct stat st {};
    ASSERT_EQ(::stat(daemon().socket_path().c_str(), &st), 0);
    EXPECT_TRUE(S_ISSOCK(st.st_mode));
    EXPECT_EQ(st.st_mode & 0777, 0600u);
}

TEST(CliStartup, CustomSocketPath) {
    temp_dir dir;
    const auto socket = (dir.path() / "custom.sock").string();
    daemon_process d{
        daemon_config{standard_recipes(), {"--socket", socket}, std::chrono::milliseconds{10000}}};
    EXPECT_EQ(d.socket_path(), socket);
    EXPECT_FALSE(fs::exists(d.root() / "ipc.socket"));
    const auto env = run_standin({"env", "--root", d.root().string(), comp_a});
    ASSERT_EQ(env.exit_code, 0) << env.err;
    EXPECT_EQ(parse_exports(env.out).at("AWS_GG_NUCLEUS_DOMAIN_SOCKET_FILEPATH_FOR_COMPONENT"), socket);
    raw_client c{socket};
    c.connect_or_throw(d.token(comp_a));
    EXPECT_EQ(d.stop(), 0);
    EXPECT_FALSE(fs::exists(socket));
}

TEST(CliStartup, SocketPathTooLongForSockaddrGetsAShortAliasForClients) {
    temp_dir dir;
    // 108+ bytes: beyond sockaddr_un, as deep CI temp dirs are.
    const auto deep = dir.path() / std::string(60, 'a') / std::string(60, 'b');
    fs::create_directories(deep);
    const auto socket = (deep / "ipc.socket").string();
    ASSERT_GT(socket.size(), 107u);
    daemon_process d{
        daemon_config{standard_recipes(), {"--socket", socket}, std::chrono::milliseconds{10000}}};
    EXPECT_EQ(d.socket_path(), socket);
    const auto env = run_standin({"env", "--root", d.root().string(), comp_a});
    ASSERT_EQ(env.exit_code, 0) << env.err;
    const auto exports = parse_exports(env.out);
    const auto client_path = exports.at("AWS_GG_NUCLEUS_DOMAIN_SOCKET_FILEPATH_FOR_COMPONENT");
    EXPECT_LE(client_path.size(), 107u);
    EXPECT_TRUE(fs::path{client_path}.is_absolute()) << client_path;
    EXPECT_EQ(exports.at("AWS_GG_NUCLEUS_DOMAIN_SOCKET_FILEPATH"), socket);
    raw_client c{client_path};
    c.connect_or_throw(d.token(comp_a));
    EXPECT_EQ(d.stop(), 0);
    EXPECT_FALSE(fs::exists(socket));
    EXPECT_FALSE(fs::exists(fs::symlink_status(fs::path{client_path}.parent_path())))
        << "alias left behind";
}

}  // namespace
}  // namespace standin::test::integration
