// SPDX-License-Identifier: Apache-2.0
#include "deployments/deployment_engine.hpp"

#include <gtest/gtest.h>

#include <deque>
#include <set>

#include "deployments/deployment_id.hpp"

namespace standin::server::deployments {
namespace {

using nlohmann::json;

recipe make_recipe(const std::string& name, const std::string& version, json defaults = json::object(),
                   json dependencies = json::object()) {
    recipe r;
    r.component_name = name;
    r.component_version = version;
    r.default_configuration = std::move(defaults);
    r.dependencies = std::move(dependencies);
    r.lifecycle = {{"run", "run " + name + " " + version}};
    return r;
}

// The daemon as the engine sees it: components, their configuration, and a log of what the engine
// asked. Work posted runs when the test says so (run_all), as the I/O thread would.
class fake_host final : public deployment_host {
public:
    void post(std::function<void()> work) override { posted.push_back(std::move(work)); }

    std::map<std::string, const recipe*, std::less<>> deployed() const override {
        std::map<std::string, const recipe*, std::less<>> out;
        for (const auto& [name, r] : components)
            out.emplace(name, &r);
        return out;
    }
    const config_tree* configuration(std::string_view component) const override {
        const auto it = configurations.find(std::string{component});
        return it == configurations.end() ? nullptr : &it->second;
    }
    config_time now() const override { return 1000; }

    void prepare(const deployment_request&, std::function<void(prepared)> done) override {
        posted.push_back([this, done = std::move(done)] {
            if (prepare_failure) {
                done(*prepare_failure);
            } else {
                done(recipes_in_folder);
            }
        });
    }

    bool request_validation(
        const std::string& component, const std::string&, const json& proposed,
        std::chrono::milliseconds,
        std::function<void(std::optional<model::configuration_validity_report>)> done) override {
        if (!validating.contains(component)) return false;
        validations.emplace_back(component, proposed);
        pending_validations.push_back(std::move(done));
        return true;
    }

    json interpolate(const recipe& component, const json& configuration,
                     const std::vector<recipe>& resolved) const override {
        if (!interpolating) return configuration;
        // Enough to see that what is merged went through here: "{name}" becomes the component's.
        std::string text = configuration.dump();
        for (std::size_t at; (at = text.find("{name}")) != std::string::npos;)
            text.replace(at, 6, component.component_name + "/" + std::to_string(resolved.size()));
        return json::parse(text);
    }

    void apply(change_set changes, std::function<void(std::optional<apply_failure>)> done) override {
        for (const auto& c : changes.components) {
            if (c.bootstrap) bootstrapped.push_back(c.source.component_name);
            if (c.run_as.posix_user) run_as[c.source.component_name] = *c.run_as.posix_user;
            if (bootstrap_fails.contains(c.source.component_name) && c.bootstrap) {
                posted.push_back([done = std::move(done), name = c.source.component_name] {
                    done(apply_failure{name, deployment_failure{"bootstrap failed", {}, {}}});
                });
                return;
            }
        }
        applied.push_back({});
        for (const auto& name : changes.remove) {
            components.erase(name);
            configurations.erase(name);
            applied.back().push_back("-" + name);
        }
        std::optional<std::string> broken;
        for (auto& c : changes.components) {
            const auto name = c.source.component_name;
            applied.back().push_back((c.restart ? "+" : "~") + name + "@" + c.source.component_version);
            if (c.restart && breaks.contains(name + "@" + c.source.component_version)) broken = name;
            components.insert_or_assign(name, c.source);
            configurations.insert_or_assign(name, std::move(c.configuration));
        }
        posted.push_back([done = std::move(done), broken] {
            if (broken) {
                done(apply_failure{*broken, std::nullopt});
            } else {
                done(std::nullopt);
            }
        });
    }

    void run_all() {
        while (!posted.empty()) {
            auto work = std::move(posted.front());
            posted.pop_front();
            work();
        }
    }

    void add(const recipe& r) {
        components.insert_or_assign(r.component_name, r);
        config_tree tree{r.component_name, 1};
        tree.merge(r.default_configuration, default_value_time, 1);
        configurations.insert_or_assign(r.component_name, std::move(tree));
    }

