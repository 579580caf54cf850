// SPDX-License-Identifier: Apache-2.0
// Every operation's authorization through the real daemon (semantics.md §0, §2.3, §2.5), driven by
// the operation table (model::operations): nothing here lists operations. Each test starts a daemon
// with the recipe set its row calls for:
//
//   PolicyChecked    a row with a policy check: a caller whose policy allows exactly that operation
//                    on the resource the request resolves to gets past authorization (success or
//                    any answer but UnauthorizedError); callers whose policy names the wrong
//                    resource, the wrong operation or the wrong service id, and one without a
//                    policy, get the nucleus's UnauthorizedError frame, message for message
//   CallerRule       a row with a caller rule: a caller outside it is refused even with the
//                    allowing policy (PutComponentMetric needs an "aws." caller)
//   TrustedCaller    a row with trusted callers: they pass without any policy (the Greengrass CLI,
//                    the shadow manager, the stream manager)
//   NoAuthorization  a row without a policy check or caller rule: a caller without any policy is
//                    never refused
//
// An operation standin does not serve yet answers every caller, before any check, with the
// nucleus's not-supported ServiceError, as the nucleus does when the plugin is missing: its test
// checks exactly that for every caller and is then reported as skipped, so that the operations
// whose authorization is not exercised yet stay visible.
#include <algorithm>
#include <fstream>

#include "integration_common.hpp"
#include "standin/model/base64.hpp"
#include "standin/model/operations.hpp"

