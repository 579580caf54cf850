// SPDX-License-Identifier: Apache-2.0
// PutComponentMetric (the nucleus's ComponentMetricIPCEventStreamAgent: aws.* callers, per-metric
// checks and authorization in order, telemetry units), ValidateAuthorizationToken (only the stream
// manager; the daemon's IPC tokens) and CreateDebugPassword (the CLI's generated credentials),
// each success and documented error on the wire.
#include <chrono>
#include <regex>

#include "integration_common.hpp"

namespace standin::test::integration {
namespace {

constexpr std::string_view op_metric = "aws.greengrass#PutComponentMetric";
constexpr std::string_view op_validate_token = "aws.greengrass#ValidateAuthorizationToken";
constexpr std::string_view op_debug_password = "aws.greengrass#CreateDebugPassword";
constexpr const char* comp_metrics = "aws.test.Metrics";
constexpr const char* comp_aws_none = "aws.test.NoPolicy";
constexpr const char* comp_stream_manager = "aws.greengrass.StreamManager";
constexpr const char* comp_debugger = "com.test.Debugger";

recipe_file recipe_with(const std::string& component, const json& access_control) {
    json configuration = json::object();
    if (!access_control.is_null()) configuration["accessControl"] = access_control;
    json recipe = {{"RecipeFormatVersion", "2020-01-25"},
                   {"ComponentName", component},
                   {"ComponentVersion", "1.0.0"},
                   {"ComponentConfiguration", {{"DefaultConfiguration", configuration}}},
                   {"Manifests", json::array({{{"Lifecycle", {{"Run", "true"}}}}})}};
    return {component + ".json", recipe.dump(2)};
}

json metric(const std::string& name, const std::string& unit, double value) {
    return {{"name", name}, {"unit", unit}, {"value", value}};
}

json metrics(std::initializer_list<json> list) {
    json array = json::array();
    for (const auto& item : list)
        array.push_back(item);
    return {{"metrics", array}};
}

class MetricsTokensTest : public IntegrationTest {
protected:
    daemon_config config() override {
        return daemon_config{
            {recipe_with(comp_metrics, {{"aws.greengrass.ipc.componentmetric",
                                         {{"aws.test.Metrics:metrics:1",
                                           {{"operations", {"aws.greengrass#PutComponentMetric"}},
                                            {"resources", {"cpu*", "mem"}}}}}}}),
             recipe_with(comp_aws_none, nullptr), recipe_with(comp_stream_manager, nullptr),
             recipe_with(comp_none, nullptr),
             recipe_with(comp_debugger, {{"aws.greengrass.Cli",
                                          {{"com.test.Debugger:cli:1",
                                            {{"operations", {"aws.greengrass#CreateDebugPassword"}},
                                             {"resources", {"*"}}}}}}})},
            {}};
    }

    void put_ok(raw_client& c, const json& request) {
        EXPECT_EQ(
            expect_call_response(c, op_metric, request, "aws.greengrass#PutComponentMetricResponse"),
            json::object());
    }

