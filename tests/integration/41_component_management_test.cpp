// SPDX-License-Identifier: Apache-2.0
// Component management and lifecycle operations on declared components (serve --no-launch, the
// harness's default): ListComponents, GetComponentDetails, RestartComponent, StopComponent
// (aws.greengrass.Cli), UpdateState, PauseComponent, ResumeComponent (semantics.md §5), with the
// nucleus's check order, error types and messages. Without processes the lifecycle moves at once,
// so each state can be asserted right after the call that changed it.
#include "40_lifecycle_common.hpp"

namespace standin::test::integration {
namespace {

constexpr std::string_view op_list_components = "aws.greengrass#ListComponents";
constexpr std::string_view op_details = "aws.greengrass#GetComponentDetails";
constexpr std::string_view op_restart = "aws.greengrass#RestartComponent";
constexpr std::string_view op_stop = "aws.greengrass#StopComponent";
constexpr std::string_view op_update_state = "aws.greengrass#UpdateState";
constexpr std::string_view op_pause = "aws.greengrass#PauseComponent";
constexpr std::string_view op_resume = "aws.greengrass#ResumeComponent";
constexpr std::string_view op_subscribe_updates = "aws.greengrass#SubscribeToComponentUpdates";
constexpr std::string_view op_defer = "aws.greengrass#DeferComponentUpdate";
constexpr const char* comp_plugin = "com.test.Plugin";

recipe_file plugin_recipe() {
    const json recipe = {{"RecipeFormatVersion", "2020-01-25"},
                         {"ComponentName", comp_plugin},
                         {"ComponentVersion", "0.1.0"},
                         {"ComponentType", "aws.greengrass.plugin"},
                         {"Manifests", json::array({json::object()})}};
    return {std::string{comp_plugin} + ".json", recipe.dump()};
}

class ComponentManagementTest : public IntegrationTest {
protected:
    daemon_config config() override {
        auto recipes = standard_recipes();
        recipes.push_back(admin_recipe());
        recipes.push_back(plugin_recipe());
        return daemon_config{recipes, {}};
    }