namespace standin::test::integration {
namespace {

using model::operation_info;
using model::resource_rule;

constexpr const char* thing = "authz-thing";
constexpr const char* secret_name = "authz-secret";
constexpr const char* secret_arn =
    "arn:aws:secretsmanager:us-east-1:123456789012:secret:authz-secret-AbCdEf";
constexpr const char* shadow_name = "authzShadow";
constexpr const char* target = "com.test.authz.Target";
// A resource pattern that matches none of the resources below.
constexpr const char* elsewhere = "elsewhere/*";

constexpr std::string_view authz_fixture_yaml = R"(thingName: authz-thing
secrets:
  - arn: "arn:aws:secretsmanager:us-east-1:123456789012:secret:authz-secret-AbCdEf"
    name: authz-secret
    versions:
      - versionId: "v1"
        stages: [AWSCURRENT]
        secretString: "s3cret"
)";

// ---- requests, from the row's resource rule -----------------------------------------------------

// The value a request gives the member the row names; each is valid for the checks the nucleus
// runs before authorization (a known component, a deployment id in UUID form, the device's thing).
std::string member_value(std::string_view member) {
    if (member == "componentName") return target;
    if (member == "thingName") return thing;
    if (member == "deploymentId") return "9b4a3c1e-5f7d-4e2a-8c6b-0d1e2f3a4b5c";
    if (member == "topicName") return "authz/iot/topic";
    return "authz/" + std::string{member};
}

struct request_plan {
    json body = json::object();
    std::string resource;  // what the request is authorized against; empty for rule none
};

request_plan plan_for(const operation_info& op) {
    request_plan plan;
    switch (op.auth.resource) {
        case resource_rule::none:
            break;
        case resource_rule::member:
            plan.resource = member_value(op.auth.member);
            plan.body[std::string{op.auth.member}] = plan.resource;
            break;
        case resource_rule::any:
            plan.resource = "*";
            break;
        case resource_rule::shadow_path:
            plan.resource = std::string{"$aws/things/"} + thing + "/shadow/name/" + shadow_name;
            // UpdateThingShadow refuses an empty payload before authorization; the other shadow
            // requests ignore the member.
            plan.body = {{"thingName", thing},
                         {"shadowName", shadow_name},
                         {"payload", model::base64_encode(R"({"state":{"reported":{"x":1}}})")}};
            break;
        case resource_rule::secret_arn:
            // By name: the daemon resolves it to the ARN through the fixture before authorization.
            plan.resource = secret_arn;
            plan.body = {{"secretId", secret_name}};
            break;
        case resource_rule::metric_names:
            plan.resource = "authz.metric";
            plan.body = {
                {"metrics", json::array({{{"name", plan.resource}, {"unit", "Count"}, {"value", 1}}})}};
            break;
    }
    // CancelLocalDeployment checks its deploymentId (a UUID) before authorizing against "*".
    if (op.short_name() == "CancelLocalDeployment")
        plan.body["deploymentId"] = member_value("deploymentId");
    return plan;
}

// ---- recipes --------------------------------------------------------------------------------------

json access_control(std::string_view service, const std::string& id, std::string_view operation,
                    std::string_view resource) {
    return {{std::string{service},
             {{id,
               {{"policyDescription", "12_authorization_test"},
                {"operations", json::array({operation})},
                {"resources", json::array({resource})}}}}}};
}

recipe_file authz_recipe(const std::string& component, const json& access = nullptr) {
    json configuration = json::object();
    if (!access.is_null()) configuration["accessControl"] = access;
    json r = {{"RecipeFormatVersion", "2020-01-25"},
              {"ComponentName", component},
              {"ComponentVersion", "1.0.0"},
              {"ComponentConfiguration", {{"DefaultConfiguration", configuration}}},
              {"Manifests", json::array({{{"Lifecycle", {{"Run", "true"}}}}})}};
    return {component + ".json", r.dump(2)};
}

// Caller names admitted by the row's caller rule ("aws.test.authz.X" for an "aws." prefix).
std::string caller_name(const operation_info& op, std::string_view role) {
    const auto& rule = op.auth.caller;
    const std::string base = rule.match == model::caller_rule::kind::prefix
                                 ? std::string{rule.text} + "test.authz."
                                 : std::string{"com.test.authz."};
    return base + std::string{role};
}

// Another operation of the same service, for a policy that names the wrong operation.
const operation_info* sibling_of(const operation_info& op) {
    for (const auto& other : model::operations) {
        if (other.index != op.index && other.auth.service_id == op.auth.service_id &&
            other.auth.registered)
            return &other;
    }
    return nullptr;
}

// Another accessControl service id, for a policy filed under the wrong one.
std::string_view other_service(const operation_info& op) {
    const auto& [ids, count] = model::policy_service_ids;
    for (std::size_t i = 0; i < count; ++i) {
        if (ids[i] != op.auth.service_id) return ids[i];
    }
    return {};
}

// ---- frames ---------------------------------------------------------------------------------------

std::string unauthorized_message(const operation_info& op, std::string_view caller,
                                 std::string_view resource) {
    if (!op.auth.denial.empty()) return std::string{op.auth.denial};
    if (!op.auth.registered) {
        return "Component " + std::string{op.auth.service_id} + " not registered for operation " +
               std::string{op.name};
    }
    return "Principal " + std::string{caller} + " is not authorized to perform " +
           std::string{op.auth.service_id} + ":" + std::string{op.name} + " on resource " +
           std::string{resource};
}

std::string not_supported_message(const operation_info& op) {
    return "Operation " + std::string{op.name} + " is not supported by Greengrass";
}

bool is_not_supported(const protocol::message& reply, const operation_info& op) {
    return frames::int_header(reply, ":message-type") == 1 &&
           frames::string_header(reply, "service-model-type") == "aws.greengrass#ServiceError" &&
           frames::json_of(reply) == error_body("ServiceError", not_supported_message(op));
}

class AuthorizationTest : public ::testing::TestWithParam<std::size_t> {
protected:
    const operation_info& op() const { return model::operations[GetParam()]; }

