// SPDX-License-Identifier: Apache-2.0
#include "recipes/recipe.hpp"

#include <unistd.h>

#include <atomic>
#include <cmath>
#include <fstream>
#include <string>

#include <gtest/gtest.h>
#include <yaml-cpp/yaml.h>

#include "util/yaml_json.hpp"

namespace standin::server {
namespace {

using nlohmann::json;

const platform_labels linux_amd64{{"os", "linux"}, {"architecture", "amd64"}};

recipe parse_test_recipe(std::string_view text, const platform_labels& platform = linux_amd64) {
    return parse_recipe(text, "test.yaml", platform);
}

// Parses text expecting a recipe_error at `line`, whose message contains `fragment`.
void expect_recipe_error(std::string_view text, int line, std::string_view fragment) {
    try {
        parse_test_recipe(text);
        ADD_FAILURE() << "no error for:\n" << text;
    } catch (const recipe_error& e) {
        EXPECT_EQ(e.file, "test.yaml");
        EXPECT_EQ(e.line, line) << e.what();
        EXPECT_NE(e.problem.find(fragment), std::string::npos) << e.what();
        EXPECT_EQ(std::string(e.what()).rfind("test.yaml:" + std::to_string(line) + ":", 0), 0u)
            << e.what();
    }
}

bool has_warning(const recipe& r, std::string_view fragment) {
    for (const auto& w : r.warnings) {
        if (w.find(fragment) != std::string::npos) {
            return true;
        }
    }
    return false;
}

// Identity lines shared by many tests; 3 lines, so what follows starts at line 4.
constexpr std::string_view head =
    "RecipeFormatVersion: '2020-01-25'\n"
    "ComponentName: com.example.Test\n"
    "ComponentVersion: 1.0.0\n";

std::string with_head(std::string_view rest) {
    return std::string(head) + std::string(rest);
}

constexpr std::string_view linux_manifest =
    "Manifests:\n"
    "  - Platform:\n"
    "      os: linux\n"
    "    Lifecycle:\n"
    "      Run: echo hi\n";

// ---- well-formed recipes -------------------------------------------------------------------------

TEST(Recipe, ParsesAFullYamlRecipe) {
    const recipe r = parse_test_recipe(R"(---
RecipeFormatVersion: '2020-01-25'
ComponentName: com.example.Full
ComponentVersion: '2.3.4-beta.1+build.7'
ComponentType: aws.greengrass.generic
ComponentDescription: A test component.
ComponentPublisher: Me
ComponentConfiguration:
  DefaultConfiguration:
    interval: 5
    ratio: 0.25
    enabled: true
    name: "5"
    nothing: null
    nested: {a: [1, two, 3.5]}
    accessControl:
      aws.greengrass.ipc.pubsub:
        com.example.Full:pubsub:1:
          operations: [aws.greengrass#PublishToTopic]
          resources: ["a/*"]
ComponentDependencies:
  aws.greengrass.Nucleus:
    VersionRequirement: '>=2.0.0 <3.0.0'
    DependencyType: soft
  com.example.Other:
    VersionRequirement: ^1.0.0
Manifests:
  - Platform:
      os: linux
    Lifecycle:
      Install: echo install
      Run:
        Script: echo run
        RequiresPrivilege: false
)");
    EXPECT_EQ(r.file, "test.yaml");
    EXPECT_EQ(r.format_version, "2020-01-25");
    EXPECT_EQ(r.component_name, "com.example.Full");
    EXPECT_EQ(r.component_name_line, 3);
    EXPECT_EQ(r.component_version, "2.3.4-beta.1+build.7");
    EXPECT_EQ(r.component_type, "aws.greengrass.generic");
    EXPECT_EQ(r.description, "A test component.");
    EXPECT_EQ(r.publisher, "Me");
    const json& config = r.default_configuration;
    EXPECT_EQ(config["interval"], json(5));
    EXPECT_TRUE(config["interval"].is_number_integer());
    EXPECT_EQ(config["ratio"], json(0.25));
    EXPECT_EQ(config["enabled"], json(true));
    EXPECT_EQ(config["name"], json("5"));
    EXPECT_TRUE(config["nothing"].is_null());
    EXPECT_EQ(config["nested"], json::parse(R"({"a": [1, "two", 3.5]})"));
    EXPECT_EQ(
        config["accessControl"]["aws.greengrass.ipc.pubsub"]["com.example.Full:pubsub:1"]["resources"],
        json::array({"a/*"}));
    EXPECT_EQ(r.dependencies, json::parse(R"({
        "aws.greengrass.Nucleus": {"VersionRequirement": ">=2.0.0 <3.0.0", "DependencyType": "SOFT"},
        "com.example.Other": {"VersionRequirement": "^1.0.0", "DependencyType": "HARD"}})"));
    ASSERT_TRUE(r.selected_manifest.is_object());
    EXPECT_EQ(r.selected_manifest["Platform"], json::parse(R"({"os": "linux"})"));
    EXPECT_EQ(r.lifecycle, json::parse(R"({"Install": "echo install",
                                            "Run": {"Script": "echo run", "RequiresPrivilege": false}})"));
    EXPECT_TRUE(r.warnings.empty()) << r.warnings.front();
}

TEST(Recipe, ParsesAJsonRecipeWithTypedValues) {
    const recipe r = parse_recipe(R"({
	"RecipeFormatVersion": "2020-01-25",
	"ComponentName": "com.example.Json",
	"ComponentVersion": "1.0.0",
	"ComponentConfiguration": {
		"DefaultConfiguration": {
			"int": 42, "negative": -7, "float": 1.5e3, "bool": false, "null": null,
			"string_int": "42", "string_bool": "true", "string_null": "null", "escaped": "a\/b\u00e9\n",
			"big": 18446744073709551615, "huge": 1e999,
			"list": [1, "1", true, null, {"k": "v"}]
		}
	},
	"Manifests": [{"Platform": {"os": "linux"}, "Lifecycle": {"Run": "echo json"}}]
})",
                                  "test.json", linux_amd64);
    const json& c = r.default_configuration;
    EXPECT_EQ(c["int"], json(42));
    EXPECT_EQ(c["negative"], json(-7));
    EXPECT_EQ(c["float"], json(1500.0));
    EXPECT_TRUE(c["float"].is_number_float());
    EXPECT_EQ(c["bool"], json(false));
    EXPECT_TRUE(c["null"].is_null());
    EXPECT_EQ(c["string_int"], json("42"));
    EXPECT_EQ(c["string_bool"], json("true"));
    EXPECT_EQ(c["string_null"], json("null"));
    EXPECT_EQ(c["escaped"], json("a/b\xc3\xa9\n"));
    EXPECT_EQ(c["big"], json(18446744073709551615ULL));
    EXPECT_EQ(c["huge"], json("1e999"));  // not representable as a double: kept as written
    EXPECT_EQ(c["list"], json::parse(R"([1, "1", true, null, {"k": "v"}])"));
    EXPECT_EQ(r.lifecycle, json::parse(R"({"Run": "echo json"})"));
    EXPECT_TRUE(r.warnings.empty());
}

TEST(Recipe, JsonFilesMustBeStrictJson) {
    const auto error_of = [](std::string_view text, const char* file) {
        try {
            parse_recipe(text, file, linux_amd64);
        } catch (const recipe_error& e) {
            return std::string(e.what());
        }
        return std::string("no error");
    };
    // yaml-cpp alone would accept these; a .json recipe is read by a JSON parser in the nucleus.
    const std::string comma = "{\"ComponentName\": \"a\",\n \"ComponentVersion\": \"1.0.0\",}\n";
    EXPECT_EQ(error_of(comma, "r.json").rfind("r.json:2:30: JSON syntax error: ", 0), 0u)
        << error_of(comma, "r.json");
    EXPECT_EQ(error_of(comma, "r.yaml"), "no error");
    const std::string comment =
        "# comment\n{\"ComponentName\": \"a\", \"ComponentVersion\": \"1.0.0\"}\n";
    EXPECT_EQ(error_of(comment, "R.JSON").rfind("R.JSON:1:1: JSON syntax error", 0), 0u)
        << error_of(comment, "R.JSON");
    EXPECT_EQ(error_of(comment, "r.yml"), "no error");
}

TEST(Recipe, PropertyNamesAreCaseInsensitiveButConfigurationKeysAreNot) {
    const recipe r = parse_test_recipe(R"(recipeformatversion: '2020-01-25'
COMPONENTNAME: com.example.Case
componentVersion: 1.0.0
componenttype: AWS.GREENGRASS.PLUGIN
componentDescription: d
componentconfiguration:
  defaultconfiguration:
    MixedCase: 1
    mixedcase: 2
    AccessControl: {}
componentdependencies:
  com.example.Dep:
    versionrequirement: '1.0.0'
    dependencytype: Hard
manifests:
  - platform:
      OS: linux
      Architecture: amd64
    selections: [special]
lifecycle:
  special:
    run: echo special
  all:
    run: echo all
)");
    EXPECT_EQ(r.format_version, "2020-01-25");
    EXPECT_EQ(r.component_name, "com.example.Case");
    EXPECT_EQ(r.component_version, "1.0.0");
    EXPECT_EQ(r.component_type, "aws.greengrass.plugin");
    EXPECT_EQ(r.description, "d");
    EXPECT_EQ(r.default_configuration,
              json::parse(R"({"MixedCase": 1, "mixedcase": 2, "AccessControl": {}})"));
    EXPECT_EQ(r.dependencies["com.example.Dep"]["DependencyType"], "HARD");
    EXPECT_EQ(r.selected_manifest["Selections"], json::array({"special"}));
    EXPECT_EQ(r.lifecycle, json::parse(R"({"run": "echo special"})"));
    EXPECT_TRUE(r.warnings.empty()) << r.warnings.front();
}

TEST(Recipe, ScalarsOfIdentityFieldsKeepTheirSpelling) {
    const recipe r =
        parse_test_recipe(with_head("ComponentDescription: 007\nComponentPublisher: true\n") +
                          std::string(linux_manifest));
    EXPECT_EQ(r.description, "007");
    EXPECT_EQ(r.publisher, "true");
}

TEST(Recipe, ComponentTypeDefaultsToGeneric) {
    EXPECT_EQ(parse_test_recipe(with_head(linux_manifest)).component_type, "aws.greengrass.generic");
}

// ---- yaml_to_json --------------------------------------------------------------------------------

json convert(const std::string& yaml) {
    return yaml_to_json(YAML::Load(yaml));
}

TEST(YamlToJson, PlainScalarsFollowTheCoreSchema) {
    const std::vector<std::pair<std::string, json>> cases = {
        {"null", nullptr},
        {"Null", nullptr},
        {"NULL", nullptr},
        {"~", nullptr},
        {"", nullptr},
        {"true", true},
        {"True", true},
        {"TRUE", true},
        {"false", false},
        {"False", false},
        {"FALSE", false},
        {"0", 0},
        {"-0", 0},
        {"+12", 12},
        {"-12", -12},
        {"0o17", 15},
        {"0x1F", 31},
        {"0123", 123},
        {"1.5", 1.5},
        {"-1.5", -1.5},
        {".5", 0.5},
        {"5.", 5.0},
        {"1e3", 1000.0},
        {"+1.5E-2", 0.015},
        {"9223372036854775807", 9223372036854775807LL},
        {"-9223372036854775808", json(std::numeric_limits<std::int64_t>::min())},
        {"18446744073709551616", "18446744073709551616"},  // beyond uint64: kept as text
        {"-9223372036854775809", "-9223372036854775809"},
        {".inf", ".inf"},
        {"-.Inf", "-.Inf"},
        {".NaN", ".NaN"},
        {"1e999", "1e999"},
        {"yes", "yes"},
        {"no", "no"},
        {"on", "on"},
        {"off", "off"},
        {"nULL", "nULL"},
        {"tRUE", "tRUE"},
        {"0x", "0x"},
        {"0o8", "0o8"},
        {"1.2.3", "1.2.3"},
        {"2020-01-25", "2020-01-25"},
        {"1_000", "1_000"},
        {".", "."},
        {"1e", "1e"},
        {"+", "+"},
        {"-1-", "-1-"},
        {"0b101", "0b101"},
        {"12:30", "12:30"},
    };
    for (const auto& [text, expected] : cases) {
        const json got = convert("v: " + text)["v"];
        EXPECT_EQ(got, expected) << "'" << text << "' gave " << got.dump();
        EXPECT_EQ(got.type(), expected.type()) << "'" << text << "'";
    }
}

TEST(YamlToJson, QuotedBlockAndTaggedScalarsStayStrings) {
    const json j = convert(
        "a: '5'\nb: \"true\"\nc: !!str 7\nd: |\n  12\ne: >\n  null\nf: ''\ng: !custom 3\nh: !!int 9\n");
    EXPECT_EQ(j["a"], json("5"));
    EXPECT_EQ(j["b"], json("true"));
    EXPECT_EQ(j["c"], json("7"));
    EXPECT_EQ(j["d"], json("12\n"));
    EXPECT_EQ(j["e"], json("null\n"));
    EXPECT_EQ(j["f"], json(""));
    EXPECT_EQ(j["g"], json("3"));
    EXPECT_EQ(j["h"], json(9));
}

TEST(YamlToJson, KeysAreTextAndRepeatedKeysKeepTheLastValue) {
    EXPECT_EQ(convert("1: a\ntrue: b\nnull: c\nk: 1\nk: 2\n"),
              json::parse(R"({"1": "a", "true": "b", "null": "c", "k": 2})"));
}

TEST(YamlToJson, AliasesAreExpanded) {
    EXPECT_EQ(convert("base: &b {x: 1}\ncopy: *b\n"),
              json::parse(R"({"base": {"x": 1}, "copy": {"x": 1}})"));
}

TEST(YamlToJson, RejectsComplexKeysWithTheirPosition) {
    try {
        convert("a: 1\n? [x, y]\n: 2\n");
        ADD_FAILURE();
    } catch (const source_error& e) {
        EXPECT_EQ(e.line, 2);
        EXPECT_TRUE(e.file.empty());
    }
}

TEST(YamlToJson, RejectsSelfReferencingAliasesInsteadOfRecursingForever) {
    EXPECT_THROW(convert("a: &x [*x]\n"), source_error);
}

TEST(YamlToJson, RejectsExponentialAliasExpansion) {
    std::string yaml = "a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n";
    for (int i = 1; i <= 7; ++i) {
        const std::string prev = "*a" + std::to_string(i - 1);
        yaml += "a" + std::to_string(i) + ": &a" + std::to_string(i) + " [" + prev;
        for (int k = 1; k < 10; ++k) {
            yaml += ", " + prev;
        }
        yaml += "]\n";
    }
    EXPECT_THROW(convert(yaml), source_error);
}

// ---- fatal errors --------------------------------------------------------------------------------

TEST(RecipeErrors, SyntaxErrorCarriesTheParserPosition) {
    expect_recipe_error("ComponentName: a\nComponentVersion: [1.0.0\nManifests: []\n", 3,
                        "syntax error");
    expect_recipe_error("{\"ComponentName\": \"a\",\n \"ComponentVersion\": \"1.0.0\"\n \"x\": 1}\n", 3,
                        "syntax error");
}

TEST(RecipeErrors, TopLevelMustBeAMap) {
    expect_recipe_error("- a\n- b\n", 1, "top level");
    expect_recipe_error("just text\n", 1, "top level");
    try {
        parse_test_recipe("# only a comment\n");
        ADD_FAILURE();
    } catch (const recipe_error& e) {
        EXPECT_EQ(e.line, 0);
        EXPECT_STREQ(e.what(), "test.yaml: the recipe is empty");
    }
}

TEST(RecipeErrors, ComponentName) {
    expect_recipe_error("# comment\nRecipeFormatVersion: '2020-01-25'\nComponentVersion: 1.0.0\n", 2,
                        "ComponentName is missing");
    expect_recipe_error("RecipeFormatVersion: '2020-01-25'\nComponentName:\nComponentVersion: 1.0.0\n",
                        1, "ComponentName is missing");
    expect_recipe_error("ComponentVersion: 1.0.0\nComponentName: ''\n", 2, "ComponentName is empty");
    expect_recipe_error("ComponentVersion: 1.0.0\nComponentName: com example\n", 2, "may only contain");
    expect_recipe_error("ComponentVersion: 1.0.0\nComponentName: com/example\n", 2, "may only contain");
    expect_recipe_error("ComponentVersion: 1.0.0\nComponentName: [a]\n", 2, "must be a string");
    expect_recipe_error("ComponentVersion: 1.0.0\nComponentName: " + std::string(129, 'a') + "\n", 2,
                        "longer than 128");
    EXPECT_EQ(
        parse_test_recipe("ComponentVersion: 1.0.0\nComponentName: " + std::string(128, 'a') + "\n")
            .component_name.size(),
        128u);
}

TEST(RecipeErrors, ComponentVersion) {
    expect_recipe_error("ComponentName: a\n", 1, "ComponentVersion is missing");
    for (const char* bad : {"1.0", "1", "1.0.0.0", "v1.0.0", "1.a.0", "1.0.0-", "1.0.0+", "1.0.0-a..b",
                            "1.0.0-a_b", "-1.0.0", "1..0", "'1.0.0 '"}) {
        expect_recipe_error(std::string("ComponentName: a\n\nComponentVersion: ") + bad + "\n", 3,
                            "ComponentVersion");
    }
    expect_recipe_error("ComponentName: a\nComponentVersion: 1000000.0.0\n", 2, "may not exceed 999999");
    expect_recipe_error("ComponentName: a\nComponentVersion: 1.0.1000000\n", 2, "may not exceed 999999");
    expect_recipe_error("ComponentName: a\nComponentVersion: 1.0.0-" + std::string(59, 'x') + "\n", 2,
                        "longer than 64");
    for (const char* good : {"0.0.0", "999999.999999.999999", "1.0.0-alpha-1.2", "1.0.0+sha.abc-1",
                             "1.2.3-rc.1+b.2", "01.002.0003"}) {
        EXPECT_EQ(parse_test_recipe(std::string("ComponentName: a\nComponentVersion: ") + good + "\n")
                      .component_version,
                  good);
    }
    EXPECT_EQ(
        parse_test_recipe("ComponentName: a\nComponentVersion: 1.0.0-" + std::string(58, 'x') + "\n")
            .component_version.size(),
        64u);
}

TEST(RecipeErrors, RecipeFormatVersion) {
    expect_recipe_error("ComponentName: a\nComponentVersion: 1.0.0\nRecipeFormatVersion: 2020-01-26\n",
                        3, "RecipeFormatVersion '2020-01-26' is not supported");
    expect_recipe_error("ComponentName: a\nComponentVersion: 1.0.0\nRecipeFormatVersion: {}\n", 3,
                        "must be a string");
}

TEST(RecipeErrors, ComponentConfigurationShape) {
    expect_recipe_error(with_head("ComponentConfiguration: [a]\n"), 4,
                        "ComponentConfiguration must be a map");
    expect_recipe_error(with_head("ComponentConfiguration:\n  DefaultConfiguration: text\n"), 5,
                        "DefaultConfiguration must be a map");
    expect_recipe_error(with_head("ComponentConfiguration:\n  DefaultConfiguration:\n    - a\n"), 6,
                        "DefaultConfiguration must be a map");
    expect_recipe_error(
        with_head("ComponentConfiguration:\n  DefaultConfiguration:\n    ? [k]\n    : v\n"), 6,
        "plain value");
}

TEST(RecipeErrors, ManifestsShape) {
    expect_recipe_error(with_head("Manifests:\n  Platform: {os: linux}\n"), 5,
                        "Manifests must be a list");
    expect_recipe_error(with_head("Manifests: linux\n"), 4, "Manifests must be a list");
    expect_recipe_error(with_head("Manifests:\n  - linux\n"), 5,
                        "each entry of Manifests must be a map");
    expect_recipe_error(with_head("Manifests:\n  - ~\n  - {}\n"), 5,
                        "each entry of Manifests must be a map");
    expect_recipe_error(with_head("Manifests:\n  - Platform: linux\n"), 5, "Platform must be a map");
    expect_recipe_error(with_head("Manifests:\n  - Lifecycle: [run]\n"), 5, "Lifecycle must be a map");
    expect_recipe_error(with_head("Manifests:\n  - Selections: special\n"), 5,
                        "Selections must be a list");
    expect_recipe_error(with_head("Lifecycle: echo\n"), 4, "Lifecycle must be a map");
}

TEST(RecipeErrors, Dependencies) {
    expect_recipe_error(with_head("ComponentDependencies:\n  a:\n    VersionRequirement: 1.0.0\n"
                                  "    DependencyType: MAYBE\n"),
                        7, "DependencyType 'MAYBE' must be HARD or SOFT");
    expect_recipe_error(with_head("ComponentDependencies:\n  a:\n    DependencyType: HARD\n"), 6,
                        "dependency 'a' has no VersionRequirement");
    expect_recipe_error(with_head("ComponentDependencies: [a]\n"), 4,
                        "ComponentDependencies must be a map");
    expect_recipe_error(with_head("ComponentDependencies:\n  a: 1.0.0\n"), 5, "a must be a map");
}

TEST(RecipeErrors, ComponentType) {
    expect_recipe_error(with_head("ComponentType: aws.greengrass.docker\n"), 4,
                        "ComponentType 'aws.greengrass.docker'");
}

TEST(RecipeErrors, SameKeyTwiceWithDifferentCaseNamesBoth) {
    expect_recipe_error("ComponentName: a\nComponentVersion: 1.0.0\ncomponentName: b\n", 3,
                        "'componentName' repeats 'ComponentName' (line 1)");
    expect_recipe_error(
        with_head("ComponentConfiguration:\n  DefaultConfiguration: {}\n  defaultConfiguration: {}\n"),
        6, "'defaultConfiguration' repeats 'DefaultConfiguration' (line 5)");
    expect_recipe_error(with_head("Manifests:\n  - Platform: {os: linux, OS: linux}\n"), 5,
                        "'OS' repeats 'os'");
    expect_recipe_error("ComponentName: a\nComponentVersion: 1.0.0\nComponentName: a\n", 3,
                        "'ComponentName' appears twice (first at line 1)");
}

TEST(RecipeErrors, MessageFormat) {
    try {
        parse_recipe("ComponentName: a\nComponentVersion: x\n", "dir/r.yaml", linux_amd64);
        ADD_FAILURE();
    } catch (const recipe_error& e) {
        EXPECT_STREQ(
            e.what(),
            "dir/r.yaml:2:19: ComponentVersion 'x' is not a semantic version (major.minor.patch)");
        EXPECT_EQ(e.column, 19);
        const std::runtime_error& base = e;  // usable where only runtime_error is caught
        EXPECT_NE(std::string(base.what()).find("dir/r.yaml"), std::string::npos);
    }
}

// ---- warnings ------------------------------------------------------------------------------------

TEST(RecipeWarnings, MissingFormatVersion) {
    const recipe r =
        parse_test_recipe("ComponentName: a\nComponentVersion: 1.0.0\n" + std::string(linux_manifest));
    ASSERT_EQ(r.warnings.size(), 1u);
    EXPECT_EQ(r.warnings[0],
              "test.yaml:1:1: RecipeFormatVersion is missing; the nucleus requires '2020-01-25'");
    EXPECT_EQ(r.format_version, "");
}

TEST(RecipeWarnings, MissingOrEmptyManifests) {
    const recipe missing = parse_test_recipe(with_head(""));
    ASSERT_EQ(missing.warnings.size(), 1u);
    EXPECT_NE(missing.warnings[0].find("test.yaml:1:1: Manifests is missing or empty"),
              std::string::npos);
    EXPECT_TRUE(missing.selected_manifest.is_null());
    EXPECT_TRUE(missing.lifecycle.is_null());

    const recipe empty = parse_test_recipe(with_head("Manifests: []\n"));
    ASSERT_EQ(empty.warnings.size(), 1u);
    EXPECT_NE(empty.warnings[0].find("test.yaml:4:"), std::string::npos);

    const recipe null = parse_test_recipe(with_head("Manifests:\n"));
    EXPECT_TRUE(has_warning(null, "Manifests is missing or empty"));
}

TEST(RecipeWarnings, UnknownPropertiesAreIgnoredWithAHint) {
    const recipe r = parse_test_recipe(
        with_head("ComponentConfiguraton:\n  DefaultConfiguration: {a: 1}\nFrobnicate: 1\n"
                  "ComponentConfiguration:\n  DefaultConfig: {b: 1}\n") +
        std::string(linux_manifest));
    ASSERT_EQ(r.warnings.size(), 3u);
    EXPECT_EQ(r.warnings[0],
              "test.yaml:4:1: unknown recipe property 'ComponentConfiguraton' ignored "
              "(did you mean 'ComponentConfiguration'?)");
    EXPECT_EQ(r.warnings[1], "test.yaml:6:1: unknown recipe property 'Frobnicate' ignored");
    EXPECT_EQ(r.warnings[2],
              "test.yaml:8:3: unknown ComponentConfiguration property 'DefaultConfig' ignored");
    EXPECT_EQ(r.default_configuration, json::object());
}

TEST(RecipeWarnings, NoManifestForThisPlatform) {
    const recipe r = parse_test_recipe(
        with_head("Manifests:\n  - Platform: {os: windows}\n    Lifecycle: {Run: dir}\n"));
    ASSERT_EQ(r.warnings.size(), 1u);
    EXPECT_EQ(r.warnings[0].rfind(
                  "test.yaml:5:3: no manifest matches this platform (architecture=amd64, os=linux)", 0),
              0u)
        << r.warnings[0];
    EXPECT_TRUE(r.selected_manifest.is_null());
    EXPECT_TRUE(r.lifecycle.is_null());
}

// ---- platform matching ---------------------------------------------------------------------------

// Whether a single manifest with the given Platform flow map is selected.
bool selects(const std::string& platform, const platform_labels& labels = linux_amd64) {
    return parse_test_recipe(with_head("Manifests:\n  - Platform: " + platform + "\n"), labels)
        .selected_manifest.is_object();
}

TEST(Platform, MatchingRules) {
    EXPECT_TRUE(selects("{os: linux}"));
    EXPECT_FALSE(selects("{os: windows}"));
    EXPECT_FALSE(selects("{os: Linux}"));  // exact, case-sensitive
    EXPECT_TRUE(selects("{os: linux, architecture: amd64}"));
    EXPECT_FALSE(selects("{os: linux, architecture: aarch64}"));
    EXPECT_TRUE(
        selects("{os: linux, architecture: aarch64}", {{"os", "linux"}, {"architecture", "aarch64"}}));
    EXPECT_TRUE(selects("{os: '*', architecture: '*'}"));
    EXPECT_TRUE(selects("{os: all, architecture: any}"));
    EXPECT_FALSE(selects("{runtime: all}"));  // 'all' is a wildcard only for os and architecture
    EXPECT_TRUE(selects("{}"));
    EXPECT_TRUE(selects("null"));
    EXPECT_TRUE(selects("{os: /lin.x/}"));
    EXPECT_FALSE(selects("{os: /lin/}"));  // regexes match the whole label
    EXPECT_TRUE(selects("{os: /windows|linux/, architecture: '/(amd|arm)64/'}"));
    EXPECT_TRUE(selects("{os: [windows, linux]}"));
    EXPECT_FALSE(selects("{os: [windows, darwin]}"));
    EXPECT_TRUE(selects("{os: '//'}"));       // any value
    EXPECT_FALSE(selects("{custom: '//'}"));  // ... but there must be one
    EXPECT_TRUE(selects("{custom: '*'}"));    // '*' also matches a missing label
    EXPECT_TRUE(selects("{custom: null}"));   // explicit null matches only a missing label
    EXPECT_FALSE(selects("{os: null}"));
    EXPECT_FALSE(selects("{custom: value}"));
    EXPECT_FALSE(selects("{os: '+linux'}"));      // special labels are reserved
    EXPECT_FALSE(selects("{architecture: 64}"));  // non-string templates never match
    EXPECT_TRUE(selects("{architecture.detail: armv7l}",
                        {{"os", "linux"}, {"architecture", "arm"}, {"architecture.detail", "armv7l"}}));
}

TEST(Platform, InvalidRegexWarnsAndDoesNotMatch) {
    const recipe r = parse_test_recipe(
        with_head("Manifests:\n  - Platform: {os: '/lin(ux/'}\n  - Platform: {os: linux}\n"
                  "    Name: second\n"));
    EXPECT_EQ(r.selected_manifest["Name"], "second");
    ASSERT_EQ(r.warnings.size(), 1u);
    EXPECT_EQ(r.warnings[0].rfind("test.yaml:5:20: Platform os regex /lin(ux/ cannot be evaluated", 0),
              0u)
        << r.warnings[0];
}

TEST(Platform, FirstMatchingManifestWins) {
    const recipe r = parse_test_recipe(with_head(R"(Manifests:
  - Platform: {os: windows}
    Lifecycle: {Run: win}
  - Platform: {os: linux}
    Lifecycle: {Run: first}
  - Platform: {os: linux, architecture: amd64}
    Lifecycle: {Run: more specific but later}
)"));
    EXPECT_EQ(r.lifecycle, json::parse(R"({"Run": "first"})"));
}

TEST(Platform, CurrentPlatformIsLinuxWithAKnownArchitecture) {
    const platform_labels& labels = current_platform();
    EXPECT_EQ(labels.at("os"), "linux");
    const std::string arch = labels.at("architecture");
    EXPECT_TRUE(arch == "amd64" || arch == "aarch64" || arch == "arm" || arch == "x86") << arch;
}

// ---- lifecycle selection -------------------------------------------------------------------------

TEST(Lifecycle, GlobalLifecycleFilteredBySelections) {
    const std::string global = R"(Lifecycle:
  Setenv: {A: b}
  Install:
    linux: apt-get install x
    windows: choco install x
  Run:
    special: run special
    all: run all
)";
    const recipe special = parse_test_recipe(
        with_head(global + "Manifests:\n  - Platform: {os: linux}\n    Selections: [special, linux]\n"));
    EXPECT_EQ(
        special.lifecycle,
        json::parse(R"({"Setenv": {"A": "b"}, "Install": "apt-get install x", "Run": "run special"})"));

    const recipe plain = parse_test_recipe(
        with_head(global + "Manifests:\n  - Platform: {os: linux}\n"
                           "  - Platform: {os: windows}\n    Selections: [windows]\n"));
    // Install has selector keys but none selected and no "all": the step disappears.
    EXPECT_EQ(plain.lifecycle, json::parse(R"({"Setenv": {"A": "b"}, "Run": "run all"})"));
}

TEST(Lifecycle, ManifestLifecycleWinsOverGlobal) {
    const recipe r = parse_test_recipe(
        with_head("Lifecycle: {Run: global}\nManifests:\n  - Lifecycle: {Run: own}\n"));
    EXPECT_EQ(r.lifecycle, json::parse(R"({"Run": "own"})"));
    const recipe empty_own =
        parse_test_recipe(with_head("Lifecycle: {Run: global}\nManifests:\n  - Lifecycle: {}\n"));
    EXPECT_EQ(empty_own.lifecycle, json::parse(R"({"Run": "global"})"));
}

TEST(Lifecycle, EmptyAfterSelectionWarns) {
    const recipe r = parse_test_recipe(
        with_head("Lifecycle:\n  windows: {Run: dir}\nManifests:\n  - Selections: [windows]\n    "
                  "Platform: {os: windows}\n  - Platform: {os: linux}\n"));
    EXPECT_EQ(r.lifecycle, json::object());
    EXPECT_TRUE(has_warning(r, "test.yaml:5:3: Lifecycle is empty after applying"));
}

// ---- files and directories -----------------------------------------------------------------------

class temp_dir {
public:
    temp_dir() {
        static std::atomic<int> counter{0};
        path_ = std::filesystem::temp_directory_path() /
                ("standin-recipes-" + std::to_string(::getpid()) + "-" + std::to_string(counter++));
        std::filesystem::remove_all(path_);
        std::filesystem::create_directories(path_);
    }
    ~temp_dir() { std::filesystem::remove_all(path_); }
    temp_dir(const temp_dir&) = delete;
    temp_dir& operator=(const temp_dir&) = delete;

