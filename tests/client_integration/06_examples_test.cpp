// SPDX-License-Identifier: Apache-2.0
// The examples of client/examples/ run against the real daemon with a component's environment, as a
// component runs them: publish, subscribe (receiving what publish sends), configuration.
#include <stdio.h>
#include <sys/wait.h>

#include <array>

#include "client_integration_common.hpp"

namespace standin::client::integration {
namespace {

using Examples = ClientIntegration;

struct outcome {
    int status = -1;
    std::string output;
};

// "VAR='value' ... program args", single-quoted for sh.
std::string quoted(const std::string& s) {
    std::string out = "'";
    for (const char c : s)
        out += c == '\'' ? std::string{"'\\''"} : std::string{c};
    return out + "'";
}

class example_process {
public:
    example_process(const std::string& command) : pipe_(::popen(command.c_str(), "r")) {}
    example_process(const example_process&) = delete;
    example_process& operator=(const example_process&) = delete;
    ~example_process() {
        if (pipe_ != nullptr) (void)finish();
    }
    // One line of its stdout (empty at its end).
    std::string line() {
        std::array<char, 4096> buffer{};
        if (pipe_ == nullptr || ::fgets(buffer.data(), buffer.size(), pipe_) == nullptr) return {};
        return buffer.data();
    }
    outcome finish() {
        outcome out;
        for (std::string l = line(); !l.empty(); l = line())
            out.output += l;
        const int status = ::pclose(pipe_);
        pipe_ = nullptr;
        out.status = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
        return out;
    }

private:
    FILE* pipe_;
};

std::string command(const test::daemon_process& daemon, const std::string& component,
                    const std::string& program, const std::vector<std::string>& args) {
    std::string out =
        "SVCUID=" + quoted(daemon.token(component)) +
        " AWS_GG_NUCLEUS_DOMAIN_SOCKET_FILEPATH_FOR_COMPONENT=" + quoted(daemon.socket_path()) + " " +
        quoted(program);
    for (const auto& a : args)
        out += " " + quoted(a);
    return out + " 2>&1";
}

TEST_F(Examples, Publish) {
    const auto r =
        example_process{command(daemon, comp_a, STANDIN_EXAMPLE_PUBLISH, {"examples/t", R"({"a": 1})"})}
            .finish();
    EXPECT_EQ(r.status, 0) << r.output;
    EXPECT_EQ(r.output, "published to examples/t\n");
}

TEST_F(Examples, PublishUnauthorizedFails) {
    const auto r =
        example_process{command(daemon, comp_none, STANDIN_EXAMPLE_PUBLISH, {"examples/t"})}.finish();
    EXPECT_EQ(r.status, 1) << r.output;
    EXPECT_NE(r.output.find("UnauthorizedError"), std::string::npos) << r.output;
}

TEST_F(Examples, SubscribeReceivesWhatPublishSends) {
    example_process sub{command(daemon, comp_b, STANDIN_EXAMPLE_SUBSCRIBE, {"examples/#", "1"})};
    ASSERT_EQ(sub.line(), "subscribed to examples/#\n");
    const auto pub =
        example_process{command(daemon, comp_a, STANDIN_EXAMPLE_PUBLISH, {"examples/x", R"({"n": 7})"})}
            .finish();
    ASSERT_EQ(pub.status, 0) << pub.output;
    const auto r = sub.finish();
    EXPECT_EQ(r.status, 0) << r.output;
    EXPECT_EQ(r.output, "examples/x {\"n\":7}\n");
}

TEST_F(Examples, Configuration) {
    const auto r =
        example_process{command(daemon, comp_a, STANDIN_EXAMPLE_CONFIGURATION, {"interval", "10"})}
            .finish();
    EXPECT_EQ(r.status, 0) << r.output;
    EXPECT_NE(r.output.find("before: "), std::string::npos) << r.output;
    EXPECT_NE(r.output.find("after: interval = "), std::string::npos) << r.output;
    EXPECT_NE(r.output.find("\"10\""), std::string::npos) << r.output;
}

}  // namespace
}  // namespace standin::client::integration