    // Starts the daemon with `recipes` (plus the target component) and the fixture.
    void start(std::vector<recipe_file> recipes) {
        recipes.push_back(authz_recipe(target));
        const auto fixture = dir_.path() / "fixture.yaml";
        std::ofstream{fixture} << authz_fixture_yaml;
        daemon_ = std::make_unique<daemon_process>(
            daemon_config{std::move(recipes), {"--fixture", fixture.string()}});
    }

    raw_client connected_as_token(const std::string& token) {
        raw_client c{daemon_->socket_path()};
        c.connect_or_throw(token);
        return c;
    }
    raw_client connected(const std::string& component) {
        return connected_as_token(daemon_->token(component));
    }

    // Sends the plan's request as `c` and returns the reply on its stream (a failure when none).
    std::optional<protocol::message> call(raw_client& c, const request_plan& plan, std::int32_t& id) {
        id = c.request(op().name, plan.body);
        auto reply = c.read_message();
        if (!reply) {
            ADD_FAILURE() << op().short_name() << ": no reply";
            return std::nullopt;
        }
        EXPECT_EQ(frames::int_header(*reply, ":stream-id"), id) << frames::describe(*reply);
        return reply;
    }

    // `reply` shows that the caller got past authorization: a response of the operation, or any
    // error but UnauthorizedError.
    void expect_past_authorization(const protocol::message& reply) const {
        SCOPED_TRACE(frames::describe(reply));
        EXPECT_NE(frames::string_header(reply, "service-model-type"),
                  "aws.greengrass#UnauthorizedError");
        if (frames::int_header(reply, ":message-type") == 0) {
            EXPECT_EQ(frames::string_header(reply, "service-model-type"),
                      std::string{op().response_shape});
        }
    }

    // Calls as `c`, which must get past authorization. Returns false when the operation is not
    // served (the reply is the not-supported error).
    bool expect_past_authorization(raw_client& c, const request_plan& plan, std::string_view who) {
        SCOPED_TRACE(std::string{who} + " calls " + std::string{op().short_name()});
        std::int32_t id = 0;
        const auto reply = call(c, plan, id);
        if (!reply) return true;
        expect_past_authorization(*reply);
        return !is_not_supported(*reply, op());
    }

    // The caller got exactly the nucleus's UnauthorizedError, and nothing else.
    void expect_unauthorized(raw_client& c, const request_plan& plan, std::string_view who,
                             const std::string& message) {
        SCOPED_TRACE(std::string{who} + " calls " + std::string{op().short_name()});
        std::int32_t id = 0;
        const auto reply = call(c, plan, id);
        if (!reply) return;
        expect_modeled_error(*reply, id, "UnauthorizedError", message);
        expect_nothing_more(c);
    }

    // An operation that is not served answers the not-supported ServiceError to `c`.
    void expect_not_supported(raw_client& c, const request_plan& plan, std::string_view who) {
        SCOPED_TRACE(std::string{who} + " calls " + std::string{op().short_name()});
        std::int32_t id = 0;
        const auto reply = call(c, plan, id);
        if (!reply) return;
        expect_modeled_error(*reply, id, "ServiceError", not_supported_message(op()));
        expect_nothing_more(c);
    }