    std::filesystem::path write(const std::string& name, std::string_view content) const {
        std::ofstream(path_ / name, std::ios::binary) << content;
        return path_ / name;
    }
    const std::filesystem::path& path() const { return path_; }

private:
    std::filesystem::path path_;
};

std::string minimal(const std::string& name) {
    return "RecipeFormatVersion: '2020-01-25'\nComponentName: " + name +
           "\nComponentVersion: 1.0.0\nManifests:\n  - Lifecycle: {Run: x}\n";
}

TEST(RecipeFiles, LoadFileReportsIoErrors) {
    try {
        load_recipe_file("/nonexistent/recipe.yaml");
        ADD_FAILURE();
    } catch (const recipe_error& e) {
        EXPECT_EQ(e.file, "/nonexistent/recipe.yaml");
        EXPECT_EQ(e.line, 0);
        EXPECT_NE(std::string(e.what()).find("/nonexistent/recipe.yaml: "), std::string::npos);
    }
    const temp_dir dir;
    EXPECT_THROW(load_recipe_file(dir.path()), recipe_error);
}

TEST(RecipeFiles, DirectoryLoadingFiltersAndSorts) {
    const temp_dir dir;
    dir.write("b.yaml", minimal("com.example.B"));
    dir.write("a.JSON", R"({"RecipeFormatVersion": "2020-01-25", "ComponentName": "com.example.A",
                             "ComponentVersion": "1.0.0", "Manifests": [{}]})");
    dir.write("c.Yml", minimal("com.example.C"));
    dir.write("notes.txt", "not a recipe");
    dir.write(".hidden.yaml", "broken: [");
    dir.write("d.yaml.bak", "broken: [");
    std::filesystem::create_directory(dir.path() / "sub.yaml");  // directories are skipped
    std::filesystem::create_directory(dir.path() / "nested");
    dir.write("nested/e.yaml", minimal("com.example.E"));  // not recursive

