// SPDX-License-Identifier: Apache-2.0
// Local deployments (semantics.md §8.1-8.3, §4.5): CreateLocalDeployment, GetLocalDeploymentStatus,
// ListLocalDeployments and CancelLocalDeployment on raw frames, as the built-in aws.greengrass.Cli
// (trusted: no policy). Each deployment's end is awaited on the daemon's "deployment <id>
// finished" log line (inotify, bounded), then its status is read on the wire.
#include <unistd.h>

#include <regex>
#include <sstream>

#include "40_lifecycle_common.hpp"

namespace standin::test::integration {
namespace {

namespace fs = std::filesystem;

constexpr std::string_view op_create = "aws.greengrass#CreateLocalDeployment";
constexpr std::string_view op_status = "aws.greengrass#GetLocalDeploymentStatus";
constexpr std::string_view op_list_deployments = "aws.greengrass#ListLocalDeployments";
constexpr std::string_view op_cancel = "aws.greengrass#CancelLocalDeployment";
constexpr const char* comp_deployed = "com.test.Deployed";

json recipe_json(const std::string& name, const std::string& version,
                 const json& defaults = json::object(), const json& lifecycle = json::object(),
                 const json& dependencies = json::object()) {
    json manifest = json::object();
    if (!lifecycle.empty()) manifest["Lifecycle"] = lifecycle;
    json r = {{"RecipeFormatVersion", "2020-01-25"},
              {"ComponentName", name},
              {"ComponentVersion", version},
              {"ComponentConfiguration", {{"DefaultConfiguration", defaults}}},
              {"Manifests", json::array({manifest})}};
    if (!dependencies.empty()) r["ComponentDependencies"] = dependencies;
    return r;
}

void write_text(const fs::path& file, const std::string& text) {
    fs::create_directories(file.parent_path());
    std::ofstream{file} << text;
}

bool is_uuid_text(const std::string& text) {
    static const std::regex uuid{"[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}"};
    return std::regex_match(text, uuid);
}

bool is_created_on(const std::string& text) {
    static const std::regex created_on{
        "[0-3][0-9]-[01][0-9]-20[0-9]{2} [0-2][0-9]:[0-5][0-9]:[0-5][0-9] UTC"};
    return std::regex_match(text, created_on);
}

class DeploymentTest : public IntegrationTest {
protected:
    // Recipes and artifacts that deployments point at, beside the daemon's root.
    fs::path source_dir() const { return daemon_->root().parent_path() / "deploy-src"; }

    raw_client cli() {
        raw_client c = client();
        c.connect_or_throw(
            daemon_->info().at("builtinTokens").at("aws.greengrass.Cli").get<std::string>());
        return c;
    }

    // Creates a deployment and returns its id (checking the response shape).
    std::string create(raw_client& c, const json& request) {
        const auto reply = c.call(op_create, request);
        if (!reply) {
            ADD_FAILURE() << "no CreateLocalDeployment reply";
            return {};
        }
        expect_application_message(*reply, frames::int_header(*reply, ":stream-id").value_or(0), 2,
                                   "aws.greengrass#CreateLocalDeploymentResponse");
        const auto body = frames::json_of(*reply);
        EXPECT_EQ(body.size(), 1U) << body.dump();
        const auto id = body.value("deploymentId", std::string{});
        EXPECT_TRUE(is_uuid_text(id)) << body.dump();
        return id;
    }

    // Waits for the deployment's end, then answers its GetLocalDeploymentStatus `deployment`.
    json finished(raw_client& c, const std::string& id) {
        EXPECT_TRUE(wait_for_text(daemon_->stderr_path(), "deployment " + id + " finished"))
            << daemon_->stderr_text();
        return status(c, id);
    }

    json status(raw_client& c, const std::string& id) {
        const auto reply = c.call(op_status, {{"deploymentId", id}});
        if (!reply) {
            ADD_FAILURE() << "no GetLocalDeploymentStatus reply";
            return {};
        }
        expect_application_message(*reply, frames::int_header(*reply, ":stream-id").value_or(0), 2,
                                   "aws.greengrass#GetLocalDeploymentStatusResponse");
        const auto body = frames::json_of(*reply);
        EXPECT_EQ(body.at("deployment").at("deploymentId"), id);
        EXPECT_TRUE(is_created_on(body["deployment"].value("createdOn", std::string{}))) << body.dump();
        return body["deployment"];
    }

    void expect_error(raw_client& c, std::string_view operation, const json& request,
                      std::string_view code, std::string_view message, json extra = json::object()) {
        const auto id = c.request(operation, request);
        const auto reply = c.read_message();
        ASSERT_TRUE(reply) << "no reply to " << operation;
        SCOPED_TRACE(frames::describe(*reply));
        EXPECT_EQ(frames::int_header(*reply, ":message-type"), 1);
        EXPECT_EQ(frames::int_header(*reply, ":stream-id"), id);
        EXPECT_EQ(frames::string_header(*reply, "service-model-type"),
                  "aws.greengrass#" + std::string{code});
        auto expected = error_body(code, message);
        for (const auto& [key, value] : extra.items())
            expected[key] = value;
        EXPECT_EQ(frames::json_of(*reply), expected);
    }