    temp_dir dir_;
    std::unique_ptr<daemon_process> daemon_;
};

template <class Predicate>
std::vector<std::size_t> rows_where(Predicate predicate) {
    std::vector<std::size_t> out;
    for (const auto& op : model::operations) {
        if (predicate(op)) out.push_back(op.index);
    }
    return out;
}

std::string row_name(const ::testing::TestParamInfo<std::size_t>& info) {
    return std::string{model::operations[info.param].short_name()};
}

#define STANDIN_SKIP_UNSERVED()                                                                 \
    GTEST_SKIP() << op().short_name()                                                           \
                 << " is not served yet: every caller gets the not-supported ServiceError, as " \
                    "from a nucleus without its plugin, so its authorization is not exercised"

// ---- rows with a policy check -----------------------------------------------------------------

using PolicyChecked = AuthorizationTest;

TEST_P(PolicyChecked, OnlyThePolicyForThisOperationAndResourceAllows) {
    const auto plan = plan_for(op());
    const auto service = op().auth.service_id;
    const std::string allowed = caller_name(op(), "Allowed");
    const std::string wrong_resource = caller_name(op(), "WrongResource");
    const std::string wrong_operation = caller_name(op(), "WrongOperation");
    const std::string wrong_service = caller_name(op(), "WrongService");
    const std::string no_policy = caller_name(op(), "NoPolicy");
    const operation_info* sibling = sibling_of(op());

    std::vector<recipe_file> recipes{
        authz_recipe(allowed, access_control(service, allowed + ":1", op().name, plan.resource)),
        authz_recipe(wrong_resource,
                     access_control(service, wrong_resource + ":1", op().name, elsewhere)),
        authz_recipe(wrong_service, access_control(other_service(op()), wrong_service + ":1", op().name,
                                                   plan.resource)),
        authz_recipe(no_policy)};
    std::vector<std::string> denied{wrong_resource, wrong_service, no_policy};
    if (sibling != nullptr) {
        recipes.push_back(authz_recipe(wrong_operation, access_control(service, wrong_operation + ":1",
                                                                       sibling->name, plan.resource)));
        denied.push_back(wrong_operation);
    }
    start(std::move(recipes));

    raw_client c = connected(allowed);
    std::int32_t id = 0;
    const auto reply = call(c, plan, id);
    ASSERT_TRUE(reply.has_value());
    if (is_not_supported(*reply, op())) {
        expect_modeled_error(*reply, id, "ServiceError", not_supported_message(op()));
        for (const auto& caller : denied) {
            raw_client d = connected(caller);
            expect_not_supported(d, plan, caller);
        }
        STANDIN_SKIP_UNSERVED();
    }
    if (op().auth.registered) {
        SCOPED_TRACE(allowed + " calls " + std::string{op().short_name()});
        expect_past_authorization(*reply);
    } else {
        // The nucleus does not register the name for its service: no policy can allow it.
        expect_modeled_error(*reply, id, "UnauthorizedError",
                             unauthorized_message(op(), allowed, plan.resource));
    }
    for (const auto& caller : denied) {
        raw_client d = connected(caller);
        expect_unauthorized(d, plan, caller, unauthorized_message(op(), caller, plan.resource));
    }
}

INSTANTIATE_TEST_SUITE_P(EveryRow, PolicyChecked,
                         ::testing::ValuesIn(rows_where([](const operation_info& op) {
                             return op.auth.checks_policy();
                         })),
                         row_name);

// ---- rows with a caller rule --------------------------------------------------------------------

using CallerRule = AuthorizationTest;

TEST_P(CallerRule, ACallerOutsideTheRuleIsRefusedWhateverItsPolicies) {
    const auto plan = plan_for(op());
    const auto& rule = op().auth.caller;
    // Admitted: the rule's exact name, or a name with its prefix; both carry the allowing policy
    // when the row checks one.
    const std::string admitted = rule.match == model::caller_rule::kind::exact
                                     ? std::string{rule.text}
                                     : caller_name(op(), "Admitted");
    const std::string outside = "com.test.authz.Outside";
    const auto policy_for = [&](const std::string& component) -> json {
        if (!op().auth.checks_policy()) return nullptr;
        return access_control(op().auth.service_id, component + ":1", op().name, plan.resource);
    };
    ASSERT_TRUE(rule.admits(admitted));
    ASSERT_FALSE(rule.admits(outside));
    start({authz_recipe(admitted, policy_for(admitted)), authz_recipe(outside, policy_for(outside))});

    raw_client in = connected(admitted);
    raw_client out = connected(outside);
    if (!expect_past_authorization(in, plan, admitted)) {
        expect_not_supported(out, plan, outside);
        STANDIN_SKIP_UNSERVED();
    }
    expect_unauthorized(out, plan, outside, rule.denial_for(outside));
}

INSTANTIATE_TEST_SUITE_P(EveryRow, CallerRule,
                         ::testing::ValuesIn(rows_where([](const operation_info& op) {
                             return op.auth.caller.match != model::caller_rule::kind::any;
                         })),
                         row_name);

// ---- rows with trusted callers --------------------------------------------------------------------

using TrustedCaller = AuthorizationTest;

TEST_P(TrustedCaller, PassesWithoutAPolicy) {
    const auto plan = plan_for(op());
    const std::string trusted{op().auth.trusted.name};
    const std::string no_policy = caller_name(op(), "NoPolicy");
    // The Greengrass CLI is built in (standin's own commands call as it); the others are recipes.
    // (Trusted name prefixes such as "greengrass-cli#" are not component names a recipe can have.)
    const bool builtin = trusted == "aws.greengrass.Cli";
    std::vector<recipe_file> recipes{authz_recipe(no_policy)};
    if (!builtin) recipes.push_back(authz_recipe(trusted));
    start(std::move(recipes));
    const std::string token = builtin
                                  ? daemon_->info().at("builtinTokens").at(trusted).get<std::string>()
                                  : daemon_->token(trusted);

    raw_client c = connected_as_token(token);
    raw_client other = connected(no_policy);
    if (!expect_past_authorization(c, plan, trusted)) {
        expect_not_supported(other, plan, no_policy);
        STANDIN_SKIP_UNSERVED();
    }
    // The same request without the trust and without a policy is refused.
    expect_unauthorized(other, plan, no_policy, unauthorized_message(op(), no_policy, plan.resource));
}

INSTANTIATE_TEST_SUITE_P(EveryRow, TrustedCaller,
                         ::testing::ValuesIn(rows_where([](const operation_info& op) {
                             return !op.auth.trusted.name.empty();
                         })),
                         row_name);

// ---- rows without authorization ---------------------------------------------------------------------

using NoAuthorization = AuthorizationTest;

TEST_P(NoAuthorization, ACallerWithoutAnyPolicyIsNotRefused) {
    const auto plan = plan_for(op());
    const std::string caller = caller_name(op(), "NoPolicy");
    start({authz_recipe(caller)});
    raw_client c = connected(caller);
    if (!expect_past_authorization(c, plan, caller)) STANDIN_SKIP_UNSERVED();
}

INSTANTIATE_TEST_SUITE_P(EveryRow, NoAuthorization,
                         ::testing::ValuesIn(rows_where([](const operation_info& op) {
                             return !op.auth.checks_policy() &&
                                    op.auth.caller.match == model::caller_rule::kind::any;
                         })),
                         row_name);

// ---- policy variables (semantics.md §2.4) ---------------------------------------------------------

// {iot:thingName} in a policy is replaced only with --interpolate-component-configuration (the
// nucleus's interpolateComponentConfiguration, default false); the IAM-style ${iot:thingName} never
// works. GetThingShadow of the device's classic shadow, with the parameter: interpolation on or off.
class PolicyVariables : public ::testing::TestWithParam<bool> {
protected:
    static constexpr const char* plain = "com.test.vars.Plain";  // {iot:thingName}
    static constexpr const char* iam = "com.test.vars.Iam";      // ${iot:thingName}

