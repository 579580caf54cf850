// SPDX-License-Identifier: Apache-2.0
// Runs the table-driven cases of policies/*.yaml (format in policies/README.md): each file's
// accessControl documents are loaded as the daemon loads them, and every expectation is decided
// the way the dispatcher decides (the operation table's caller rule, trusted callers and service
// id, then the authorizer). Together the files must name every operation of the table.
#include <algorithm>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <yaml-cpp/yaml.h>
#include <nlohmann/json.hpp>

#include "authz/authorizer.hpp"
#include "standin/model/operations.hpp"
#include "util/yaml_json.hpp"

namespace standin::server {
namespace {

namespace fs = std::filesystem;
using json = nlohmann::json;

std::vector<fs::path> case_files() {
    std::vector<fs::path> files;
    for (const auto& entry : fs::directory_iterator(STANDIN_POLICY_CASES_DIR)) {
        if (entry.path().extension() == ".yaml") files.push_back(entry.path());
    }
    std::sort(files.begin(), files.end());
    return files;
}

json load_case(const fs::path& file) {
    std::ifstream in(file);
    std::stringstream text;
    text << in.rdbuf();
    return yaml_to_json(load_yaml_document(text.str(), file));
}

// What the dispatcher would decide, with the words the cases use for why.
struct outcome {
    bool allowed = false;
    std::string reason;       // see policies/README.md
    std::string explanation;  // the authorizer's explanation line and message, when it decided
    std::string policy;       // the granting policy's id
};

outcome decide(const authorizer& authz, const model::operation_info& op, const std::string& caller,
               const std::optional<std::string>& resource) {
    const auto& auth = op.auth;
    if (!auth.caller.admits(caller)) return {false, "caller rule", auth.caller.denial_for(caller), {}};
    if (!auth.checks_policy()) return {true, "no policy check", {}, {}};
    if (auth.trusted.trusts(caller)) return {true, "trusted caller", {}, {}};

    const auto d = authz.check({std::string{auth.service_id}, caller, std::string{op.name}, resource});
    // The dispatcher's path, which builds no decision, must agree with it.
    const auto grant =
        authz.grant_for(auth.service_id, caller, op.name,
                        resource ? std::optional<std::string_view>{*resource} : std::nullopt);
    EXPECT_EQ(grant.has_value(), d.allowed) << d.to_string();
    if (grant && d.grant) EXPECT_EQ(grant->by, d.grant->by) << d.to_string();
    outcome out{d.allowed, {}, d.to_string() + "\n" + d.message, {}};
    if (d.allowed) {
        out.reason = d.grant->via_any_operation ? "operation *" : "operation listed";
        out.policy = d.grant->by->policy_id;
        return out;
    }
    if (d.status != authz_status::not_authorized) {
        out.reason = to_string(d.status);
        return out;
    }
    // The caller's own policies, each with why it missed; other components' cannot grant it.
    for (const auto& miss : d.misses) {
        if (miss.by->component != caller) continue;
        out.reason += (out.reason.empty() ? "" : ", ") + std::string{to_string(miss.reason)};
    }
    if (out.reason.empty()) out.reason = "no policy of the caller";
    return out;
}

std::string text(const json& object, const char* key) {
    const auto it = object.find(key);
    return it == object.end() || it->is_null() ? std::string{} : it->get<std::string>();
}

TEST(PolicyCases, EveryExpectationHolds) {
    std::set<std::string_view> named;
    std::size_t expectations = 0;
    const auto files = case_files();
    ASSERT_FALSE(files.empty()) << STANDIN_POLICY_CASES_DIR;
    for (const auto& file : files) {
        SCOPED_TRACE(file.filename().string());
        const json doc = load_case(file);
        const std::string component = doc.at("component").get<std::string>();

        authorizer authz;
        register_nucleus_services(authz);
        std::vector<std::string> diagnostics;
        authz.load_component(component, doc.at("accessControl"), diagnostics);
        if (const auto others = doc.find("others"); others != doc.end()) {
            for (const auto& [name, access_control] : others->items())
                authz.load_component(name, access_control, diagnostics);
        }

        for (const auto& e : doc.at("expectations")) {
            SCOPED_TRACE(e.dump());
            ++expectations;
            const std::string operation = text(e, "operation");
            const auto* op = model::find_operation(operation);
            ASSERT_NE(op, nullptr) << "not an operation of the table: " << operation;
            named.insert(op->name);
            // The case's service id is the one the table gives the operation ("" for none).
            EXPECT_EQ(text(e, "service"), op->auth.service_id);

            const std::string caller = e.contains("caller") ? text(e, "caller") : component;
            const auto resource = e.contains("resource") && !e.at("resource").is_null()
                                      ? std::optional<std::string>{text(e, "resource")}
                                      : std::nullopt;
            const outcome got = decide(authz, *op, caller, resource);

            const std::string decision = text(e, "decision");
            ASSERT_TRUE(decision == "allow" || decision == "deny") << decision;
            EXPECT_EQ(got.allowed, decision == "allow") << got.reason << "\n" << got.explanation;
            if (e.contains("reason")) {
                EXPECT_EQ(got.reason, text(e, "reason")) << got.explanation;
            }
            if (e.contains("explanation")) {
                EXPECT_NE(got.explanation.find(text(e, "explanation")), std::string::npos)
                    << got.explanation;
            }
            if (e.contains("policy")) {
                EXPECT_EQ(got.policy, text(e, "policy"));
            }
        }
    }

    // Every row of the table is decided by at least one case.
    for (const auto& op : model::greengrass_operations())
        EXPECT_TRUE(named.contains(op.name)) << "no case in policies/ names " << op.name;
    EXPECT_GT(expectations, 50u);
}

// The cases can fail: a wrong expectation is reported, not skipped.
TEST(PolicyCases, AWrongExpectationFails) {
    authorizer authz;
    register_nucleus_services(authz);
    std::vector<std::string> diagnostics;
    authz.load_component("A", json::parse(R"({"aws.greengrass.ipc.pubsub": {"p": {
                             "operations": ["aws.greengrass#PublishToTopic"], "resources": ["a/*"]}}})"),
                         diagnostics);
    const auto* publish = model::find_operation("aws.greengrass#PublishToTopic");
    EXPECT_TRUE(decide(authz, *publish, "A", "a/b").allowed);
    const auto denied = decide(authz, *publish, "A", "b");
    EXPECT_FALSE(denied.allowed);
    EXPECT_EQ(denied.reason, "no resource matched");
}

}  // namespace
}  // namespace standin::server
