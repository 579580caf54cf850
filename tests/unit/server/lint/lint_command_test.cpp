// SPDX-License-Identifier: Apache-2.0
#include "cli/lint_command.hpp"

#include <unistd.h>

#include <atomic>
#include <fstream>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

namespace standin::server {
namespace {

namespace fs = std::filesystem;

class lint_command_test : public ::testing::Test {
protected:
    lint_command_test() {
        static std::atomic<int> counter{0};
        dir_ = fs::temp_directory_path() /
               ("standin-lint-" + std::to_string(::getpid()) + "-" + std::to_string(counter++));
        fs::create_directories(dir_);
    }
    ~lint_command_test() override {
        std::error_code ec;
        fs::remove_all(dir_, ec);
    }

    void write(const std::string& name, const std::string& text) const {
        std::ofstream(dir_ / name) << text;
    }

    int lint(bool json, std::string& out, std::string& err,
             lint::lint_target target = lint::lint_target::nucleus) const {
        lint_request request;
        request.paths = {dir_};
        request.json = json;
        request.options.target = target;
        std::ostringstream o, e;
        const int code = run_lint(request, o, e);
        out = o.str();
        err = e.str();
        return code;
    }

    fs::path dir_;
};

constexpr const char* good = R"(RecipeFormatVersion: '2020-01-25'
ComponentName: com.example.Good
ComponentVersion: '1.0.0'
Manifests:
  - Platform: {os: linux, runtime: "*"}
    Lifecycle: {Run: "true"}
)";

TEST_F(lint_command_test, CleanRecipesExitZero) {
    write("good.yaml", good);
    write(".hidden.yaml", "not: [a recipe");  // skipped, as standin serve skips it
    std::string out, err;
    EXPECT_EQ(lint(false, out, err), exit_success) << out << err;
    EXPECT_EQ(out, "1 recipe: 0 errors, 0 warnings, 0 notes\n");
    EXPECT_EQ(lint(false, out, err, lint::lint_target::lite), exit_success) << out << err;
}

TEST_F(lint_command_test, ErrorsExitOneWithFileAndLine) {
    write("good.yaml", good);
    write("bad.yaml", R"(RecipeFormatVersion: '2020-01-25'
ComponentName: com.example.Bad
ComponentVersion: '1.0.0'
ComponentConfiguration:
  DefaultConfiguration:
    accessControl:
      aws.greengrass.ipc.pubsub:
        p1: {operations: [PublishToTopic], resources: ["a/+"]}
Manifests:
  - Lifecycle: {Run: "true"}
)");
    write("broken.json", "{\"ComponentName\": 1,}");
    write("dup.yaml", std::string{good});
    std::string out, err;
    EXPECT_EQ(lint(false, out, err), exit_runtime_error);
    EXPECT_NE(out.find((dir_ / "bad.yaml").string() + ":8:27: error: operation \"PublishToTopic\""),
              std::string::npos)
        << out;
    EXPECT_NE(out.find("fix: write \"aws.greengrass#PublishToTopic\""), std::string::npos) << out;
    EXPECT_NE(out.find((dir_ / "bad.yaml").string() + ":8:56: warning:"), std::string::npos) << out;
    EXPECT_NE(out.find((dir_ / "broken.json").string() + ":1:"), std::string::npos) << out;
    EXPECT_NE(out.find("[duplicate-component]"), std::string::npos) << out;
    EXPECT_NE(out.find("4 recipes: 3 errors, 1 warning, 0 notes"), std::string::npos) << out;

    EXPECT_EQ(lint(true, out, err), exit_runtime_error);
    const auto report = nlohmann::json::parse(out);
    EXPECT_EQ(report.at("recipes"), 4);
    EXPECT_EQ(report.at("errors"), 3);
    EXPECT_EQ(report.at("findings").size(), 4u);
    EXPECT_EQ(report.at("findings")[0].at("check"), "operation");
    EXPECT_EQ(report.at("findings")[0].at("line"), 8);
}

TEST_F(lint_command_test, WarningsAloneExitZero) {
    write("warn.yaml", R"(RecipeFormatVersion: '2020-01-25'
ComponentName: com.example.Warn
ComponentVersion: '1.0.0'
ComponentDescripton: typo
Manifests:
  - Lifecycle: {Run: "true"}
)");
    std::string out, err;
    EXPECT_EQ(lint(false, out, err), exit_success) << out;
    EXPECT_NE(out.find("warning: unknown recipe property 'ComponentDescripton'"), std::string::npos)
        << out;
}

TEST_F(lint_command_test, MissingPathIsAUsageError) {
    lint_request request;
    request.paths = {dir_ / "nope"};
    std::ostringstream out, err;
    EXPECT_EQ(run_lint(request, out, err), exit_usage_error);
    EXPECT_NE(err.str().find("no such directory or recipe file"), std::string::npos) << err.str();
}

// The sample recipes the README and ./dev.sh run serve lint clean for the Java nucleus.
TEST(lint_command, SampleRecipesAreClean) {
    lint_request request;
    request.paths = {STANDIN_SAMPLE_RECIPES_DIR};
    std::ostringstream out, err;
    EXPECT_EQ(run_lint(request, out, err), exit_success) << out.str() << err.str();
    EXPECT_NE(out.str().find(" 0 errors, 0 warnings"), std::string::npos) << out.str();
}

// The README's example: fixtures/lint/com.example.Broken.yaml gives these findings, in this order.
TEST(lint_command, ReadmeExampleFindings) {
    lint_request request;
    request.paths = {STANDIN_LINT_FIXTURES_DIR};
    request.json = true;
    std::ostringstream out, err;
    EXPECT_EQ(run_lint(request, out, err), exit_runtime_error) << err.str();
    std::vector<std::pair<int, std::string>> found;
    const auto report = nlohmann::json::parse(out.str());
    for (const auto& f : report.at("findings"))
        found.emplace_back(f.at("line").get<int>(), f.at("check").get<std::string>());
    const std::vector<std::pair<int, std::string>> expected{{9, "service-id"},
                                                            {15, "operation"},
                                                            {16, "mqtt-wildcard"},
                                                            {20, "resource-never-matches"},
                                                            {24, "resource-never-matches"},
                                                            {30, "unknown-key"}};
    EXPECT_EQ(found, expected) << out.str();
}

}  // namespace
}  // namespace standin::server