    const auto recipes = load_recipe_directories({dir.path(), dir.path()});
    ASSERT_EQ(recipes.size(), 3u);
    EXPECT_EQ(recipes[0].component_name, "com.example.A");
    EXPECT_EQ(recipes[1].component_name, "com.example.B");
    EXPECT_EQ(recipes[2].component_name, "com.example.C");
    EXPECT_EQ(recipes[0].file, dir.path() / "a.JSON");
}

TEST(RecipeFiles, DuplicateComponentNamesAcrossFilesNameBothFiles) {
    const temp_dir one;
    const temp_dir two;
    one.write("first.yaml", minimal("com.example.Same"));
    two.write("second.yaml", "# comment\n" + minimal("com.example.same"));
    try {
        load_recipe_directories({one.path(), two.path()});
        ADD_FAILURE();
    } catch (const recipe_error& e) {
        EXPECT_EQ(e.file, two.path() / "second.yaml");
        EXPECT_EQ(e.line, 3);
        EXPECT_EQ(e.problem, "component 'com.example.same' is already defined in " +
                                 (one.path() / "first.yaml").string() + ":2");
    }
}

TEST(RecipeFiles, APathNamingAFileLoadsThatRecipe) {
    const temp_dir dir;
    dir.write("one.yaml", minimal("com.example.One"));
    dir.write("two.yaml", minimal("com.example.Two"));
    const auto recipes = load_recipe_directories({dir.path() / "two.yaml"});
    ASSERT_EQ(recipes.size(), 1u);
    EXPECT_EQ(recipes[0].component_name, "com.example.Two");
}

