// SPDX-License-Identifier: Apache-2.0
// --strict-policies: what the nucleus only logs and drops stops standin serve (and fails standin
// policy check) instead, naming the recipe file and the policy. Default: logged, startup goes on.
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include <gtest/gtest.h>

#include "cli/policy_command.hpp"
#include "daemon/daemon.hpp"

namespace standin::server {
namespace {

namespace fs = std::filesystem;

// A fresh directory holding one recipe whose pubsub policy has an invalid resource.
class strict_policies_test : public ::testing::Test {
protected:
    strict_policies_test() {
        static std::atomic<int> counter{0};
        dir_ = fs::temp_directory_path() /
               ("standin-strict-" + std::to_string(::getpid()) + "-" + std::to_string(counter++));
        fs::create_directories(dir_ / "recipes");
        std::ofstream(dir_ / "recipes" / "com.example.Sloppy.yaml")
            << R"(RecipeFormatVersion: '2020-01-25'
ComponentName: com.example.Sloppy
ComponentVersion: '1.0.0'
ComponentConfiguration:
  DefaultConfiguration:
    accessControl:
      aws.greengrass.ipc.pubsub:
        com.example.Sloppy:pubsub:1:
          operations: [aws.greengrass#PublishToTopic]
          resources: ["what?", "a/*"]
Manifests:
  - Lifecycle: {Run: "true"}
)";
    }
    ~strict_policies_test() override {
        std::error_code ec;
        fs::remove_all(dir_, ec);
    }

    daemon_options options(bool strict) const {
        daemon_options o;
        o.root = dir_ / "root";
        o.recipe_dirs = {dir_ / "recipes"};
        o.launch = false;
        o.strict_policies = strict;
        return o;
    }

    int policy_check(bool strict, std::string& out, std::string& err) const {
        policy_check_request request;
        request.recipe_dirs = {dir_ / "recipes"};
        request.component = "com.example.Sloppy";
        request.operation = "PublishToTopic";
        request.resource = "a/b";
        request.strict_policies = strict;
        std::ostringstream o, e;
        const int code = run_policy_check(request, o, e);
        out = o.str();
        err = e.str();
        return code;
    }

    fs::path dir_;
};

TEST_F(strict_policies_test, ServeRefusesToStartNamingFileAndPolicy) {
    try {
        run_daemon(options(true));
        FAIL() << "run_daemon started with a malformed policy under --strict-policies";
    } catch (const startup_error& e) {
        const std::string message = e.what();
        EXPECT_NE(message.find("com.example.Sloppy.yaml"), std::string::npos) << message;
        EXPECT_NE(message.find("policy \"com.example.Sloppy:pubsub:1\""), std::string::npos) << message;
        EXPECT_NE(message.find("Resource contains invalid character: '?'"), std::string::npos)
            << message;
    }
}

TEST_F(strict_policies_test, PolicyCheckFailsWithUsageError) {
    std::string out, err;
    EXPECT_EQ(policy_check(true, out, err), policy_usage_error);
    EXPECT_NE(err.find("com.example.Sloppy.yaml"), std::string::npos) << err;
    EXPECT_NE(err.find("--strict-policies"), std::string::npos) << err;
    EXPECT_TRUE(out.empty()) << out;
}

TEST_F(strict_policies_test, ByDefaultTheRestOfThePolicyStillAllows) {
    std::string out, err;
    EXPECT_EQ(policy_check(false, out, err), policy_allowed) << out << err;
    EXPECT_NE(err.find("note: accessControl of com.example.Sloppy"), std::string::npos) << err;
}

}  // namespace
}  // namespace standin::server