    // The daemon writes each metric's line (unbuffered, to the file the harness gives as its
    // stderr) before it answers, so once the reply is read the line is there.
    bool logged(const std::string& line) {
        return daemon().stderr_text().find(line) != std::string::npos;
    }
};

const std::string invalid_argument = "Invalid argument found in PutComponentMetricRequest";

std::string metric_denied(const std::string& caller, const std::string& name) {
    return "Principal " + caller +
           " is not authorized to perform aws.greengrass.ipc.componentmetric:"
           "aws.greengrass#PutComponentMetric on resource " +
           name;
}

TEST_F(MetricsTokensTest, MetricsAreRecordedAndLogged) {
    auto c = connected(comp_metrics);
    put_ok(c, metrics({metric("cpuLoad", "COUNT", 3.5), metric("mem", "MEGABYTES", 0)}));
    EXPECT_TRUE(logged("metric aws.test.Metrics/cpuLoad = 3.5 Count (Sum)")) << daemon().stderr_text();
    EXPECT_TRUE(logged("metric aws.test.Metrics/mem = 0 Megabytes (Sum)"));
    // Units as the nucleus reads them: non-alphanumerics dropped, case ignored, any TelemetryUnit.
    put_ok(c, metrics({metric("cpu2", "bytes_per_second", 1), metric("cpu3", "Percent", 2),
                       metric("cpu4", "count-per-second", 4)}));
    EXPECT_TRUE(logged("metric aws.test.Metrics/cpu2 = 1 BytesPerSecond (Sum)"));
    EXPECT_TRUE(logged("metric aws.test.Metrics/cpu3 = 2 Percent (Sum)"));
    EXPECT_TRUE(logged("metric aws.test.Metrics/cpu4 = 4 CountPerSecond (Sum)"));
    expect_nothing_more(c);
}

TEST_F(MetricsTokensTest, OnlyAwsComponentsMayPutMetrics) {
    auto c = connected(comp_none);
    expect_call_error(c, op_metric, metrics({metric("cpu", "COUNT", 1)}), "UnauthorizedError",
                      "Principal com.test.None is not authorized to perform "
                      "aws.greengrass.ipc.componentmetric:aws.greengrass#PutComponentMetric ");
    // The caller rule comes before everything else.
    expect_call_error(c, op_metric, json::object(), "UnauthorizedError",
                      "Principal com.test.None is not authorized to perform "
                      "aws.greengrass.ipc.componentmetric:aws.greengrass#PutComponentMetric ");
}

TEST_F(MetricsTokensTest, EachMetricNameIsAuthorized) {
    auto c = connected(comp_metrics);
    expect_call_error(c, op_metric, metrics({metric("cpu", "COUNT", 1), metric("disk", "BYTES", 1)}),
                      "UnauthorizedError", metric_denied(comp_metrics, "disk"));
    auto none = connected(comp_aws_none);
    expect_call_error(none, op_metric, metrics({metric("cpu", "COUNT", 1)}), "UnauthorizedError",
                      metric_denied(comp_aws_none, "cpu"));
    // The stream manager needs no policy.
    auto stream_manager = connected(comp_stream_manager);
    put_ok(stream_manager, metrics({metric("anything", "SECONDS", 12)}));
    EXPECT_TRUE(logged("metric aws.greengrass.StreamManager/anything = 12 Seconds (Sum)"));
}

TEST_F(MetricsTokensTest, InvalidMetrics) {
    auto c = connected(comp_metrics);
    const std::string empty_list = "Null or Empty list of metrics found in PutComponentMetricRequest";
    expect_call_error(c, op_metric, json::object(), "InvalidArgumentsError", empty_list);
    expect_call_error(c, op_metric, {{"metrics", json::array()}}, "InvalidArgumentsError", empty_list);
    expect_call_error(c, op_metric, metrics({metric("", "COUNT", 1)}), "InvalidArgumentsError",
                      invalid_argument);
    expect_call_error(c, op_metric, metrics({metric("cpu" + std::string(30, 'x'), "COUNT", 1)}),
                      "InvalidArgumentsError", invalid_argument);
    expect_call_error(c, op_metric, metrics({metric("cpu", "COUNT", -1)}), "InvalidArgumentsError",
                      invalid_argument);
    expect_call_error(c, op_metric, metrics({{{"name", "cpu"}, {"value", 1}}}), "InvalidArgumentsError",
                      invalid_argument);
    expect_call_error(c, op_metric, metrics({metric("cpu", "", 1)}), "InvalidArgumentsError",
                      invalid_argument);
    // No value: the nucleus fails on a null.
    expect_call_error(c, op_metric, metrics({{{"name", "cpu"}, {"unit", "COUNT"}}}), "ServiceError", "");
    expect_call_error(c, op_metric, metrics({metric("cpu", "furlongs", 1)}), "InvalidArgumentsError",
                      "Invalid telemetry unit: No matching TelemetryUnit type found");
    expect_nothing_more(c);
}

TEST_F(MetricsTokensTest, ChecksAndAuthorizationAlternateMetricByMetric) {
    auto c = connected(comp_metrics);
    // An unauthorized metric before an invalid one: UnauthorizedError; the other way round:
    // InvalidArgumentsError.
    expect_call_error(c, op_metric, metrics({metric("disk", "COUNT", 1), metric("", "COUNT", 1)}),
                      "UnauthorizedError", metric_denied(comp_metrics, "disk"));
    expect_call_error(c, op_metric, metrics({metric("", "COUNT", 1), metric("disk", "COUNT", 1)}),
                      "InvalidArgumentsError", invalid_argument);
    expect_call_error(c, op_metric, metrics({metric("cpu", "COUNT", 1), metric("cpu", "COUNT", -2)}),
                      "InvalidArgumentsError", invalid_argument);
    // Units are translated after every check: metrics before a bad unit are already emitted.
    expect_call_error(c, op_metric, metrics({metric("cpuA", "COUNT", 7), metric("cpuB", "parsecs", 1)}),
                      "InvalidArgumentsError",
                      "Invalid telemetry unit: No matching TelemetryUnit type found");
    EXPECT_TRUE(logged("metric aws.test.Metrics/cpuA = 7 Count (Sum)"));
}

TEST_F(MetricsTokensTest, ValidateAuthorizationTokenKnowsTheDaemonsTokens) {
    auto c = connected(comp_stream_manager);
    const auto valid = [&](const std::string& token) {
        return expect_call_response(c, op_validate_token, {{"token", token}},
                                    "aws.greengrass#ValidateAuthorizationTokenResponse");
    };
    EXPECT_EQ(valid(daemon().token(comp_stream_manager)), (json{{"isValid", true}}));
    std::string lower = daemon().token(comp_metrics);
    for (char& ch : lower)
        ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    EXPECT_EQ(valid(lower), (json{{"isValid", true}}));  // the nucleus's lookup ignores case
    expect_call_error(c, op_validate_token, {{"token", "NOT-A-TOKEN"}}, "InvalidTokenError",
                      "Authentication token not found");
    expect_call_error(c, op_validate_token, {{"token", ""}}, "InvalidTokenError",
                      "Authentication token not found");
    expect_call_error(c, op_validate_token, json::object(), "InvalidTokenError",
                      "Invalid authentication token");
    expect_nothing_more(c);
}

TEST_F(MetricsTokensTest, OnlyTheStreamManagerMayValidateTokens) {
    auto c = connected(comp_metrics);
    expect_call_error(
        c, op_validate_token, {{"token", daemon().token(comp_metrics)}}, "UnauthorizedError",
        "aws.test.Metrics is not authorized to perform aws.greengrass#ValidateAuthorizationToken");
    auto none = connected(comp_none);
    expect_call_error(
        none, op_validate_token, json::object(), "UnauthorizedError",
        "com.test.None is not authorized to perform aws.greengrass#ValidateAuthorizationToken");
}

TEST_F(MetricsTokensTest, CreateDebugPasswordGivesCredentialsWithExpiryAndFingerprints) {
    auto c = connected(comp_debugger);
    const auto before =
        std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch());
    const auto first = expect_call_response(c, op_debug_password, json::object(),
                                            "aws.greengrass#CreateDebugPasswordResponse");
    const auto second = expect_call_response(c, op_debug_password, json::object(),
                                             "aws.greengrass#CreateDebugPasswordResponse");
    EXPECT_EQ(first.value("username", ""), "debug");
    const std::string password = first.value("password", "");
    EXPECT_TRUE(std::regex_match(password, std::regex{"[A-Za-z0-9_-]{43}"})) << password;
    EXPECT_NE(password, second.value("password", ""));
    ASSERT_TRUE(first["passwordExpiration"].is_number()) << first.dump();
    const double eight_hours = 8 * 3600;
    EXPECT_NEAR(first["passwordExpiration"].get<double>(), before.count() + eight_hours, 60);
    const std::string sha256 = first.value("certificateSHA256Hash", "");
    const std::string sha1 = first.value("certificateSHA1Hash", "");
    EXPECT_TRUE(std::regex_match(sha256, std::regex{"([0-9A-F]{2}:){31}[0-9A-F]{2}"})) << sha256;
    EXPECT_TRUE(std::regex_match(sha1, std::regex{"([0-9A-F]{2}:){19}[0-9A-F]{2}"})) << sha1;
    EXPECT_EQ(second.value("certificateSHA256Hash", ""), sha256);
    EXPECT_EQ(first.size(), 5u) << first.dump();
}

TEST_F(MetricsTokensTest, CreateDebugPasswordNeedsACliPolicy) {
    auto c = connected(comp_none);
    expect_call_error(c, op_debug_password, json::object(), "UnauthorizedError",
                      "Principal com.test.None is not authorized to perform "
                      "aws.greengrass.Cli:aws.greengrass#CreateDebugPassword on resource *");
    expect_nothing_more(c);
}

}  // namespace
}  // namespace standin::test::integration