TEST(RecipeFiles, MissingDirectoryIsAnError) {
    try {
        load_recipe_directories({"/nonexistent/recipes"});
        ADD_FAILURE();
    } catch (const recipe_error& e) {
        EXPECT_EQ(e.file, "/nonexistent/recipes");
        EXPECT_NE(e.problem.find("does not exist"), std::string::npos);
    }
}

TEST(RecipeFiles, BadRecipeInADirectoryNamesTheFile) {
    const temp_dir dir;
    dir.write("a.yaml", minimal("com.example.A"));
    dir.write("b.yaml", "ComponentName: com.example.B\nComponentVersion: one\n");
    try {
        load_recipe_directories({dir.path()});
        ADD_FAILURE();
    } catch (const recipe_error& e) {
        EXPECT_EQ(e.file, dir.path() / "b.yaml");
        EXPECT_EQ(e.line, 2);
    }
}

TEST(RecipeFiles, CheckedInFixtures) {
    const std::filesystem::path root = STANDIN_RECIPE_FIXTURES_DIR;
    const auto good = load_recipe_directories({root / "good"});
    ASSERT_EQ(good.size(), 3u);
    EXPECT_EQ(good[0].component_name, "com.example.FlowStyle");
    EXPECT_EQ(good[1].component_name, "com.example.LowerCase");
    EXPECT_EQ(good[2].component_name, "com.example.Selections");
    for (const auto& r : good) {
        EXPECT_TRUE(r.warnings.empty()) << r.file << ": " << r.warnings.front();
        EXPECT_TRUE(r.lifecycle.is_object()) << r.file;
    }

    struct bad_case {
        const char* file;
        int line;
        const char* fragment;
    };
    for (const bad_case& c : {bad_case{"syntax-error.yaml", 6, "syntax error"},
                              bad_case{"syntax-error.json", 4, "syntax error"},
                              bad_case{"case-duplicate.yaml", 4, "repeats 'ComponentName'"},
                              bad_case{"bad-version.json", 3, "not a semantic version"}}) {
        try {
            load_recipe_file(root / "bad" / c.file);
            ADD_FAILURE() << c.file;
        } catch (const recipe_error& e) {
            EXPECT_EQ(e.line, c.line) << e.what();
            EXPECT_NE(e.problem.find(c.fragment), std::string::npos) << e.what();
        }
    }
    EXPECT_THROW(load_recipe_directories({root / "bad" / "duplicate-name"}), recipe_error);
}

TEST(RecipeFiles, SampleRecipesLoadCleanly) {
    const auto recipes = load_recipe_directories({STANDIN_SAMPLE_RECIPES_DIR});
    ASSERT_EQ(recipes.size(), 4u);
    for (const auto& r : recipes) {
        EXPECT_TRUE(r.warnings.empty()) << r.file << ": " << r.warnings.front();
        EXPECT_EQ(r.component_version, "1.0.0");
        EXPECT_EQ(r.format_version, "2020-01-25");
        EXPECT_TRUE(r.lifecycle.contains("Run")) << r.file;
        EXPECT_TRUE(r.default_configuration["accessControl"].contains("aws.greengrass.ipc.pubsub"))
            << r.file;
    }
    EXPECT_EQ(recipes[0].component_name, "com.example.Greeter");
    EXPECT_EQ(recipes[1].component_name, "com.example.Publisher");
    EXPECT_EQ(recipes[2].component_name, "com.example.Sensor");
    EXPECT_EQ(recipes[3].component_name, "com.example.Subscriber");
    EXPECT_EQ(recipes[2].default_configuration["interval"], json(5));
    EXPECT_TRUE(recipes[2].default_configuration["sensor"].is_object());
}

}  // namespace
}  // namespace standin::server
