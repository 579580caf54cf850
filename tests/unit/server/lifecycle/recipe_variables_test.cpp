// SPDX-License-Identifier: Apache-2.0
#include "lifecycle/recipe_variables.hpp"

#include <gtest/gtest.h>

namespace standin::server::lifecycle {
namespace {

variable_context sample() {
    variable_context c;
    c.component = "com.example.A";
    c.root = "/gg";
    c.thing_name = "thing-1";
    c.direct_dependencies = {"com.example.Dep"};
    c.paths_of = [](std::string_view name) {
        const std::string n{name};
        return component_paths{"/art/" + n + "/1.0.0", "/unz/" + n + "/1.0.0", "/gg/work/" + n};
    };
    c.configuration_of = [](std::string_view name) -> std::optional<nlohmann::json> {
        if (name == "com.example.A")
            return nlohmann::json::parse(R"({"port": 8080, "name": "a", "ratio": 0.5, "on": true,
                                              "nested": {"k": [1, 2]}})");
        if (name == "com.example.Dep") return nlohmann::json::parse(R"({"url": "http://dep"})");
        if (name == "com.example.Other") return nlohmann::json::parse(R"({"secret": "s"})");
        return std::nullopt;
    };
    return c;
}

TEST(RecipeVariables, SystemValues) {
    const auto c = sample();
    EXPECT_EQ(interpolate("{artifacts:path}/run.sh", c), "/art/com.example.A/1.0.0/run.sh");
    EXPECT_EQ(interpolate("{artifacts:decompressedPath}", c), "/unz/com.example.A/1.0.0");
    EXPECT_EQ(interpolate("cd {work:path} && ls {kernel:rootPath}", c),
              "cd /gg/work/com.example.A && ls /gg");
    EXPECT_EQ(interpolate("{iot:thingName}", c), "thing-1");
}

TEST(RecipeVariables, ConfigurationValues) {
    const auto c = sample();
    EXPECT_EQ(interpolate("--port {configuration:/port} --name {configuration:/name}", c),
              "--port 8080 --name a");
    EXPECT_EQ(interpolate("{configuration:/ratio} {configuration:/on}", c), "0.5 true");
    EXPECT_EQ(interpolate("{configuration:/nested}", c), R"({"k":[1,2]})");
    EXPECT_EQ(interpolate("{configuration:/nested/k/1}", c), "2");
    // Missing: left as written.
    EXPECT_EQ(interpolate("{configuration:/missing}", c), "{configuration:/missing}");
}

TEST(RecipeVariables, OnlyDirectDependenciesAcrossComponents) {
    const auto c = sample();
    EXPECT_EQ(interpolate("{com.example.Dep:configuration:/url}", c), "http://dep");
    EXPECT_EQ(interpolate("{com.example.Dep:artifacts:path}", c), "/art/com.example.Dep/1.0.0");
    EXPECT_EQ(interpolate("{com.example.Other:configuration:/secret}", c),
              "{com.example.Other:configuration:/secret}");
}

TEST(RecipeVariables, UnknownAndMalformedPlaceholdersStay) {
    const auto c = sample();
    EXPECT_EQ(interpolate("{unknown:thing} {work:elsewhere} {nocolon} {a:b:c:d}", c),
              "{unknown:thing} {work:elsewhere} {nocolon} {a:b:c:d}");
    EXPECT_EQ(interpolate("awk '{print $1}' {iot:thingName}", c), "awk '{print $1}' thing-1");
    EXPECT_EQ(interpolate("{{iot:thingName}} and {", c), "{thing-1} and {");
    EXPECT_EQ(interpolate("", c), "");
}

}  // namespace
}  // namespace standin::server::lifecycle