    json configuration_of(const std::string& name) const {
        return configurations.at(name).root().to_json();
    }

    std::map<std::string, recipe> components;
    std::map<std::string, config_tree> configurations;
    std::deque<std::function<void()>> posted;
    std::vector<recipe> recipes_in_folder;
    std::optional<deployment_failure> prepare_failure;
    std::set<std::string> validating;
    std::vector<std::pair<std::string, json>> validations;
    std::vector<std::function<void(std::optional<model::configuration_validity_report>)>>
        pending_validations;
    std::set<std::string> breaks;  // name@version that goes BROKEN when started
    bool interpolating = false;
    std::vector<std::string> bootstrapped;
    std::set<std::string> bootstrap_fails;
    std::map<std::string, std::string> run_as;
    std::vector<std::vector<std::string>> applied;
};

struct engine_fixture : ::testing::Test {
    void start_with(std::vector<recipe> recipes) {
        for (const auto& r : recipes)
            host.add(r);
        engine.attach(host, recipes);
    }
    const deployment_record& run(deployment_request request) {
        const auto id = engine.submit(std::move(request));
        host.run_all();
        return *engine.find(id);
    }

    fake_host host;
    deployment_engine engine;
};

using EngineTest = engine_fixture;

TEST_F(EngineTest, QueuedThenInProgressThenSucceeded) {
    start_with({make_recipe("A", "1.0.0")});
    host.recipes_in_folder = {make_recipe("B", "1.0.0")};
    deployment_request request;
    request.components_to_add = {{"B", "1.0.0"}};
    const auto id = engine.submit(request);
    EXPECT_TRUE(is_uuid(id));
    EXPECT_EQ(engine.find(id)->status, deployment_status::queued);
    EXPECT_EQ(engine.find(id)->created_on_ms, 1000);
    host.posted.front()();  // run_next
    host.posted.pop_front();
    EXPECT_EQ(engine.find(id)->status, deployment_status::in_progress);
    host.run_all();
    const auto& record = *engine.find(id);
    EXPECT_EQ(record.status, deployment_status::succeeded);
    EXPECT_EQ(record.detailed, detailed_status::successful);
    EXPECT_FALSE(record.failure);
    ASSERT_EQ(host.applied.size(), 1U);
    EXPECT_EQ(host.applied[0], std::vector<std::string>{"+B@1.0.0"});
    EXPECT_TRUE(host.components.contains("A"));  // startup components are LOCAL_DEPLOYMENT roots
}

TEST_F(EngineTest, DeploymentsRunOneAtATimeInOrder) {
    start_with({});
    host.recipes_in_folder = {make_recipe("A", "1.0.0"), make_recipe("A", "2.0.0")};
    deployment_request first;
    first.components_to_add = {{"A", "1.0.0"}};
    deployment_request second;
    second.components_to_add = {{"A", "2.0.0"}};
    const auto one = engine.submit(first);
    const auto two = engine.submit(second);
    host.posted.front()();
    host.posted.pop_front();
    EXPECT_EQ(engine.find(one)->status, deployment_status::in_progress);
    EXPECT_EQ(engine.find(two)->status, deployment_status::queued);
    host.run_all();
    EXPECT_EQ(engine.find(one)->status, deployment_status::succeeded);
    EXPECT_EQ(engine.find(two)->status, deployment_status::succeeded);
    ASSERT_EQ(host.applied.size(), 2U);
    EXPECT_EQ(host.applied[1], std::vector<std::string>{"+A@2.0.0"});
    ASSERT_EQ(engine.records().size(), 2U);
    EXPECT_EQ(engine.records()[0].id, one);
}

TEST_F(EngineTest, AnUnknownVersionFailsWithNoStateChange) {
    start_with({make_recipe("A", "1.0.0")});
    deployment_request request;
    request.components_to_add = {{"A", "9.9.9"}};
    const auto& record = run(request);
    EXPECT_EQ(record.status, deployment_status::failed);
    EXPECT_EQ(record.detailed, detailed_status::failed_no_state_change);
    ASSERT_TRUE(record.failure);
    EXPECT_NE(record.failure->cause.find("Component A version constraints: LOCAL_DEPLOYMENT requires "
                                         "=9.9.9"),
              std::string::npos)
        << record.failure->cause;
    EXPECT_EQ(record.failure->error_stack.front(), "DEPLOYMENT_FAILURE");
    EXPECT_TRUE(host.applied.empty());
}

TEST_F(EngineTest, APrepareFailureIsTheDeploymentsFailure) {
    start_with({});
    host.prepare_failure = deployment_failure{"bad recipe", {"DEPLOYMENT_FAILURE"}, {}};
    const auto& record = run({});
    EXPECT_EQ(record.status, deployment_status::failed);
    EXPECT_EQ(record.detailed, detailed_status::failed_no_state_change);
    EXPECT_EQ(record.failure->cause, "bad recipe");
}

TEST_F(EngineTest, RemoveStopsARootAndWhatOnlyItNeeded) {
    start_with({make_recipe("A", "1.0.0", {}, {{"Lib", {{"VersionRequirement", ">=1.0.0"}}}}),
                make_recipe("Lib", "1.0.0"), make_recipe("C", "1.0.0")});
    // Lib was a startup root too; remove both A and Lib: Lib goes since nothing needs it.
    deployment_request request;
    request.components_to_remove = {"A", "Lib"};
    const auto& record = run(request);
    EXPECT_EQ(record.status, deployment_status::succeeded);
    EXPECT_EQ(host.applied.at(0), (std::vector<std::string>{"-A", "-Lib"}));
    EXPECT_TRUE(host.components.contains("C"));
}

TEST_F(EngineTest, ADependencyComesWithItsDependent) {
    start_with({});
    host.recipes_in_folder = {make_recipe("App", "1.0.0", {}, {{"Lib", json::object()}}),
                              make_recipe("Lib", "1.0.0"), make_recipe("Lib", "1.2.0")};
    deployment_request request;
    request.components_to_add = {{"App", "1.0.0"}};
    const auto& record = run(request);
    EXPECT_EQ(record.status, deployment_status::succeeded);
    EXPECT_EQ(host.applied.at(0), (std::vector<std::string>{"+App@1.0.0", "+Lib@1.2.0"}));
}

TEST_F(EngineTest, ResetThenDefaultsThenMerge) {
    start_with({make_recipe("A", "1.0.0", {{"keep", 1}, {"reset", "default"}, {"nested", {{"x", 1}}}})});
    // Earlier changes, newer than the defaults.
    host.configurations.at("A").merge({{"keep", 2}, {"reset", "changed"}, {"extra", true}}, 500, 500);
    deployment_request request;
    request.timestamp = 900;
    request.configuration["A"] = {{{"nested", {{"y", 2}}}}, {"/reset", "/extra"}};
    const auto& record = run(request);
    EXPECT_EQ(record.status, deployment_status::succeeded);
    EXPECT_EQ(host.configuration_of("A"),
              json({{"keep", 2}, {"reset", "default"}, {"nested", {{"x", 1}, {"y", 2}}}}));
    EXPECT_EQ(host.applied.at(0), std::vector<std::string>{"~A@1.0.0"});  // no restart
}

TEST_F(EngineTest, ResetOfTheWholeConfigurationGoesBackToTheDefaults) {
    start_with({make_recipe("A", "1.0.0", {{"k", "default"}})});
    host.configurations.at("A").merge({{"k", "mine"}, {"other", 1}}, 500, 500);
    deployment_request request;
    request.configuration["A"] = {json::object(), {""}};
    EXPECT_EQ(run(request).status, deployment_status::succeeded);
    EXPECT_EQ(host.configuration_of("A"), json({{"k", "default"}}));
}

TEST_F(EngineTest, NothingToChangeAppliesNothing) {
    start_with({make_recipe("A", "1.0.0", {{"k", 1}})});
    const auto& record = run({});  // an empty request re-triggers: nothing changed
    EXPECT_EQ(record.status, deployment_status::succeeded);
    ASSERT_EQ(host.applied.size(), 1U);
    EXPECT_TRUE(host.applied[0].empty());
}

TEST_F(EngineTest, AListeningComponentIsAskedAndItsRejectionFailsTheDeployment) {
    start_with({make_recipe("A", "1.0.0", {{"k", 1}})});
    host.validating = {"A"};
    deployment_request request;
    request.timestamp = 900;
    request.configuration["A"] = {{{"k", 2}}, {}};
    const auto id = engine.submit(request);
    host.run_all();
    ASSERT_EQ(host.validations.size(), 1U);
    EXPECT_EQ(host.validations[0].second, json({{"k", 2}}));
    EXPECT_EQ(engine.find(id)->status, deployment_status::in_progress);
    host.pending_validations[0](model::configuration_validity_report{
        model::configuration_validity_status::rejected, id, "k must stay 1"});
    host.run_all();
    const auto& record = *engine.find(id);
    EXPECT_EQ(record.status, deployment_status::failed);
    EXPECT_EQ(record.detailed, detailed_status::failed_no_state_change);
    EXPECT_EQ(record.failure->cause,
              "Components reported that their to-be-deployed configuration is invalid { name = A, "
              "message = k must stay 1 }");
    EXPECT_EQ(host.configuration_of("A"), json({{"k", 1}}));
    EXPECT_TRUE(host.applied.empty());
}

TEST_F(EngineTest, AnAcceptedValidationLetsTheDeploymentGoOn) {
    start_with({make_recipe("A", "1.0.0", {{"k", 1}})});
    host.validating = {"A"};
    deployment_request request;
    request.timestamp = 900;
    request.configuration["A"] = {{{"k", 2}}, {}};
    const auto id = engine.submit(request);
    host.run_all();
    host.pending_validations.at(0)(model::configuration_validity_report{
        model::configuration_validity_status::accepted, id, std::nullopt});
    host.run_all();
    EXPECT_EQ(engine.find(id)->status, deployment_status::succeeded);
    EXPECT_EQ(host.configuration_of("A"), json({{"k", 2}}));
}

TEST_F(EngineTest, AValidationTimeoutFailsTheDeployment) {
    start_with({make_recipe("A", "1.0.0", {{"k", 1}})});
    host.validating = {"A"};
    deployment_request request;
    request.timestamp = 900;
    request.configuration["A"] = {{{"k", 2}}, {}};
    const auto id = engine.submit(request);
    host.run_all();
    host.pending_validations.at(0)(std::nullopt);
    host.run_all();
    const auto& record = *engine.find(id);
    EXPECT_EQ(record.status, deployment_status::failed);
    EXPECT_EQ(record.failure->cause.rfind(
                  "Error while waiting for validation report for one or more components", 0),
              0U);
}

TEST_F(EngineTest, AComponentThatChangesVersionIsNotAskedToValidate) {
    start_with({make_recipe("A", "1.0.0", {{"k", 1}})});
    host.validating = {"A"};
    host.recipes_in_folder = {make_recipe("A", "2.0.0", {{"k", 1}})};
    deployment_request request;
    request.components_to_add = {{"A", "2.0.0"}};
    request.configuration["A"] = {{{"k", 2}}, {}};
    request.timestamp = 900;
    EXPECT_EQ(run(request).status, deployment_status::succeeded);
    EXPECT_TRUE(host.validations.empty());
}

TEST_F(EngineTest, ABrokenComponentWithRollbackPutsThePreviousOnesBack) {
    start_with({make_recipe("A", "1.0.0", {{"k", 1}})});
    host.recipes_in_folder = {make_recipe("A", "2.0.0", {{"k", 1}}), make_recipe("New", "1.0.0")};
    host.breaks = {"A@2.0.0"};
    deployment_request request;
    request.components_to_add = {{"A", "2.0.0"}, {"New", "1.0.0"}};
    request.configuration["A"] = {{{"k", 2}}, {}};
    request.timestamp = 900;
    request.rollback = true;
    const auto& record = run(request);
    EXPECT_EQ(record.status, deployment_status::failed);
    EXPECT_EQ(record.detailed, detailed_status::failed_rollback_complete);
    EXPECT_EQ(record.failure->cause, "Service A in broken state after deployment");
    EXPECT_EQ(
        record.failure->error_stack,
        (std::vector<std::string>{"DEPLOYMENT_FAILURE", "COMPONENT_UPDATE_ERROR", "COMPONENT_BROKEN"}));
    ASSERT_EQ(host.applied.size(), 2U);
    EXPECT_EQ(host.applied[1], (std::vector<std::string>{"-New", "+A@1.0.0"}));
    EXPECT_EQ(host.components.at("A").component_version, "1.0.0");
    EXPECT_FALSE(host.components.contains("New"));
    EXPECT_EQ(host.configuration_of("A"), json({{"k", 1}}));
    // The group's roots are as before: the next deployment does not bring New back.
    EXPECT_EQ(run({}).status, deployment_status::succeeded);
    EXPECT_FALSE(host.components.contains("New"));
}

TEST_F(EngineTest, ABrokenComponentWithoutRollbackStaysAsApplied) {
    start_with({make_recipe("A", "1.0.0")});
    host.recipes_in_folder = {make_recipe("A", "2.0.0")};
    host.breaks = {"A@2.0.0"};
    deployment_request request;
    request.components_to_add = {{"A", "2.0.0"}};
    const auto& record = run(request);
    EXPECT_EQ(record.status, deployment_status::failed);
    EXPECT_EQ(record.detailed, detailed_status::failed_rollback_not_requested);
    EXPECT_EQ(host.applied.size(), 1U);
    EXPECT_EQ(host.components.at("A").component_version, "2.0.0");
}

TEST_F(EngineTest, CancelWhileQueuedCancels) {
    start_with({});
    const auto id = engine.submit({});
    EXPECT_EQ(engine.cancel(id), deployment_engine::cancel_outcome::submitted);
    host.run_all();
    EXPECT_EQ(engine.find(id)->status, deployment_status::canceled);
    EXPECT_TRUE(host.applied.empty());
    EXPECT_EQ(engine.cancel(id), deployment_engine::cancel_outcome::already_finished);
    EXPECT_EQ(engine.cancel("00000000-0000-0000-0000-000000000000"),
              deployment_engine::cancel_outcome::not_found);
}

TEST_F(EngineTest, CancelInProgressBeforeApplyingCancels) {
    start_with({});
    const auto id = engine.submit({});
    host.posted.front()();  // in progress, preparing
    host.posted.pop_front();
    EXPECT_EQ(engine.cancel(id), deployment_engine::cancel_outcome::submitted);
    host.run_all();
    EXPECT_EQ(engine.find(id)->status, deployment_status::canceled);
    EXPECT_FALSE(engine.find(id)->detailed);
    EXPECT_TRUE(host.applied.empty());
}

TEST_F(EngineTest, GroupsKeepTheirOwnRoots) {
    start_with({});
    host.recipes_in_folder = {make_recipe("G", "1.0.0"), make_recipe("L", "1.0.0")};
    deployment_request in_group;
    in_group.group_name = "g1";
    in_group.components_to_add = {{"G", "1.0.0"}};
    EXPECT_EQ(run(in_group).status, deployment_status::succeeded);
    deployment_request local;
    local.components_to_add = {{"L", "1.0.0"}};
    EXPECT_EQ(run(local).status, deployment_status::succeeded);
    EXPECT_TRUE(host.components.contains("G"));
    deployment_request remove_from_local;
    remove_from_local.components_to_remove = {"G"};  // not a root of LOCAL_DEPLOYMENT
    EXPECT_EQ(run(remove_from_local).status, deployment_status::succeeded);
    EXPECT_TRUE(host.components.contains("G"));
}

json needs(const std::string& range, const std::string& type = "HARD") {
    return {{"VersionRequirement", range}, {"DependencyType", type}};
}

TEST_F(EngineTest, ADependencyGetsTheHighestVersionInItsRange) {
    start_with({});
    host.recipes_in_folder = {make_recipe("App", "1.0.0", {}, {{"Lib", needs(">=1.0.0 <2.0.0")}}),
                              make_recipe("Lib", "1.0.0"), make_recipe("Lib", "1.5.0"),
                              make_recipe("Lib", "2.0.0")};
    deployment_request request;
    request.components_to_add = {{"App", "1.0.0"}};
    EXPECT_EQ(run(request).status, deployment_status::succeeded);
    EXPECT_EQ(host.applied.at(0), (std::vector<std::string>{"+App@1.0.0", "+Lib@1.5.0"}));
}

TEST_F(EngineTest, TheRunningVersionStaysWhenItSatisfiesTheNewRequirement) {
    start_with({});
    host.recipes_in_folder = {make_recipe("One", "1.0.0", {}, {{"Lib", needs("^1.0.0")}}),
                              make_recipe("Lib", "1.0.0")};
    deployment_request first;
    first.group_name = "g1";
    first.components_to_add = {{"One", "1.0.0"}};
    EXPECT_EQ(run(first).status, deployment_status::succeeded);
    host.recipes_in_folder = {make_recipe("Two", "1.0.0", {}, {{"Lib", needs("~1")}}),
                              make_recipe("Lib", "1.5.0")};
    deployment_request second;
    second.group_name = "g2";
    second.components_to_add = {{"Two", "1.0.0"}};
    EXPECT_EQ(run(second).status, deployment_status::succeeded);
    EXPECT_EQ(host.applied.at(1), (std::vector<std::string>{"+Two@1.0.0"}));
    EXPECT_EQ(host.components.at("Lib").component_version, "1.0.0");
}

TEST_F(EngineTest, ARunningVersionOutsideTheNewRangeIsReplaced) {
    start_with({});
    host.recipes_in_folder = {make_recipe("One", "1.0.0", {}, {{"Lib", needs("*")}}),
                              make_recipe("Lib", "1.0.0")};
    deployment_request first;
    first.components_to_add = {{"One", "1.0.0"}};
    EXPECT_EQ(run(first).status, deployment_status::succeeded);
    host.recipes_in_folder = {make_recipe("One", "2.0.0", {}, {{"Lib", needs(">=1.1.0")}}),
                              make_recipe("Lib", "1.1.0"), make_recipe("Lib", "1.2.0")};
    deployment_request second;
    second.components_to_add = {{"One", "2.0.0"}};
    EXPECT_EQ(run(second).status, deployment_status::succeeded);
    EXPECT_EQ(host.components.at("Lib").component_version, "1.2.0");
}

TEST_F(EngineTest, ConflictingRequirementsFailNamingWhoRequiresWhat) {
    start_with({});
    host.recipes_in_folder = {make_recipe("App", "1.0.0", {}, {{"Lib", needs("^1.0.0")}}),
                              make_recipe("Other", "1.0.0", {}, {{"Lib", needs(">=2.0.0")}}),
                              make_recipe("Lib", "1.4.0"), make_recipe("Lib", "2.1.0")};
    deployment_request request;
    request.components_to_add = {{"App", "1.0.0"}, {"Other", "1.0.0"}};
    const auto& record = run(request);
    EXPECT_EQ(record.status, deployment_status::failed);
    EXPECT_EQ(record.detailed, detailed_status::failed_no_state_change);
    ASSERT_TRUE(record.failure);
    EXPECT_NE(record.failure->cause.find(
                  "Component Lib version constraints: App requires ^1.0.0, Other requires >=2.0.0."),
              std::string::npos)
        << record.failure->cause;
    EXPECT_EQ(record.failure->error_stack,
              (std::vector<std::string>{"DEPLOYMENT_FAILURE", "NO_AVAILABLE_COMPONENT_VERSION",
                                        "COMPONENT_VERSION_REQUIREMENTS_NOT_MET"}));
    EXPECT_TRUE(host.applied.empty());
}

TEST_F(EngineTest, AnAbandonedVersionsRequirementsGoWithIt) {
    // Lib is first resolved to 2.0.0 (A takes any), which needs New; Mid's 1.x then moves Lib to
    // 1.0.0, which needs nothing: New is not deployed.
    start_with({});
    host.recipes_in_folder = {make_recipe("A", "1.0.0", {}, {{"Lib", needs("*")}}),
                              make_recipe("B", "1.0.0", {}, {{"Mid", needs("*")}}),
                              make_recipe("Mid", "1.0.0", {}, {{"Lib", needs("1.x")}}),
                              make_recipe("Lib", "2.0.0", {}, {{"New", needs("*")}}),
                              make_recipe("Lib", "1.0.0"),
                              make_recipe("New", "1.0.0")};
    deployment_request request;
    request.components_to_add = {{"A", "1.0.0"}, {"B", "1.0.0"}};
    const auto& record = run(request);
    EXPECT_EQ(record.status, deployment_status::succeeded)
        << (record.failure ? record.failure->cause : "");
    EXPECT_EQ(host.applied.at(0),
              (std::vector<std::string>{"+A@1.0.0", "+B@1.0.0", "+Lib@1.0.0", "+Mid@1.0.0"}));
}

TEST_F(EngineTest, HardDependentsRestartWithTheirDependencySoftOnesDoNot) {
    const auto lib = make_recipe("Lib", "1.0.0");
    const auto app = make_recipe("App", "1.0.0", {}, {{"Lib", needs(">=1.0.0")}});
    const auto watcher = make_recipe("Watcher", "1.0.0", {}, {{"Lib", needs(">=1.0.0", "SOFT")}});
    const auto top = make_recipe("Top", "1.0.0", {}, {{"App", needs("*")}});
    start_with({lib, app, watcher, top});
    host.recipes_in_folder = {make_recipe("Lib", "1.1.0")};
    deployment_request request;
    request.components_to_add = {{"Lib", "1.1.0"}};
    EXPECT_EQ(run(request).status, deployment_status::succeeded);
    // App depends on Lib, Top on App: both restart; Watcher (SOFT) is left alone.
    EXPECT_EQ(host.applied.at(0), (std::vector<std::string>{"+App@1.0.0", "+Lib@1.1.0", "+Top@1.0.0"}));
}

TEST_F(EngineTest, BootstrapIsAskedForNewComponentsAndNewVersionsOnly) {
    auto a = make_recipe("A", "1.0.0");
    a.lifecycle["bootstrap"] = "echo one";
    start_with({a, make_recipe("B", "1.0.0")});
    auto a2 = make_recipe("A", "2.0.0");
    a2.lifecycle["bootstrap"] = "echo one";
    host.recipes_in_folder = {a2, make_recipe("C", "1.0.0")};
    deployment_request request;
    request.components_to_add = {{"A", "2.0.0"}, {"C", "1.0.0"}};
    request.configuration["B"] = {{{"k", 1}}, {}};  // B changes configuration only
    EXPECT_EQ(run(request).status, deployment_status::succeeded);
    EXPECT_EQ(host.bootstrapped, (std::vector<std::string>{"A", "C"}));
}

TEST_F(EngineTest, AFailedBootstrapFailsWithNoStateChangeEvenWithRollback) {
    start_with({make_recipe("A", "1.0.0")});
    host.recipes_in_folder = {make_recipe("A", "2.0.0")};
    host.bootstrap_fails = {"A"};
    deployment_request request;
    request.components_to_add = {{"A", "2.0.0"}};
    request.rollback = true;
    const auto& record = run(request);
    EXPECT_EQ(record.status, deployment_status::failed);
    EXPECT_EQ(record.detailed, detailed_status::failed_no_state_change);
    EXPECT_EQ(record.failure->cause, "bootstrap failed");
    EXPECT_TRUE(host.applied.empty());
}

TEST_F(EngineTest, RunWithIsKeptAcrossDeploymentsAndAUserChangeRestarts) {
    start_with({make_recipe("A", "1.0.0"), make_recipe("B", "1.0.0")});
    deployment_request first;
    first.run_with_info["A"].posix_user = "nobody";
    first.run_with_info["Ghost"].posix_user = "nobody";  // not deployed: ignored
    EXPECT_EQ(run(first).status, deployment_status::succeeded);
    EXPECT_EQ(host.applied.at(0), std::vector<std::string>{"+A@1.0.0"});
    EXPECT_EQ(host.run_as.at("A"), "nobody");
    EXPECT_FALSE(host.run_as.contains("Ghost"));
    // A later deployment that says nothing of A keeps its user, and does not restart it.
    deployment_request second;
    second.configuration["A"] = {{{"k", 1}}, {}};
    EXPECT_EQ(run(second).status, deployment_status::succeeded);
    EXPECT_EQ(host.applied.at(1), std::vector<std::string>{"~A@1.0.0"});
}

TEST_F(EngineTest, DeployedConfigurationGoesThroughTheHostsInterpolation) {
    start_with({});
    host.interpolating = true;
    host.recipes_in_folder = {make_recipe("A", "1.0.0", {{"default", "{name}"}})};
    deployment_request request;
    request.components_to_add = {{"A", "1.0.0"}};
    request.configuration["A"] = {{{"merged", "at {name}"}}, {}};
    EXPECT_EQ(run(request).status, deployment_status::succeeded);
    EXPECT_EQ(host.configuration_of("A"), json({{"default", "A/1"}, {"merged", "at A/1"}}));
}

TEST(DeploymentIds, AreVersion4UuidsInLowerCase) {
    const auto id = make_deployment_id();
    ASSERT_EQ(id.size(), 36U);
    EXPECT_EQ(id[14], '4');
    EXPECT_NE(std::string{"89ab"}.find(id[19]), std::string::npos);
    EXPECT_EQ(id.find_first_of("ABCDEF"), std::string::npos);
    EXPECT_NE(make_deployment_id(), id);
    EXPECT_TRUE(is_uuid(id));
}

TEST(DeploymentIds, AcceptWhatJavaUuidFromStringAccepts) {
    EXPECT_TRUE(is_uuid("1-2-3-4-5"));
    EXPECT_TRUE(is_uuid("E0F9C5D2-1234-4ABC-8DEF-0123456789AB"));
    EXPECT_FALSE(is_uuid(""));
    EXPECT_FALSE(is_uuid("not-a-uuid"));
    EXPECT_FALSE(is_uuid("1-2-3-4"));
    EXPECT_FALSE(is_uuid("1-2-3-4-5-6"));
    EXPECT_FALSE(is_uuid("1--3-4-5"));
    EXPECT_FALSE(is_uuid("g-2-3-4-5"));
    EXPECT_FALSE(is_uuid("00000000-0000-0000-0000-0000000000000"));  // 37 characters
}

TEST(DeploymentIds, CreatedOnIsDayMonthYearInUtc) {
    EXPECT_EQ(created_on_text(1689934530000), "21-07-2023 10:15:30 UTC");
    EXPECT_EQ(created_on_text(0), "01-01-1970 00:00:00 UTC");
}

TEST(RecipeStore, LatestIsTheHighestSemanticVersion) {
    recipe_store store;
    store.save(make_recipe("A", "1.9.2"));
    store.save(make_recipe("A", "1.10.0"));
    store.save(make_recipe("A", "1.10.0-beta"));
    ASSERT_NE(store.latest("A"), nullptr);
    EXPECT_EQ(store.latest("A")->component_version, "1.10.0");
    EXPECT_EQ(store.latest("B"), nullptr);
    const auto all = store.versions_of("A");
    ASSERT_EQ(all.size(), 3U);
    EXPECT_EQ(all[1]->component_version, "1.10.0-beta");
    EXPECT_EQ(all[2]->component_version, "1.9.2");
}

TEST(ResetPaths, AreJsonPointers) {
    EXPECT_EQ(pointer_to_path(""), config_path{});
    EXPECT_EQ(pointer_to_path("/a/b"), (config_path{"a", "b"}));
    EXPECT_EQ(pointer_to_path("/a~1b/c~0d"), (config_path{"a/b", "c~d"}));
    EXPECT_EQ(pointer_to_path("/"), config_path{""});
    EXPECT_FALSE(pointer_to_path("a/b"));
    EXPECT_FALSE(pointer_to_path("/a~2"));
}

}  // namespace
}  // namespace standin::server::deployments