    bool interpolating() const { return GetParam(); }

    void SetUp() override {
        const auto shadow_policy = [](const std::string& component, const std::string& resource) {
            return access_control("aws.greengrass.ShadowManager", component + ":1",
                                  "aws.greengrass#GetThingShadow", resource);
        };
        json plain_recipe = json::parse(
            authz_recipe(plain, shadow_policy(plain, "$aws/things/{iot:thingName}/shadow")).content);
        plain_recipe["ComponentConfiguration"]["DefaultConfiguration"]["device"] = "{iot:thingName}";
        std::vector<recipe_file> recipes{
            {std::string{plain} + ".json", plain_recipe.dump()},
            authz_recipe(iam, shadow_policy(iam, "$aws/things/${iot:thingName}/shadow"))};
        std::vector<std::string> args{"--thing-name", thing};
        if (interpolating()) args.push_back("--interpolate-component-configuration");
        daemon_ = std::make_unique<daemon_process>(daemon_config{std::move(recipes), std::move(args)});
    }

    raw_client connected(const std::string& component) {
        raw_client c{daemon_->socket_path()};
        c.connect_or_throw(daemon_->token(component));
        return c;
    }

    std::optional<protocol::message> get_shadow(raw_client& c, std::string_view thing_name,
                                                std::int32_t& id) {
        id = c.request("aws.greengrass#GetThingShadow", json{{"thingName", thing_name}});
        return c.read_message();
    }