    json configuration_of(raw_client& c, const std::string& component) {
        return call_json(c, "aws.greengrass#GetConfiguration", {{"componentName", component}})["value"];
    }
};

// ---- CreateLocalDeployment and the status progression --------------------------------------------

TEST_F(DeploymentTest, ANewComponentFromARecipeFolderIsInstalledAndTheDeploymentSucceeds) {
    write_text(source_dir() / "recipes" / "deployed.json",
               recipe_json(comp_deployed, "1.0.0", {{"greeting", "hi"}}, {{"Run", "sleep 600"}}).dump());
    raw_client c = cli();
    const auto id = create(c, {{"recipeDirectoryPath", (source_dir() / "recipes").string()},
                               {"rootComponentVersionsToAdd", {{comp_deployed, "1.0.0"}}}});
    const auto deployment = finished(c, id);
    EXPECT_EQ(deployment.size(), 4U) << deployment.dump();
    EXPECT_EQ(deployment["status"], "SUCCEEDED");
    EXPECT_EQ(deployment["deploymentStatusDetails"], json({{"detailedDeploymentStatus", "SUCCESSFUL"}}));
    EXPECT_EQ(details(c, comp_deployed), json({{"componentName", comp_deployed},
                                               {"version", "1.0.0"},
                                               {"state", "RUNNING"},
                                               {"configuration", {{"greeting", "hi"}}}}));
    // The new component has an identity: its token is in daemon.json, and it connects with it.
    const auto info = json::parse(file_text(daemon_->root() / "daemon.json"));
    ASSERT_TRUE(info["tokens"].contains(comp_deployed)) << info.dump();
    raw_client as_new = client();
    as_new.connect_or_throw(info["tokens"][comp_deployed].get<std::string>());
    EXPECT_EQ(configuration_of(as_new, comp_deployed), json({{"greeting", "hi"}}));
    expect_still_served();
}

TEST_F(DeploymentTest, AnEmptyRequestRetriggersAndSucceeds) {
    raw_client c = cli();
    const auto id = create(c, json::object());
    EXPECT_EQ(finished(c, id)["status"], "SUCCEEDED");
    EXPECT_EQ(state_of(c, comp_a), "RUNNING");
}

TEST_F(DeploymentTest, ListAnswersEveryDeploymentOldestFirstWithoutDetails) {
    raw_client c = cli();
    auto listed = call_json(c, op_list_deployments, json::object());
    EXPECT_EQ(listed, json({{"localDeployments", json::array()}}));
    const auto first = create(c, json::object());
    finished(c, first);
    const auto second = create(c, {{"rootComponentVersionsToAdd", {{"com.test.Nowhere", "1.0.0"}}}});
    finished(c, second);
    listed = call_json(c, op_list_deployments, json::object());
    ASSERT_EQ(listed["localDeployments"].size(), 2U) << listed.dump();
    EXPECT_EQ(listed["localDeployments"][0]["deploymentId"], first);
    EXPECT_EQ(listed["localDeployments"][0]["status"], "SUCCEEDED");
    EXPECT_EQ(listed["localDeployments"][1]["deploymentId"], second);
    EXPECT_EQ(listed["localDeployments"][1]["status"], "FAILED");
    for (const auto& d : listed["localDeployments"]) {
        EXPECT_EQ(d.size(), 3U) << d.dump();
        EXPECT_TRUE(is_created_on(d["createdOn"])) << d.dump();
    }
}

TEST_F(DeploymentTest, AnUnknownVersionFailsWithTheReasonInTheStatus) {
    raw_client c = cli();
    const auto id = create(c, {{"rootComponentVersionsToAdd", {{comp_a, "9.0.0"}}}});
    const auto deployment = finished(c, id);
    EXPECT_EQ(deployment["status"], "FAILED");
    const auto& details_of = deployment["deploymentStatusDetails"];
    EXPECT_EQ(details_of["detailedDeploymentStatus"], "FAILED_NO_STATE_CHANGE");
    EXPECT_EQ(details_of["deploymentErrorStack"],
              json({"DEPLOYMENT_FAILURE", "NO_AVAILABLE_COMPONENT_VERSION",
                    "COMPONENT_VERSION_REQUIREMENTS_NOT_MET"}));
    EXPECT_EQ(details_of["deploymentErrorTypes"], json({"REQUEST_ERROR"}));
    EXPECT_NE(details_of["deploymentFailureCause"].get<std::string>().find(
                  "No local or cloud component version satisfies the requirements"),
              std::string::npos);
    EXPECT_NE(details_of["deploymentFailureCause"].get<std::string>().find(
                  "Component com.test.A version constraints: LOCAL_DEPLOYMENT requires =9.0.0."),
              std::string::npos);
    EXPECT_EQ(details(c, comp_a)["version"], "1.0.0");
}

TEST_F(DeploymentTest, AMissingRecipeFolderFailsTheDeploymentNotTheCall) {
    raw_client c = cli();
    const auto missing = (source_dir() / "no-such-folder").string();
    const auto id = create(c, {{"recipeDirectoryPath", missing}});
    const auto deployment = finished(c, id);
    EXPECT_EQ(deployment["status"], "FAILED");
    EXPECT_EQ(deployment["deploymentStatusDetails"]["detailedDeploymentStatus"],
              "FAILED_NO_STATE_CHANGE");
    EXPECT_EQ(deployment["deploymentStatusDetails"]["deploymentFailureCause"],
              missing + ": no such recipe directory");
    expect_still_served();
}

TEST_F(DeploymentTest, ABadRecipeFailsTheDeploymentNamingTheFile) {
    const auto file = source_dir() / "recipes" / "nested" / "broken.yaml";
    write_text(file, "RecipeFormatVersion: 2020-01-25\nComponentName: [unclosed\n");
    raw_client c = cli();
    const auto id = create(c, {{"recipeDirectoryPath", (source_dir() / "recipes").string()}});
    const auto deployment = finished(c, id);
    EXPECT_EQ(deployment["status"], "FAILED");
    const auto cause =
        deployment["deploymentStatusDetails"]["deploymentFailureCause"].get<std::string>();
    EXPECT_EQ(cause.rfind("Unable to parse " + file.string() + " as a recipe due to: ", 0), 0U) << cause;
    EXPECT_EQ(deployment["deploymentStatusDetails"]["deploymentErrorTypes"],
              json({"COMPONENT_RECIPE_ERROR"}));
    expect_still_served();
}

TEST_F(DeploymentTest, SynchronousChecksOfCreate) {
    raw_client c = cli();
    expect_error(c, op_create, {{"groupName", "thing:group"}}, "InvalidArgumentsError",
                 "Thing group name cannot contain colon characters");
    // An artifacts folder that holds the root's artifact store would copy into itself.
    expect_error(c, op_create, {{"artifactsDirectoryPath", daemon_->root().string()}},
                 "InvalidArtifactsDirectoryPathError",
                 "Requested artifacts directory path is parent of kernel artifacts directory path. "
                 "Specify another path to avoid recursive copy");
    expect_error(c, op_create, {{"componentToConfiguration", {{comp_a, {{"MERGE", "text"}}}}}},
                 "ServiceError", "MERGE of com.test.A must be an object");
    expect_error(c, op_create, {{"componentToConfiguration", {{comp_a, {{"RESET", "/x"}}}}}},
                 "ServiceError", "RESET of com.test.A must be a list of JSON pointers");
    EXPECT_EQ(call_json(c, op_list_deployments, json::object()),
              json({{"localDeployments", json::array()}}));
}

TEST_F(DeploymentTest, ACustomComponentNeedsAPolicy) {
    raw_client c = connected(comp_a);
    expect_error(c, op_create, json::object(), "UnauthorizedError",
                 "Principal com.test.A is not authorized to perform "
                 "aws.greengrass.Cli:aws.greengrass#CreateLocalDeployment on resource *");
}

// ---- GetLocalDeploymentStatus ---------------------------------------------------------------------

TEST_F(DeploymentTest, GetChecksTheIdFormatFirstThenFindsIt) {
    raw_client c = cli();
    expect_error(c, op_status, {{"deploymentId", "not-a-uuid"}}, "InvalidArgumentsError",
                 "Invalid deploymentId format received. DeploymentId is a UUID");
    expect_error(c, op_status, json::object(), "InvalidArgumentsError",
                 "Invalid deploymentId format received. DeploymentId is a UUID");
    const std::string unknown = "7c9e6679-7425-40de-944b-e07fc1f90ae7";
    expect_error(c, op_status, {{"deploymentId", unknown}}, "ResourceNotFoundError",
                 "Cannot find deployment",
                 {{"resourceType", "LocalDeployment"}, {"resourceName", unknown}});
    // The format check comes before authorization.
    raw_client other = connected(comp_a);
    expect_error(other, op_status, {{"deploymentId", "x"}}, "InvalidArgumentsError",
                 "Invalid deploymentId format received. DeploymentId is a UUID");
    expect_error(other, op_status, {{"deploymentId", unknown}}, "UnauthorizedError",
                 "Principal com.test.A is not authorized to perform "
                 "aws.greengrass.Cli:aws.greengrass#GetLocalDeploymentStatus on resource " +
                     unknown);
}

// ---- configuration: MERGE, RESET, validation ------------------------------------------------------

TEST_F(DeploymentTest, MergeAndResetChangeARunningComponentsConfigurationAndItsWatchersHear) {
    raw_client c = cli();
    raw_client watcher = connected(comp_b);
    const auto sid = watcher.request("aws.greengrass#SubscribeToConfigurationUpdate",
                                     {{"componentName", comp_a}, {"keyPath", json::array()}});
    ASSERT_TRUE(watcher.read_message());
    auto id = create(
        c, {{"componentToConfiguration", {{comp_a, {{"MERGE", {{"interval", 5}, {"mode", "fast"}}}}}}}});
    EXPECT_EQ(finished(c, id)["status"], "SUCCEEDED");
    // One event per changed path.
    for (const auto* key : {"interval", "mode"}) {
        const auto event = watcher.read_message();
        ASSERT_TRUE(event);
        expect_application_message(*event, sid, 0, "aws.greengrass#ConfigurationUpdateEvents");
        EXPECT_EQ(frames::json_of(*event),
                  json({{"configurationUpdateEvent", {{"componentName", comp_a}, {"keyPath", {key}}}}}));
    }
    auto configuration = configuration_of(c, comp_a);
    EXPECT_EQ(configuration["interval"], 5);
    EXPECT_EQ(configuration["mode"], "fast");
    EXPECT_TRUE(configuration.contains("accessControl"));
    // RESET goes back to the recipe's defaults: keys the recipe does not have go.
    id = create(c, {{"componentToConfiguration", {{comp_a, {{"RESET", {"/mode", "/interval"}}}}}}});
    EXPECT_EQ(finished(c, id)["status"], "SUCCEEDED");
    configuration = configuration_of(c, comp_a);
    EXPECT_FALSE(configuration.contains("interval")) << configuration.dump();
    EXPECT_FALSE(configuration.contains("mode")) << configuration.dump();
    EXPECT_TRUE(configuration.contains("accessControl"));
    EXPECT_EQ(state_of(c, comp_a), "RUNNING");
}

class ValidationTest : public DeploymentTest {
protected:
    // A component listening for validation requests: the stream id on `as_a`.
    std::int32_t listen(raw_client& as_a) {
        const auto sid =
            as_a.request("aws.greengrass#SubscribeToValidateConfigurationUpdates", json::object());
        const auto response = as_a.read_message();
        EXPECT_TRUE(response);
        return sid;
    }
    // The validate event for `id` on `sid`; its proposed configuration.
    json proposed(raw_client& as_a, std::int32_t sid, const std::string& id) {
        const auto event = as_a.read_message();
        if (!event) {
            ADD_FAILURE() << "no validate event";
            return {};
        }
        expect_application_message(*event, sid, 0, "aws.greengrass#ValidateConfigurationUpdateEvents");
        const auto body = frames::json_of(*event);
        EXPECT_EQ(body["validateConfigurationUpdateEvent"]["deploymentId"], id) << body.dump();
        return body["validateConfigurationUpdateEvent"]["configuration"];
    }
    void report(raw_client& as_a, const std::string& id, const std::string& status,
                const std::string& message) {
        EXPECT_EQ(call_json(as_a, "aws.greengrass#SendConfigurationValidityReport",
                            {{"configurationValidityReport",
                              {{"status", status}, {"deploymentId", id}, {"message", message}}}}),
                  json::object());
    }
    const json change = {{"componentToConfiguration", {{comp_a, {{"MERGE", {{"interval", 7}}}}}}}};
};

TEST_F(ValidationTest, AnAcceptedReportLetsTheChangeThrough) {
    raw_client c = cli();
    raw_client as_a = connected(comp_a);
    const auto sid = listen(as_a);
    const auto id = create(c, change);
    const auto configuration = proposed(as_a, sid, id);
    EXPECT_EQ(configuration["interval"], 7);
    EXPECT_TRUE(configuration.contains("accessControl"));
    EXPECT_EQ(status(c, id)["status"], "IN_PROGRESS");  // waiting for the report
    report(as_a, id, "ACCEPTED", "fine");
    EXPECT_EQ(finished(c, id)["status"], "SUCCEEDED");
    EXPECT_EQ(configuration_of(c, comp_a)["interval"], 7);
}

TEST_F(ValidationTest, ARejectedReportFailsTheDeploymentAndTheConfigurationStays) {
    raw_client c = cli();
    raw_client as_a = connected(comp_a);
    const auto sid = listen(as_a);
    const auto id = create(c, change);
    proposed(as_a, sid, id);
    report(as_a, id, "REJECTED", "interval too short");
    const auto deployment = finished(c, id);
    EXPECT_EQ(deployment["status"], "FAILED");
    EXPECT_EQ(deployment["deploymentStatusDetails"]["detailedDeploymentStatus"],
              "FAILED_NO_STATE_CHANGE");
    EXPECT_EQ(deployment["deploymentStatusDetails"]["deploymentFailureCause"],
              "Components reported that their to-be-deployed configuration is invalid { name = "
              "com.test.A, message = interval too short }");
    EXPECT_FALSE(configuration_of(c, comp_a).contains("interval"));
    // The request is settled: a second report is refused.
    std::string error;
    call_json(as_a, "aws.greengrass#SendConfigurationValidityReport",
              {{"configurationValidityReport", {{"status", "ACCEPTED"}, {"deploymentId", id}}}}, &error);
    EXPECT_EQ(error, "InvalidArgumentsError");
}

class ValidationTimeoutTest : public ValidationTest {
protected:
    daemon_config config() override {
        auto c = ValidationTest::config();
        c.extra_args = {"--validation-timeout", "0.5"};
        return c;
    }
};

TEST_F(ValidationTimeoutTest, NoReportInTimeFailsTheDeployment) {
    raw_client c = cli();
    raw_client as_a = connected(comp_a);
    const auto sid = listen(as_a);
    const auto id = create(c, change);
    proposed(as_a, sid, id);
    const auto deployment = finished(c, id);
    EXPECT_EQ(deployment["status"], "FAILED");
    EXPECT_EQ(deployment["deploymentStatusDetails"]["deploymentFailureCause"].get<std::string>().rfind(
                  "Error while waiting for validation report for one or more components", 0),
              0U);
    EXPECT_FALSE(configuration_of(c, comp_a).contains("interval"));
}

// ---- CancelLocalDeployment ------------------------------------------------------------------------

TEST_F(ValidationTest, CancelAQueuedOneAndOneThatWaitsBeforeApplying) {
    raw_client c = cli();
    raw_client as_a = connected(comp_a);
    const auto sid = listen(as_a);
    const auto waiting = create(c, change);
    proposed(as_a, sid, waiting);  // in progress, waiting for the report
    const auto queued = create(c, json::object());
    EXPECT_EQ(status(c, queued)["status"], "QUEUED");
    EXPECT_EQ(status(c, queued).contains("deploymentStatusDetails"), false);
    EXPECT_EQ(call_json(c, op_cancel, {{"deploymentId", queued}}),
              json({{"message", "Cancel request submitted. Deployment ID: " + queued}}));
    EXPECT_EQ(status(c, queued)["status"], "CANCELED");
    EXPECT_EQ(call_json(c, op_cancel, {{"deploymentId", waiting}}),
              json({{"message", "Cancel request submitted. Deployment ID: " + waiting}}));
    report(as_a, waiting, "ACCEPTED", "ok");
    const auto deployment = finished(c, waiting);
    EXPECT_EQ(deployment["status"], "CANCELED");
    EXPECT_FALSE(deployment.contains("deploymentStatusDetails"));
    EXPECT_FALSE(configuration_of(c, comp_a).contains("interval"));
    EXPECT_EQ(call_json(c, op_cancel, {{"deploymentId", waiting}}),
              json({{"message",
                     "Cancellation request is not processed because deployment is already "
                     "finished"}}));
}

TEST_F(DeploymentTest, CancelErrors) {
    raw_client c = cli();
    expect_error(c, op_cancel, {{"deploymentId", "nope"}}, "InvalidArgumentsError",
                 "Invalid deploymentId format received. DeploymentId is a UUID");
    const std::string unknown = "7c9e6679-7425-40de-944b-e07fc1f90ae7";
    expect_error(c, op_cancel, {{"deploymentId", unknown}}, "ResourceNotFoundError",
                 "Cannot find the deployment id provided " + unknown,
                 {{"resourceType", "LocalDeployment"}, {"resourceName", unknown}});
}

// ---- deployments that run processes ---------------------------------------------------------------

class LaunchedDeploymentTest : public DeploymentTest {
protected:
    daemon_config config() override {
        auto c = DeploymentTest::config();
        c.recipes.push_back({"service.json", recipe_json("com.test.Service", "1.0.0", {{"v", 1}},
                                                         {{"Run", "echo service-1-up; exec sleep 600"}})
                                                 .dump()});
        c.launch_components = true;
        return c;
    }
    fs::path log_of(const std::string& component) const {
        return daemon_->root() / "logs" / (component + ".log");
    }
};

TEST_F(LaunchedDeploymentTest, ABrokenNewVersionIsRolledBackToThePreviousOne) {
    ASSERT_TRUE(wait_for_text(log_of("com.test.Service"), "service-1-up"));
    write_text(
        source_dir() / "recipes" / "service-2.json",
        recipe_json("com.test.Service", "2.0.0", {{"v", 2}}, {{"Run", "echo service-2-fails; exit 3"}})
            .dump());
    raw_client c = cli();
    const auto id = create(c, {{"recipeDirectoryPath", (source_dir() / "recipes").string()},
                               {"rootComponentVersionsToAdd", {{"com.test.Service", "2.0.0"}}},
                               {"failureHandlingPolicy", "ROLLBACK"}});
    const auto deployment = finished(c, id);
    EXPECT_EQ(deployment["status"], "FAILED");
    EXPECT_EQ(
        deployment["deploymentStatusDetails"],
        json({{"detailedDeploymentStatus", "FAILED_ROLLBACK_COMPLETE"},
              {"deploymentErrorStack",
               {"DEPLOYMENT_FAILURE", "COMPONENT_UPDATE_ERROR", "COMPONENT_BROKEN"}},
              {"deploymentErrorTypes", {"USER_COMPONENT_ERROR"}},
              {"deploymentFailureCause", "Service com.test.Service in broken state after deployment"}}));
    EXPECT_GE(count_of(file_text(log_of("com.test.Service")), "service-2-fails"), 3U);
    // Version 1 runs again, with its configuration.
    ASSERT_TRUE(wait_for_text(log_of("com.test.Service"), "service-1-up", 2));
    const auto d = details(c, "com.test.Service");
    EXPECT_EQ(d["version"], "1.0.0");
    EXPECT_EQ(d["configuration"], json({{"v", 1}}));
    EXPECT_TRUE(d["state"] == "RUNNING" || d["state"] == "STARTING") << d.dump();
}

TEST_F(LaunchedDeploymentTest, WithoutRollbackTheBrokenVersionStays) {
    write_text(source_dir() / "recipes" / "service-2.json",
               recipe_json("com.test.Service", "2.0.0", {}, {{"Run", "exit 3"}}).dump());
    raw_client c = cli();
    const auto id = create(c, {{"recipeDirectoryPath", (source_dir() / "recipes").string()},
                               {"rootComponentVersionsToAdd", {{"com.test.Service", "2.0.0"}}}});
    const auto deployment = finished(c, id);
    EXPECT_EQ(deployment["status"], "FAILED");
    EXPECT_EQ(deployment["deploymentStatusDetails"]["detailedDeploymentStatus"],
              "FAILED_ROLLBACK_NOT_REQUESTED");
    const auto d = details(c, "com.test.Service");
    EXPECT_EQ(d["version"], "2.0.0");
    EXPECT_EQ(d["state"], "BROKEN");
}

TEST_F(LaunchedDeploymentTest, RemovingAComponentStopsItAndForgetsIt) {
    ASSERT_TRUE(wait_for_text(log_of("com.test.Service"), "service-1-up"));
    raw_client c = cli();
    const auto id = create(c, {{"rootComponentsToRemove", {"com.test.Service"}}});
    EXPECT_EQ(finished(c, id)["status"], "SUCCEEDED");
    std::string error;
    call_json(c, "aws.greengrass#GetComponentDetails", {{"componentName", "com.test.Service"}}, &error);
    EXPECT_EQ(error, "ResourceNotFoundError");
    const auto info = json::parse(file_text(daemon_->root() / "daemon.json"));
    EXPECT_FALSE(info["tokens"].contains("com.test.Service")) << info.dump();
}

TEST_F(LaunchedDeploymentTest, AGdkProjectFolderDeploysUnchanged) {
    // What `gdk component build` leaves: greengrass-build/recipes and
    // greengrass-build/artifacts/<component>/<version>/.
    const auto build = source_dir() / "greengrass-build";
    write_text(build / "artifacts" / "com.example.Gdk" / "1.0.0" / "hello.sh",
               "echo \"hello from $1\"\n");
    write_text(build / "recipes" / "recipe.yaml",
               "RecipeFormatVersion: '2020-01-25'\n"
               "ComponentName: com.example.Gdk\n"
               "ComponentVersion: '1.0.0'\n"
               "ComponentConfiguration:\n"
               "  DefaultConfiguration:\n"
               "    name: gdk\n"
               "Manifests:\n"
               "  - Platform:\n"
               "      os: linux\n"
               "    Lifecycle:\n"
               "      Run: sh {artifacts:path}/hello.sh {configuration:/name}\n");
    raw_client c = cli();
    const auto id = create(c, {{"recipeDirectoryPath", (build / "recipes").string()},
                               {"artifactsDirectoryPath", (build / "artifacts").string()},
                               {"rootComponentVersionsToAdd", {{"com.example.Gdk", "1.0.0"}}}});
    EXPECT_EQ(finished(c, id)["status"], "SUCCEEDED");
    EXPECT_TRUE(wait_for_text(log_of("com.example.Gdk"), "hello from gdk"));
    // The artifacts were copied into the root's store, as the nucleus copies them.
    EXPECT_TRUE(fs::exists(daemon_->root() / "packages" / "artifacts" / "com.example.Gdk" / "1.0.0" /
                           "hello.sh"));
}

TEST_F(LaunchedDeploymentTest, ComponentUpdateSubscribersHearNothingFromALocalDeployment) {
    // Local deployments skip the pre/post update events (SKIP_NOTIFY_COMPONENTS), so a component
    // that listens, and would defer, is not asked.
    raw_client as_a = connected(comp_a);
    const auto sid = as_a.request("aws.greengrass#SubscribeToComponentUpdates", json::object());
    const auto response = as_a.read_message();
    ASSERT_TRUE(response);
    expect_application_message(*response, sid, 0, "aws.greengrass#SubscribeToComponentUpdatesResponse");
    write_text(source_dir() / "recipes" / "service-2.json",
               recipe_json("com.test.Service", "2.0.0", {}, {{"Run", "exec sleep 600"}}).dump());
    raw_client c = cli();
    const auto id = create(c, {{"recipeDirectoryPath", (source_dir() / "recipes").string()},
                               {"rootComponentVersionsToAdd", {{"com.test.Service", "2.0.0"}}}});
    EXPECT_EQ(finished(c, id)["status"], "SUCCEEDED");
    const auto rest = as_a.ping_barrier();
    ASSERT_TRUE(rest);
    EXPECT_TRUE(rest->empty()) << frames::describe(rest->front());
    std::string error;
    call_json(as_a, "aws.greengrass#DeferComponentUpdate",
              {{"deploymentId", id}, {"recheckAfterMs", 1000}}, &error);
    EXPECT_EQ(error, "ServiceError");
}

// ---- VersionRequirement ranges ---------------------------------------------------------------------

json dependency_on(const std::string& name, const std::string& range, const std::string& type = "HARD") {
    return {{name, {{"VersionRequirement", range}, {"DependencyType", type}}}};
}

TEST_F(DeploymentTest, ADependencyGetsTheHighestVersionInItsRangeAndAConflictNamesWhoRequiresWhat) {
    const auto recipes = source_dir() / "recipes";
    write_text(recipes / "app.json", recipe_json("com.test.App", "1.0.0", {}, {},
                                                 dependency_on("com.test.Lib", ">=1.0.0 <2.0.0"))
                                         .dump());
    for (const char* version : {"1.0.0", "1.4.0", "2.0.0"})
        write_text(recipes / ("lib-" + std::string{version} + ".json"),
                   recipe_json("com.test.Lib", version).dump());
    raw_client c = cli();
    auto id = create(c, {{"recipeDirectoryPath", recipes.string()},
                         {"rootComponentVersionsToAdd", {{"com.test.App", "1.0.0"}}}});
    EXPECT_EQ(finished(c, id)["status"], "SUCCEEDED");
    EXPECT_EQ(details(c, "com.test.Lib")["version"], "1.4.0");

    write_text(recipes / "newcomer.json",
               recipe_json("com.test.Newcomer", "1.0.0", {}, {}, dependency_on("com.test.Lib", "^2.0.0"))
                   .dump());
    id = create(c, {{"recipeDirectoryPath", recipes.string()},
                    {"rootComponentVersionsToAdd", {{"com.test.Newcomer", "1.0.0"}}}});
    const auto deployment = finished(c, id);
    EXPECT_EQ(deployment["status"], "FAILED");
    const auto& details_of = deployment["deploymentStatusDetails"];
    EXPECT_EQ(details_of["detailedDeploymentStatus"], "FAILED_NO_STATE_CHANGE");
    EXPECT_EQ(details_of["deploymentErrorStack"],
              json({"DEPLOYMENT_FAILURE", "NO_AVAILABLE_COMPONENT_VERSION",
                    "COMPONENT_VERSION_REQUIREMENTS_NOT_MET"}));
    EXPECT_NE(details_of.value("deploymentFailureCause", std::string{})
                  .find("Component com.test.Lib version constraints: com.test.App requires >=1.0.0 "
                        "<2.0.0, com.test.Newcomer requires ^2.0.0."),
              std::string::npos)
        << deployment.dump();
    std::string error;
    call_json(c, "aws.greengrass#GetComponentDetails", {{"componentName", "com.test.Newcomer"}}, &error);
    EXPECT_EQ(error, "ResourceNotFoundError");
    EXPECT_EQ(details(c, "com.test.Lib")["version"], "1.4.0") << "a failed deployment changes nothing";
}

TEST_F(DeploymentTest, AMalformedVersionRequirementIsARecipeError) {
    const auto recipes = source_dir() / "recipes";
    write_text(
        recipes / "app.json",
        recipe_json("com.test.App", "1.0.0", {}, {}, dependency_on("com.test.Lib", ">=1.x.2")).dump());
    raw_client c = cli();
    const auto id = create(c, {{"recipeDirectoryPath", recipes.string()},
                               {"rootComponentVersionsToAdd", {{"com.test.App", "1.0.0"}}}});
    const auto deployment = finished(c, id);
    EXPECT_EQ(deployment["status"], "FAILED");
    const auto cause =
        deployment["deploymentStatusDetails"].value("deploymentFailureCause", std::string{});
    EXPECT_NE(cause.find("app.json"), std::string::npos) << cause;
    EXPECT_NE(cause.find("VersionRequirement of dependency 'com.test.Lib' is not a version range"),
              std::string::npos)
        << cause;
}

// ---- what deployments run: dependents, RunWith, Bootstrap, Uninstall ------------------------------

class ScriptedDeploymentTest : public LaunchedDeploymentTest {
protected:
    // Each script appends a word to one file, so that the order of steps across components shows.
    fs::path events() const { return daemon_->root().parent_path() / "events.txt"; }
    std::string note(const std::string& word) const {
        return "echo " + word + " >> '" + events().string() + "'";
    }
    std::vector<std::string> noted() const {
        std::vector<std::string> out;
        std::istringstream in{file_text(events())};
        for (std::string line; std::getline(in, line);)
            out.push_back(line);
        return out;
    }
    json steps(const std::string& word) const {
        return {{"Startup", note("start-" + word)}, {"Shutdown", note("stop-" + word)}};
    }
};

TEST_F(ScriptedDeploymentTest, HardDependentsStopBeforeAndStartAfterTheirUpdatedDependency) {
    const auto recipes = source_dir() / "recipes";
    write_text(recipes / "lib-1.json", recipe_json("com.test.Lib", "1.0.0", {}, steps("lib")).dump());
    write_text(recipes / "app.json", recipe_json("com.test.App", "1.0.0", {}, steps("app"),
                                                 dependency_on("com.test.Lib", "^1.0.0"))
                                         .dump());
    write_text(recipes / "watcher.json", recipe_json("com.test.Watcher", "1.0.0", {}, steps("watcher"),
                                                     dependency_on("com.test.Lib", "^1.0.0", "SOFT"))
                                             .dump());
    raw_client c = cli();
    auto id = create(
        c, {{"recipeDirectoryPath", recipes.string()},
            {"rootComponentVersionsToAdd", {{"com.test.App", "1.0.0"}, {"com.test.Watcher", "1.0.0"}}}});
    ASSERT_EQ(finished(c, id)["status"], "SUCCEEDED");
    const auto before = noted().size();

    write_text(recipes / "lib-2.json", recipe_json("com.test.Lib", "1.1.0", {}, steps("lib2")).dump());
    id = create(c, {{"recipeDirectoryPath", recipes.string()},
                    {"rootComponentVersionsToAdd", {{"com.test.Lib", "1.1.0"}}}});
    ASSERT_EQ(finished(c, id)["status"], "SUCCEEDED");
    const auto all = noted();
    const std::vector<std::string> after(all.begin() + static_cast<std::ptrdiff_t>(before), all.end());
    EXPECT_EQ(after, (std::vector<std::string>{"stop-app", "stop-lib", "start-lib2", "start-app"}))
        << file_text(events());
    EXPECT_EQ(details(c, "com.test.Lib")["version"], "1.1.0");
    EXPECT_EQ(state_of(c, "com.test.App"), "RUNNING");
    EXPECT_EQ(state_of(c, "com.test.Watcher"), "RUNNING");  // SOFT: left running
}

TEST_F(ScriptedDeploymentTest, RunWithPosixUserRunsTheScriptsAsThatUserWhenTheDaemonIsRoot) {
    const auto recipes = source_dir() / "recipes";
    write_text(
        recipes / "who.json",
        recipe_json("com.test.Who", "1.0.0", {}, {{"Startup", "echo \"user=$(id -un)\""}}).dump());
    raw_client c = cli();
    // A user that is not user[:group] is refused before anything is queued.
    expect_error(
        c, op_create, {{"componentToRunWithInfo", {{"com.test.Who", {{"posixUser", "a:b:c"}}}}}},
        "InvalidArgumentsError",
        "componentToRunWithInfo.com.test.Who.posixUser must be user or user:group, not 'a:b:c'");
    const auto id = create(
        c, {{"recipeDirectoryPath", recipes.string()},
            {"rootComponentVersionsToAdd", {{"com.test.Who", "1.0.0"}}},
            {"componentToRunWithInfo",
             {{"com.test.Who",
               {{"posixUser", "nobody"}, {"systemResourceLimits", {{"memory", 10240}, {"cpus", 0.5}}}}},
              {"com.test.NotDeployed", {{"posixUser", "nobody"}}}}}});
    EXPECT_EQ(finished(c, id)["status"], "SUCCEEDED");
    const auto log = daemon_->stderr_text();
    EXPECT_NE(log.find("componentToRunWithInfo for com.test.NotDeployed ignored"), std::string::npos)
        << log;
    EXPECT_NE(log.find("com.test.Who systemResourceLimits (memory 10240 KiB, cpus 0.5"),
              std::string::npos)
        << log;
    EXPECT_NE(log.find("not enforced"), std::string::npos) << log;
    if (::geteuid() == 0) {
        EXPECT_TRUE(wait_for_text(log_of("com.test.Who"), "user=nobody"))
            << file_text(log_of("com.test.Who"));
    } else {
        EXPECT_TRUE(wait_for_text(daemon_->stderr_path(), "RunWith posixUser nobody ignored"));
    }
}

TEST_F(ScriptedDeploymentTest, BootstrapRunsBeforeInstallForANewComponentOrVersionOnly) {
    const auto recipes = source_dir() / "recipes";
    const auto boot = [&](const std::string& version, const json& bootstrap) {
        write_text(recipes / ("boot-" + version + ".json"),
                   recipe_json("com.test.Boot", version, {{"v", version}},
                               {{"Bootstrap", bootstrap},
                                {"Install", note("install-" + version)},
                                {"Startup", note("start-" + version)}})
                       .dump());
    };
    boot("1.0.0", note("bootstrap-1.0.0"));
    raw_client c = cli();
    auto id = create(c, {{"recipeDirectoryPath", recipes.string()},
                         {"rootComponentVersionsToAdd", {{"com.test.Boot", "1.0.0"}}}});
    ASSERT_EQ(finished(c, id)["status"], "SUCCEEDED");
    EXPECT_EQ(noted(), (std::vector<std::string>{"bootstrap-1.0.0", "install-1.0.0", "start-1.0.0"}));

    // A configuration change alone does not bootstrap again.
    id = create(c, {{"componentToConfiguration", {{"com.test.Boot", {{"MERGE", {{"x", 1}}}}}}}});
    ASSERT_EQ(finished(c, id)["status"], "SUCCEEDED");
    EXPECT_EQ(noted().size(), 3U) << file_text(events());

    // 100 asks for a nucleus restart: standin says it does not restart and goes on.
    boot("2.0.0", note("bootstrap-2.0.0") + "; exit 100");
    id = create(c, {{"recipeDirectoryPath", recipes.string()},
                    {"rootComponentVersionsToAdd", {{"com.test.Boot", "2.0.0"}}}});
    ASSERT_EQ(finished(c, id)["status"], "SUCCEEDED");
    EXPECT_NE(daemon_->stderr_text().find("standin does not restart itself"), std::string::npos);
    EXPECT_EQ(details(c, "com.test.Boot")["version"], "2.0.0");
}

TEST_F(ScriptedDeploymentTest, AFailingOrLateBootstrapFailsTheDeploymentAndChangesNothing) {
    const auto recipes = source_dir() / "recipes";
    write_text(recipes / "boot-1.json",
               recipe_json("com.test.Boot", "1.0.0", {},
                           {{"Bootstrap", "exit 3"}, {"Startup", note("start-1")}})
                   .dump());
    write_text(recipes / "boot-2.json",
               recipe_json("com.test.Boot", "2.0.0", {},
                           {{"Bootstrap", {{"Script", "exec sleep 600"}, {"Timeout", 1}}},
                            {"Startup", note("start-2")}})
                   .dump());
    raw_client c = cli();
    auto id = create(c, {{"recipeDirectoryPath", recipes.string()},
                         {"rootComponentVersionsToAdd", {{"com.test.Boot", "1.0.0"}}},
                         {"failureHandlingPolicy", "ROLLBACK"}});
    auto deployment = finished(c, id);
    EXPECT_EQ(deployment["status"], "FAILED");
    EXPECT_EQ(deployment["deploymentStatusDetails"],
              json({{"detailedDeploymentStatus", "FAILED_NO_STATE_CHANGE"},
                    {"deploymentErrorStack", {"DEPLOYMENT_FAILURE", "COMPONENT_BOOTSTRAP_ERROR"}},
                    {"deploymentErrorTypes", {"USER_COMPONENT_ERROR"}},
                    {"deploymentFailureCause",
                     "Fail to execute bootstrap step for com.test.Boot, exit code: 3"}}));
    std::string error;
    call_json(c, "aws.greengrass#GetComponentDetails", {{"componentName", "com.test.Boot"}}, &error);
    EXPECT_EQ(error, "ResourceNotFoundError");

    id = create(c, {{"rootComponentVersionsToAdd", {{"com.test.Boot", "2.0.0"}}}});
    deployment = finished(c, id);
    EXPECT_EQ(deployment["status"], "FAILED");
    EXPECT_EQ(deployment["deploymentStatusDetails"].value("deploymentFailureCause", std::string{}),
              "Bootstrap step timed out after '1' seconds.");
    EXPECT_TRUE(noted().empty()) << file_text(events());
}

TEST_F(ScriptedDeploymentTest, ARemovedComponentsUninstallRunsAfterItsShutdown) {
    const auto recipes = source_dir() / "recipes";
    write_text(recipes / "gone.json", recipe_json("com.test.Gone", "1.0.0", {},
                                                  {{"Startup", note("start")},
                                                   {"Shutdown", note("stop")},
                                                   {"Uninstall", note("uninstall")}})
                                          .dump());
    raw_client c = cli();
    auto id = create(c, {{"recipeDirectoryPath", recipes.string()},
                         {"rootComponentVersionsToAdd", {{"com.test.Gone", "1.0.0"}}}});
    ASSERT_EQ(finished(c, id)["status"], "SUCCEEDED");
    EXPECT_EQ(noted(), std::vector<std::string>{"start"});  // not at install
    id = create(c, {{"rootComponentsToRemove", {"com.test.Gone"}}});
    ASSERT_EQ(finished(c, id)["status"], "SUCCEEDED");
    EXPECT_EQ(noted(), (std::vector<std::string>{"start", "stop", "uninstall"}));
}

TEST_F(ScriptedDeploymentTest, ARemovedComponentsUninstallRunsAsItsRunWithUser) {
    const auto recipes = source_dir() / "recipes";
    write_text(recipes / "gone.json",
               recipe_json("com.test.Gone", "1.0.0", {},
                           {{"Startup", "true"}, {"Uninstall", "echo \"uninstall user=$(id -un)\""}})
                   .dump());
    raw_client c = cli();
    auto id = create(c, {{"recipeDirectoryPath", recipes.string()},
                         {"rootComponentVersionsToAdd", {{"com.test.Gone", "1.0.0"}}},
                         {"componentToRunWithInfo", {{"com.test.Gone", {{"posixUser", "nobody"}}}}}});
    ASSERT_EQ(finished(c, id)["status"], "SUCCEEDED");
    id = create(c, {{"rootComponentsToRemove", {"com.test.Gone"}}});
    ASSERT_EQ(finished(c, id)["status"], "SUCCEEDED");
    if (::geteuid() == 0) {
        EXPECT_TRUE(wait_for_text(log_of("com.test.Gone"), "uninstall user=nobody"))
            << file_text(log_of("com.test.Gone"));
    } else {
        EXPECT_TRUE(wait_for_text(log_of("com.test.Gone"), "uninstall user="));
        EXPECT_TRUE(wait_for_text(daemon_->stderr_path(), "RunWith posixUser nobody ignored"));
    }
}

TEST_F(ScriptedDeploymentTest, AConfigurationChangeThatChangesTheResolvedLifecycleRestartsTheComponent) {
    const auto recipes = source_dir() / "recipes";
    write_text(recipes / "greets.json",
               recipe_json("com.test.Greets", "1.0.0", {{"greeting", "hello"}, {"unused", 0}},
                           {{"Install", note("install")},
                            {"Startup", note("start-{configuration:/greeting}")},
                            {"Shutdown", note("stop")}})
                   .dump());
    raw_client c = cli();
    auto id = create(c, {{"recipeDirectoryPath", recipes.string()},
                         {"rootComponentVersionsToAdd", {{"com.test.Greets", "1.0.0"}}}});
    ASSERT_EQ(finished(c, id)["status"], "SUCCEEDED");
    ASSERT_EQ(noted(), (std::vector<std::string>{"install", "start-hello"}));

    // A value the lifecycle does not refer to: the component is left running.
    id = create(c, {{"componentToConfiguration", {{"com.test.Greets", {{"MERGE", {{"unused", 1}}}}}}}});
    ASSERT_EQ(finished(c, id)["status"], "SUCCEEDED");
    EXPECT_EQ(noted().size(), 2U) << file_text(events());

    // One it refers to: stopped and started again with the new value, and the deployment waits.
    id = create(
        c, {{"componentToConfiguration", {{"com.test.Greets", {{"MERGE", {{"greeting", "hi"}}}}}}}});
    ASSERT_EQ(finished(c, id)["status"], "SUCCEEDED");
    EXPECT_EQ(noted(), (std::vector<std::string>{"install", "start-hello", "stop", "start-hi"}))
        << file_text(events());
    EXPECT_EQ(state_of(c, "com.test.Greets"), "RUNNING");
}

// ---- --interpolate-component-configuration ---------------------------------------------------------

class InterpolatingDeploymentTest : public DeploymentTest {
protected:
    daemon_config config() override {
        auto c = DeploymentTest::config();
        c.extra_args.push_back("--interpolate-component-configuration");
        return c;
    }
};

TEST_F(InterpolatingDeploymentTest, DeployedConfigurationIsInterpolatedAsAtStartUp) {
    const auto recipes = source_dir() / "recipes";
    write_text(recipes / "vars.json",
               recipe_json("com.test.Vars", "1.0.0", {{"topic", "things/{iot:thingName}/data"}}).dump());
    raw_client c = cli();
    const auto id = create(
        c, {{"recipeDirectoryPath", recipes.string()},
            {"rootComponentVersionsToAdd", {{"com.test.Vars", "1.0.0"}}},
            {"componentToConfiguration", {{"com.test.Vars", {{"MERGE", {{"work", "{work:path}"}}}}}}}});
    ASSERT_EQ(finished(c, id)["status"], "SUCCEEDED");
    const auto thing = daemon_->info().value("thingName", std::string{"standin-thing"});
    const auto configuration = configuration_of(c, "com.test.Vars");
    EXPECT_EQ(configuration["topic"], "things/" + thing + "/data") << configuration.dump();
    EXPECT_EQ(configuration["work"],
              (fs::absolute(daemon_->root()).lexically_normal() / "work" / "com.test.Vars").string())
        << configuration.dump();
}

}  // namespace
}  // namespace standin::test::integration
