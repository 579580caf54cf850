// SPDX-License-Identifier: Apache-2.0
#include "lifecycle/configuration_variables.hpp"

#include <gtest/gtest.h>

#include "authz/authorizer.hpp"
#include "authz/recipe_policies.hpp"

namespace standin::server {
namespace {

using nlohmann::json;

recipe component(std::string name, std::string version, json dependencies = json::object()) {
    recipe r;
    r.component_name = std::move(name);
    r.component_version = std::move(version);
    r.dependencies = std::move(dependencies);
    return r;
}

const device_layout device{"/gg", "MyCore", std::filesystem::path{"/art"}};

const std::vector<recipe> loaded{
    component("com.example.A", "1.0.0", {{"com.example.Dep", {{"DependencyType", "HARD"}}}}),
    component("com.example.Dep", "2.1.0"), component("com.example.Other", "3.0.0")};

std::string interpolated(const std::string& text) {
    return interpolate_configuration(json{{"v", text}}, loaded[0], device, loaded)["v"];
}

TEST(ConfigurationVariables, SystemVariables) {
    EXPECT_EQ(interpolated("{iot:thingName}"), "MyCore");
    EXPECT_EQ(interpolated("{kernel:rootPath}/x"), "/gg/x");
    EXPECT_EQ(interpolated("{work:path}"), "/gg/work/com.example.A");
    EXPECT_EQ(interpolated("{artifacts:path}"), "/art/com.example.A/1.0.0");
    EXPECT_EQ(interpolated("{artifacts:decompressedPath}"),
              "/gg/packages/artifacts-unarchived/com.example.A/1.0.0");
}

TEST(ConfigurationVariables, ADirectDependencysPathsOnly) {
    EXPECT_EQ(interpolated("{com.example.Dep:artifacts:path}"), "/art/com.example.Dep/2.1.0");
    EXPECT_EQ(interpolated("{com.example.Dep:work:path}"), "/gg/work/com.example.Dep");
    EXPECT_EQ(interpolated("{com.example.Other:artifacts:path}"), "{com.example.Other:artifacts:path}");
}

TEST(ConfigurationVariables, ConfigurationValuesAreNotInterpolated) {
    // semantics.md §2.4: {configuration:/...} only in lifecycle scripts.
    const json configuration = {{"port", 8080},
                                {"echo", "{configuration:/port}"},
                                {"dep", "{com.example.Dep:configuration:/url}"}};
    EXPECT_EQ(interpolate_configuration(configuration, loaded[0], device, loaded), configuration);
}

TEST(ConfigurationVariables, UnknownNamespacesAndMiscasedKeysStayLiteral) {
    for (const std::string text : {"{iot:ThingName}", "{IOT:thingName}", "{iot:thing}", "{aws:region}",
                                   "{nocolon}", "{a:b:c:d}", "{iot:thingName"}) {
        EXPECT_EQ(interpolated(text), text);
    }
}

TEST(ConfigurationVariables, IamStyleDollarLeavesAStrayDollar) {
    EXPECT_EQ(interpolated("$aws/things/${iot:thingName}/shadow"), "$aws/things/$MyCore/shadow");
}

TEST(ConfigurationVariables, EveryStringValueButNoKey) {
    const json configuration = json::parse(R"({
        "{iot:thingName}": "{iot:thingName}",
        "nested": {"list": ["a/{iot:thingName}", 5, true, null, {"deep": "{kernel:rootPath}"}]},
        "number": 1.5
    })");
    const json expected = json::parse(R"({
        "{iot:thingName}": "MyCore",
        "nested": {"list": ["a/MyCore", 5, true, null, {"deep": "/gg"}]},
        "number": 1.5
    })");
    EXPECT_EQ(interpolate_configuration(configuration, loaded[0], device, loaded), expected);
}

TEST(ConfigurationVariables, ThingNameReachesThePolicies) {
    const json configuration = json::parse(R"({"accessControl": {"aws.greengrass.ShadowManager": {
        "p1": {"operations": ["aws.greengrass#GetThingShadow"],
               "resources": ["$aws/things/{iot:thingName}/shadow", "$aws/things/${iot:thingName}/shadow/name/n"]}}}})");
    const auto check = [](const json& c, const std::string& resource) {
        authorizer authz;
        register_nucleus_services(authz);
        std::vector<std::string> diagnostics;
        load_component_policies(authz, "com.example.A", c, diagnostics);
        return authz
            .check({"aws.greengrass.ShadowManager", "com.example.A", "aws.greengrass#GetThingShadow",
                    resource})
            .allowed;
    };
    const json on = interpolate_configuration(configuration, loaded[0], device, loaded);
    EXPECT_TRUE(check(on, "$aws/things/MyCore/shadow"));
    EXPECT_FALSE(check(on, "$aws/things/MyCore/shadow/name/n"));
    // Uninterpolated, the variable is literal text.
    EXPECT_FALSE(check(configuration, "$aws/things/MyCore/shadow"));
    EXPECT_TRUE(check(configuration, "$aws/things/{iot:thingName}/shadow"));
}

}  // namespace
}  // namespace standin::server