    void expect_denied(const char* component, std::string_view thing_name) {
        SCOPED_TRACE(std::string{component} + " gets the shadow of " + std::string{thing_name});
        raw_client c = connected(component);
        std::int32_t id = 0;
        const auto reply = get_shadow(c, thing_name, id);
        ASSERT_TRUE(reply.has_value());
        expect_modeled_error(*reply, id, "UnauthorizedError",
                             "Principal " + std::string{component} +
                                 " is not authorized to perform aws.greengrass.ShadowManager:"
                                 "aws.greengrass#GetThingShadow on resource $aws/things/" +
                                 std::string{thing_name} + "/shadow");
        expect_nothing_more(c);
    }

    std::unique_ptr<daemon_process> daemon_;
};

TEST_P(PolicyVariables, ThingNameInAPolicyOnlyWhenInterpolating) {
    if (interpolating()) {
        // Past authorization: the device's shadow does not exist.
        raw_client c = connected(plain);
        std::int32_t id = 0;
        const auto reply = get_shadow(c, thing, id);
        ASSERT_TRUE(reply.has_value());
        SCOPED_TRACE(frames::describe(*reply));
        EXPECT_EQ(frames::string_header(*reply, "service-model-type"),
                  "aws.greengrass#ResourceNotFoundError");
        expect_denied(plain, "other-thing");
    } else {
        expect_denied(plain, thing);
    }
    // With interpolation "$aws/things/$authz-thing/shadow"; without, an invalid escape (dropped).
    expect_denied(iam, thing);
}

TEST_P(PolicyVariables, TheConfigurationIsInterpolatedToo) {
    raw_client c = connected(plain);
    const auto reply = c.call("aws.greengrass#GetConfiguration", json{{"keyPath", {"device"}}});
    ASSERT_TRUE(reply.has_value());
    EXPECT_EQ(frames::json_of(*reply)["value"],
              (json{{"device", interpolating() ? thing : "{iot:thingName}"}}))
        << frames::describe(*reply);
}

TEST_P(PolicyVariables, PolicyCheckAgreesWithTheSameFlag) {
    std::vector<std::string> args{"policy",       "check", "--recipes", daemon_->recipes_dir().string(),
                                  "--thing-name", thing};
    if (interpolating()) args.push_back("--interpolate-component-configuration");
    for (const char* component : {plain, iam}) {
        SCOPED_TRACE(component);
        auto with = args;
        with.insert(with.end(),
                    {component, "GetThingShadow", std::string{"$aws/things/"} + thing + "/shadow"});
        const auto r = run_standin(with);
        EXPECT_EQ(r.exit_code, interpolating() && component == std::string_view{plain} ? 0 : 1)
            << r.out << r.err;
    }
}

INSTANTIATE_TEST_SUITE_P(Interpolation, PolicyVariables, ::testing::Bool(),
                         [](const ::testing::TestParamInfo<bool>& row) {
                             return row.param ? std::string{"On"} : std::string{"Off"};
                         });

}  // namespace
}  // namespace standin::test::integration