    void expect_response(raw_client& c, std::string_view op, const json& request, const json& body) {
        SCOPED_TRACE(std::string{op} + " " + request.dump());
        const auto id = c.request(op, request);
        const auto reply = c.read_message();
        ASSERT_TRUE(reply.has_value());
        expect_application_message(*reply, id, 2, std::string{op} + "Response");
        EXPECT_EQ(frames::json_of(*reply), body);
    }
};

TEST_F(ComponentManagementTest, ListComponentsGivesEveryComponentWithStateVersionAndConfiguration) {
    auto admin = connected(comp_admin);
    const auto reply = call_json(admin, op_list_components, json::object());
    ASSERT_TRUE(reply.contains("components")) << reply.dump();
    std::map<std::string, json> by_name;
    for (const auto& c : reply["components"])
        by_name[c["componentName"]] = c;
    EXPECT_EQ(by_name.size(), 8u);
    ASSERT_TRUE(by_name.contains(comp_a));
    EXPECT_EQ(by_name[comp_a]["state"], "RUNNING");  // declared: its run "runs"
    EXPECT_EQ(by_name[comp_a]["version"], "1.0.0");
    EXPECT_EQ(by_name[comp_a]["configuration"]["accessControl"]["aws.greengrass.ipc.pubsub"]
                     ["com.test.A:pubsub:1"]["resources"],
              json::array({"*"}));
    // No lifecycle at all: nothing to run, FINISHED.
    EXPECT_EQ(by_name[comp_admin]["state"], "FINISHED");
    expect_nothing_more(admin);
}

TEST_F(ComponentManagementTest, GetComponentDetails) {
    auto admin = connected(comp_admin);
    expect_response(admin, op_details, {{"componentName", comp_plugin}},
                    {{"componentDetails",
                      {{"componentName", comp_plugin},
                       {"version", "0.1.0"},
                       {"state", "FINISHED"},
                       {"configuration", json::object()}}}});
    expect_call_error(admin, op_details, {{"componentName", "com.test.Missing"}},
                      "ResourceNotFoundError",
                      "Component with name com.test.Missing not found in Greengrass");
    expect_nothing_more(admin);
}

TEST_F(ComponentManagementTest, TheNameIsCheckedBeforeAuthorizationTheComponentAfter) {
    auto none = connected(comp_none);
    for (const auto op : {op_details, op_restart, op_stop}) {
        expect_call_error(none, op, json::object(), "InvalidArgumentsError",
                          "Component name cannot be empty");
        expect_call_error(none, op, {{"componentName", ""}}, "InvalidArgumentsError",
                          "Component name cannot be empty");
        expect_call_error(none, op, {{"componentName", "com.test.Missing"}}, "UnauthorizedError",
                          "Principal com.test.None is not authorized to perform aws.greengrass.Cli:" +
                              std::string{op} + " on resource com.test.Missing");
    }
    expect_call_error(none, op_list_components, json::object(), "UnauthorizedError",
                      "Principal com.test.None is not authorized to perform "
                      "aws.greengrass.Cli:aws.greengrass#ListComponents on resource *");
    auto admin = connected(comp_admin);
    expect_call_error(admin, op_restart, {{"componentName", "com.test.Missing"}},
                      "ResourceNotFoundError",
                      "Component with name com.test.Missing not found in Greengrass");
    expect_call_error(admin, op_stop, {{"componentName", "com.test.Missing"}}, "ResourceNotFoundError",
                      "Component with name com.test.Missing not found in Greengrass");
}

TEST_F(ComponentManagementTest, StopThenRestart) {
    auto admin = connected(comp_admin);
    expect_response(admin, op_stop, {{"componentName", comp_b}}, {{"stopStatus", "SUCCEEDED"}});
    EXPECT_EQ(state_of(admin, comp_b), "FINISHED");
    // Stopping a finished component still succeeds.
    expect_response(admin, op_stop, {{"componentName", comp_b}}, {{"stopStatus", "SUCCEEDED"}});
    expect_response(admin, op_restart, {{"componentName", comp_b}}, {{"restartStatus", "SUCCEEDED"}});
    EXPECT_EQ(state_of(admin, comp_b), "RUNNING");
    expect_response(admin, op_restart, {{"componentName", comp_b}}, {{"restartStatus", "SUCCEEDED"}});
    EXPECT_EQ(state_of(admin, comp_b), "RUNNING");
    // Other components are untouched.
    EXPECT_EQ(state_of(admin, comp_a), "RUNNING");
}

TEST_F(ComponentManagementTest, UpdateStateErroredRestartsAndTheThirdErrorBreaks) {
    auto self = connected(comp_a);
    auto admin = connected(comp_admin);
    for (int error = 1; error <= 2; ++error) {
        expect_response(self, op_update_state, {{"state", "ERRORED"}}, json::object());
        EXPECT_EQ(state_of(admin, comp_a), "RUNNING") << error;  // restarted at once
    }
    expect_response(self, op_update_state, {{"state", "ERRORED"}}, json::object());
    EXPECT_EQ(state_of(admin, comp_a), "BROKEN");
    // Reports from BROKEN are ignored, and still succeed.
    expect_response(self, op_update_state, {{"state", "RUNNING"}}, json::object());
    expect_response(self, op_update_state, {{"state", "ERRORED"}}, json::object());
    EXPECT_EQ(state_of(admin, comp_a), "BROKEN");
    expect_response(admin, op_restart, {{"componentName", comp_a}}, {{"restartStatus", "SUCCEEDED"}});
    EXPECT_EQ(state_of(admin, comp_a), "RUNNING");
    // The connection is still served.
    expect_response(self, op_update_state, {{"state", "RUNNING"}}, json::object());
    expect_nothing_more(self);
}

TEST_F(ComponentManagementTest, UpdateStateWithoutAStateIsAServiceError) {
    auto self = connected(comp_a);
    expect_call_error(self, op_update_state, json::object(), "ServiceError", "");
    expect_call_error(self, op_update_state, {{"state", "FINISHED"}}, "ServiceError", "");
    auto admin = connected(comp_admin);
    EXPECT_EQ(state_of(admin, comp_a), "RUNNING");
}

TEST_F(ComponentManagementTest, PauseAndResume) {
    auto admin = connected(comp_admin);
    expect_call_error(admin, op_resume, {{"componentName", comp_a}}, "InvalidArgumentsError",
                      "Component com.test.A is not paused");
    expect_response(admin, op_pause, {{"componentName", comp_a}}, json::object());
    EXPECT_EQ(state_of(admin, comp_a), "RUNNING");  // a paused component still reports RUNNING
    expect_response(admin, op_resume, {{"componentName", comp_a}}, json::object());
    expect_call_error(admin, op_resume, {{"componentName", comp_a}}, "InvalidArgumentsError",
                      "Component com.test.A is not paused");
    expect_call_error(admin, op_pause, {{"componentName", comp_admin}}, "InvalidArgumentsError",
                      "Component com.test.Admin is not running");
    expect_call_error(admin, op_pause, {{"componentName", comp_plugin}}, "InvalidArgumentsError",
                      "Only generic components can be paused.");
    expect_call_error(admin, op_resume, {{"componentName", comp_plugin}}, "InvalidArgumentsError",
                      "Only generic components can be resumed.");
    expect_call_error(admin, op_pause, {{"componentName", "com.test.Missing"}}, "ResourceNotFoundError",
                      "");
    expect_nothing_more(admin);
}

TEST_F(ComponentManagementTest, PauseChecksTheNameBeforeAuthorization) {
    auto none = connected(comp_none);
    for (const auto op : {op_pause, op_resume}) {
        expect_call_error(none, op, json::object(), "InvalidArgumentsError",
                          "Component name is required.");
        expect_call_error(none, op, {{"componentName", comp_a}}, "UnauthorizedError",
                          "Principal com.test.None is not authorized to perform "
                          "aws.greengrass.ipc.lifecycle:" +
                              std::string{op} + " on resource com.test.A");
    }
}

TEST_F(ComponentManagementTest, DeferComponentUpdateNeedsASubscriptionADeploymentAndAPendingEvent) {
    auto a = connected(comp_a);
    expect_call_error(a, op_defer, {{"deploymentId", "d-1"}}, "InvalidArgumentsError",
                      "Component is not subscribed to component update events");
    const auto id = a.request(op_subscribe_updates, json::object());
    const auto response = a.read_message();
    ASSERT_TRUE(response.has_value());
    expect_application_message(*response, id, 0, "aws.greengrass#SubscribeToComponentUpdatesResponse");
    EXPECT_EQ(frames::json_of(*response), json::object());
    // The subscription is the component's: another connection of it counts as subscribed.
    auto again = connected(comp_a);
    expect_call_error(again, op_defer, {{"recheckAfterMs", 1000}}, "InvalidArgumentsError",
                      "Cannot defer the update, the deployment ID provided was null");
    // No deployment has sent a pre-update event to answer.
    expect_call_error(again, op_defer, {{"deploymentId", "d-1"}, {"recheckAfterMs", 0}}, "ServiceError",
                      "Time limit to respond to PreComponentUpdateEvent exceeded");
    auto b = connected(comp_b);
    expect_call_error(b, op_defer, {{"deploymentId", "d-1"}}, "InvalidArgumentsError",
                      "Component is not subscribed to component update events");
    // No event arrives on the open subscription.
    expect_nothing_more(a);
}

}  // namespace
}  // namespace standin::test::integration
