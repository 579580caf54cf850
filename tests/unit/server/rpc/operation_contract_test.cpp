// SPDX-License-Identifier: Apache-2.0
// Every shape the operation contract (rpc/operation.hpp) takes, each on a test operation bound to
// a real table row: checks before authorization, resources that depend on state, several
// resources per request, caller rules, trusted callers, no authorization, replies that come later
// (also from blocking work on another thread), and streams the server closes on its own.
#include "rpc/operation.hpp"

#include <gtest/gtest.h>

#include <map>
#include <thread>

#include <boost/asio/io_context.hpp>
#include <boost/asio/thread_pool.hpp>

#include "core/blocking_work.hpp"
#include "rpc/dispatch_fixture.hpp"

namespace standin::server {
namespace {

using testing::decode_frame;
using testing::decoded_frame;

// ---- test operations --------------------------------------------------------------------------

struct shadow_state {
    int handled = 0;
};

// GetThingShadow's row: shadow path resource, the shadow manager trusted; names are checked first.
struct checked_shadow_op {
    using row = model::operation<"GetThingShadow">;
    using state = shadow_state;

    static std::optional<model::ipc_error> precheck(state&, const call_context&, const row::request& r) {
        if (!r.thingName || r.thingName->empty()) {
            return model::ipc_error::invalid_arguments("ThingName is required");
        }
        return std::nullopt;
    }
    static answer<row::response> handle(state& s, const call_context&, row::request&) {
        ++s.handled;
        return row::response{};
    }
};

struct secret_state {
    std::map<std::string, std::string> arn_by_name;
};

// GetSecretValue's row: the resource is the ARN the operation resolves, or ResourceNotFoundError
// before any authorization.
struct resolving_secret_op {
    using row = model::operation<"GetSecretValue">;
    using state = secret_state;

    static resource_result resources(state& s, const call_context&, const row::request& r) {
        const auto it = s.arn_by_name.find(r.secretId.value_or(""));
        if (it == s.arn_by_name.end()) {
            return model::ipc_error::resource_not_found("Secret not found " + r.secretId.value_or(""),
                                                        "secret");
        }
        return resource_list{it->second};
    }
    static answer<row::response> handle(state& s, const call_context&, row::request& r) {
        row::response response;
        response.secretId = s.arn_by_name.at(*r.secretId);
        return response;
    }
};

struct metric_state {
    std::vector<std::string> recorded;
};

// PutComponentMetric's row: an `aws.` caller only, StreamManager trusted, one check per metric.
struct metric_names_op {
    using row = model::operation<"PutComponentMetric">;
    using state = metric_state;

    static resource_result resources(state&, const call_context&, const row::request& r) {
        resource_list names;
        for (const auto& m : r.metrics.value_or(std::vector<model::metric>{}))
            names.push_back(m.name);
        return names;
    }
    static answer<row::response> handle(state& s, const call_context&, row::request& r) {
        for (const auto& m : *r.metrics)
            s.recorded.push_back(*m.name);
        return row::response{};
    }
};

struct empty_state {};

// ValidateAuthorizationToken's row: no policy, one caller allowed.
struct stream_manager_only_op {
    using row = model::operation<"ValidateAuthorizationToken">;
    using state = empty_state;
    static answer<row::response> handle(state&, const call_context&, row::request&) {
        row::response response;
        response.isValid = true;
        return response;
    }
};

// GetConfiguration's row: no authorization at all.
struct unauthorized_free_op {
    using row = model::operation<"GetConfiguration">;
    using state = empty_state;
    static answer<row::response> handle(state&, const call_context& call, row::request&) {
        row::response response;
        response.componentName = std::string{call.caller};
        return response;
    }
};

struct restart_state {
    std::optional<responder<model::restart_component_response>> waiting;
};

// RestartComponent's row: the reply comes after the handler returned (as a restart that waits
// for the process would).
struct answers_later_op {
    using row = model::operation<"RestartComponent">;
    using state = restart_state;
    static void handle(state& s, const call_context&, row::request&, responder<row::response> reply) {
        s.waiting.emplace(std::move(reply));
    }
};

struct pool_state {
    blocking_work* work = nullptr;
    std::thread::id worked_on;
    std::thread::id answered_on;
};

// ListComponents' row: the work runs on the blocking pool, the answer on the I/O thread.
struct blocking_op {
    using row = model::operation<"ListComponents">;
    using state = pool_state;
    static void handle(state& s, const call_context&, row::request&, responder<row::response> reply) {
        s.work->run(
            [&s] {
                s.worked_on = std::this_thread::get_id();
                return 3;
            },
            [&s, reply = std::move(reply)](auto result) mutable {
                s.answered_on = std::this_thread::get_id();
                row::response response;
                response.components.emplace(static_cast<std::size_t>(result.value()));
                reply(std::move(response));
            });
    }
};

struct update_state {
    std::optional<event_stream<model::component_update_policy_events>> subscriber;
};

// SubscribeToComponentUpdates' row: a stream the server later ends, with or without an error.
struct server_closed_stream_op {
    using row = model::operation<"SubscribeToComponentUpdates">;
    using state = update_state;
    static answer<row::response> handle(state& s, const call_context& call, row::request&) {
        s.subscriber = events_of<server_closed_stream_op>(call);
        return {row::response{}, std::make_unique<stream_resource>()};
    }
};

// CancelLocalDeployment's row: not registered for the Cli service, so only trusted callers pass.
struct unregistered_cli_op {
    using row = model::operation<"CancelLocalDeployment">;
    using state = empty_state;
    static answer<row::response> handle(state&, const call_context&, row::request&) {
        return row::response{};
    }
};

class contract_test : public ::testing::Test, public testing::dispatch_fixture {
protected:
    decoded_frame answer_to(std::string_view caller, std::string_view op, std::string_view body,
                            std::int32_t stream_id = 1) {
        return decode_frame(call(caller, op, body, stream_id));
    }
};

void expect_error(const decoded_frame& frame, std::string_view shape, std::string_view message) {
    EXPECT_EQ(frame.meta.type, 1);
    EXPECT_EQ(frame.error_shape(), shape);
    EXPECT_EQ(frame.error_message(), message);
}

void expect_response(const decoded_frame& frame, std::string_view shape) {
    EXPECT_EQ(frame.meta.type, 0) << frame.message.payload;
    EXPECT_EQ(frame.header("service-model-type"), shape) << frame.message.payload;
}

// ---- the shapes -------------------------------------------------------------------------------

TEST_F(contract_test, prechecks_run_before_authorization) {
    shadow_state shadows;
    operations.add(make_operation<checked_shadow_op>(shadows));
    // No policy at all, but a bad name: the argument error wins.
    expect_error(answer_to("com.example.A", "aws.greengrass#GetThingShadow", R"({"shadowName":"s"})"),
                 "aws.greengrass#InvalidArgumentsError", "ThingName is required");
    // A good name: now authorization speaks, with the shadow path as resource.
    expect_error(answer_to("com.example.A", "aws.greengrass#GetThingShadow",
                           R"({"thingName":"t","shadowName":"s"})"),
                 "aws.greengrass#UnauthorizedError",
                 "Principal com.example.A is not authorized to perform "
                 "aws.greengrass.ShadowManager:aws.greengrass#GetThingShadow on resource "
                 "$aws/things/t/shadow/name/s");
    EXPECT_EQ(shadows.handled, 0);
}

TEST_F(contract_test, the_shadow_path_resource_follows_the_table) {
    shadow_state shadows;
    operations.add(make_operation<checked_shadow_op>(shadows));
    allow("com.example.A", model::service_ids::shadow_manager, {"aws.greengrass#GetThingShadow"},
          {"$aws/things/t/shadow"});
    expect_response(answer_to("com.example.A", "aws.greengrass#GetThingShadow", R"({"thingName":"t"})"),
                    "aws.greengrass#GetThingShadowResponse");
    expect_error(answer_to("com.example.A", "aws.greengrass#GetThingShadow",
                           R"({"thingName":"t","shadowName":"named"})"),
                 "aws.greengrass#UnauthorizedError",
                 "Principal com.example.A is not authorized to perform "
                 "aws.greengrass.ShadowManager:aws.greengrass#GetThingShadow on resource "
                 "$aws/things/t/shadow/name/named");
    // The shadow manager itself needs no policy.
    expect_response(answer_to("aws.greengrass.ShadowManager", "aws.greengrass#GetThingShadow",
                              R"({"thingName":"other"})"),
                    "aws.greengrass#GetThingShadowResponse");
    EXPECT_EQ(shadows.handled, 2);
}

TEST_F(contract_test, a_resource_resolved_from_state_can_fail_before_authorization) {
    secret_state secrets{{{"db", "arn:aws:secretsmanager:us-east-1:1:secret:db-AbC"}}};
    operations.add(make_operation<resolving_secret_op>(secrets));
    // Unknown name: not found, although the caller has no policy.
    expect_error(answer_to("com.example.A", "aws.greengrass#GetSecretValue", R"({"secretId":"nope"})"),
                 "aws.greengrass#ResourceNotFoundError", "Secret not found nope");
    // Known name: authorized against the ARN, not the name.
    allow("com.example.A", model::service_ids::secret_manager, {"aws.greengrass#GetSecretValue"},
          {"arn:aws:secretsmanager:*:*:secret:db-*"});
    const auto frame =
        answer_to("com.example.A", "aws.greengrass#GetSecretValue", R"({"secretId":"db"})");
    expect_response(frame, "aws.greengrass#GetSecretValueResponse");
    EXPECT_EQ(frame.body()["secretId"], "arn:aws:secretsmanager:us-east-1:1:secret:db-AbC");
    allow("com.example.B", model::service_ids::secret_manager, {"aws.greengrass#GetSecretValue"},
          {"db"});
    expect_error(answer_to("com.example.B", "aws.greengrass#GetSecretValue", R"({"secretId":"db"})"),
                 "aws.greengrass#UnauthorizedError",
                 "Principal com.example.B is not authorized to perform "
                 "aws.greengrass.SecretManager:aws.greengrass#GetSecretValue on resource "
                 "arn:aws:secretsmanager:us-east-1:1:secret:db-AbC");
}

TEST_F(contract_test, several_resources_are_each_authorized_and_the_caller_rule_comes_first) {
    metric_state metrics;
    operations.add(make_operation<metric_names_op>(metrics));
    const std::string body = R"({"metrics":[{"name":"cpu.a","unit":"COUNT","value":1},)"
                             R"({"name":"mem.b","unit":"COUNT","value":2}]})";
    // Not an aws. component: refused with the nucleus's message (trailing space included), even
    // with a policy.
    allow("com.example.A", model::service_ids::componentmetric, {"*"}, {"*"});
    expect_error(answer_to("com.example.A", "aws.greengrass#PutComponentMetric", body),
                 "aws.greengrass#UnauthorizedError",
                 "Principal com.example.A is not authorized to perform "
                 "aws.greengrass.ipc.componentmetric:aws.greengrass#PutComponentMetric ");
    // An aws. component allowed the first name only: refused on the second.
    allow("aws.example.A", model::service_ids::componentmetric, {"aws.greengrass#PutComponentMetric"},
          {"cpu.*"});
    expect_error(answer_to("aws.example.A", "aws.greengrass#PutComponentMetric", body),
                 "aws.greengrass#UnauthorizedError",
                 "Principal aws.example.A is not authorized to perform "
                 "aws.greengrass.ipc.componentmetric:aws.greengrass#PutComponentMetric on resource "
                 "mem.b");
    EXPECT_TRUE(metrics.recorded.empty());
    // Stream manager: no policy needed.
    expect_response(answer_to("aws.greengrass.StreamManager", "aws.greengrass#PutComponentMetric", body),
                    "aws.greengrass#PutComponentMetricResponse");
    EXPECT_EQ(metrics.recorded, (std::vector<std::string>{"cpu.a", "mem.b"}));
}

TEST_F(contract_test, an_exact_caller_rule_admits_only_that_caller) {
    empty_state none;
    operations.add(make_operation<stream_manager_only_op>(none));
    expect_error(
        answer_to("com.example.A", "aws.greengrass#ValidateAuthorizationToken", R"({"token":"x"})"),
        "aws.greengrass#UnauthorizedError",
        "com.example.A is not authorized to perform aws.greengrass#ValidateAuthorizationToken");
    const auto frame = answer_to("aws.greengrass.StreamManager",
                                 "aws.greengrass#ValidateAuthorizationToken", R"({"token":"x"})");
    expect_response(frame, "aws.greengrass#ValidateAuthorizationTokenResponse");
    EXPECT_EQ(frame.body(), (nlohmann::json{{"isValid", true}}));
}

TEST_F(contract_test, operations_without_a_policy_serve_any_caller) {
    empty_state none;
    operations.add(make_operation<unauthorized_free_op>(none));
    const auto frame = answer_to("com.example.NoPolicy", "aws.greengrass#GetConfiguration", "{}");
    expect_response(frame, "aws.greengrass#GetConfigurationResponse");
    EXPECT_EQ(frame.body(), (nlohmann::json{{"componentName", "com.example.NoPolicy"}}));
}

TEST_F(contract_test, a_reply_can_come_after_the_handler_returned) {
    restart_state restarts;
    operations.add(make_operation<answers_later_op>(restarts));
    // The Greengrass CLI is trusted by the Cli service: no policy needed.
    const auto pending = call("aws.greengrass.Cli", "aws.greengrass#RestartComponent",
                              R"({"componentName":"com.example.B"})", 7);
    EXPECT_FALSE(pending.frame.has_value());
    ASSERT_TRUE(restarts.waiting.has_value());
    EXPECT_TRUE(sink->replies.empty());

    model::restart_component_response response;
    response.restartStatus = model::request_status::succeeded;
    (*restarts.waiting)(std::move(response));
    ASSERT_EQ(sink->replies.size(), 1u);
    auto& late = sink->replies.front();
    EXPECT_EQ(late.stream_id, 7);
    const auto frame =
        decode_frame(dispatch.finish(context("aws.greengrass.Cli", 7), *late.op, std::move(late.reply)));
    expect_response(frame, "aws.greengrass#RestartComponentResponse");
    EXPECT_EQ(frame.meta.flags, protocol::rpc::flag_terminate_stream);
    EXPECT_EQ(frame.meta.stream_id, 7);
    EXPECT_EQ(frame.body(), (nlohmann::json{{"restartStatus", "SUCCEEDED"}}));
}

TEST_F(contract_test, a_reply_never_given_becomes_a_service_error) {
    restart_state restarts;
    operations.add(make_operation<answers_later_op>(restarts));
    call("greengrass-cli#user-1000", "aws.greengrass#RestartComponent", R"({"componentName":"x"})");
    ASSERT_TRUE(restarts.waiting.has_value());
    restarts.waiting.reset();
    ASSERT_EQ(sink->replies.size(), 1u);
    auto& late = sink->replies.front();
    const auto frame = decode_frame(dispatch.finish(context("x"), *late.op, std::move(late.reply)));
    expect_error(frame, "aws.greengrass#ServiceError", "RestartComponent ended without an answer");
}

TEST_F(contract_test, a_reply_to_a_closed_connection_is_dropped) {
    restart_state restarts;
    operations.add(make_operation<answers_later_op>(restarts));
    call("aws.greengrass.Cli", "aws.greengrass#RestartComponent", R"({"componentName":"x"})");
    sink.reset();                                              // the connection goes away
    (*restarts.waiting)(model::restart_component_response{});  // nothing to deliver to, no crash
    SUCCEED();
}

TEST_F(contract_test, blocking_work_runs_off_the_io_thread_and_answers_on_it) {
    boost::asio::io_context io{1};
    boost::asio::thread_pool pool{1};
    blocking_work work{io.get_executor(), pool};
    pool_state state{&work, {}, {}};
    operations.add(make_operation<blocking_op>(state));

    const auto pending = call("aws.greengrass.Cli", "aws.greengrass#ListComponents", "{}");
    EXPECT_FALSE(pending.frame.has_value());
    // Bounded: the pool answers in microseconds; the deadline only stops a broken test.
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    while (sink->replies.empty() && std::chrono::steady_clock::now() < deadline) {
        io.run_one_for(std::chrono::milliseconds(100));
    }
    ASSERT_EQ(sink->replies.size(), 1u);
    EXPECT_NE(state.worked_on, std::this_thread::get_id());
    EXPECT_EQ(state.answered_on, std::this_thread::get_id());
    auto& late = sink->replies.front();
    const auto frame = decode_frame(dispatch.finish(context("x"), *late.op, std::move(late.reply)));
    expect_response(frame, "aws.greengrass#ListComponentsResponse");
    EXPECT_EQ(frame.body()["components"].size(), 3u);
    pool.join();
}

TEST_F(contract_test, blocking_work_that_throws_still_answers) {
    boost::asio::io_context io{1};
    boost::asio::thread_pool pool{1};
    blocking_work work{io.get_executor(), pool};
    std::optional<std::string> failure;
    work.run([]() -> int { throw std::runtime_error("disk on fire"); },
             [&](auto result) {
                 try {
                     std::rethrow_exception(result.error());
                 } catch (const std::exception& e) {
                     failure = e.what();
                 }
             });
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    while (!failure && std::chrono::steady_clock::now() < deadline) {
        io.run_one_for(std::chrono::milliseconds(100));
    }
    EXPECT_EQ(failure, "disk on fire");
    pool.join();
}

TEST_F(contract_test, the_server_can_end_a_stream_with_or_without_an_error) {
    update_state updates;
    operations.add(make_operation<server_closed_stream_op>(updates));
    auto opened = call("com.example.A", "aws.greengrass#SubscribeToComponentUpdates", "{}", 3);
    EXPECT_FALSE(opened.terminates);
    ASSERT_NE(opened.stream, nullptr);
    expect_response(decode_frame(opened), "aws.greengrass#SubscribeToComponentUpdatesResponse");
    ASSERT_TRUE(updates.subscriber.has_value());

    model::component_update_policy_events event;
    event.postUpdateEvent = model::post_component_update_event{"deployment-1"};
    EXPECT_TRUE(updates.subscriber->send(event));
    ASSERT_EQ(sink->events.size(), 1u);
    EXPECT_EQ(sink->events[0].stream_id, 3);
    EXPECT_EQ(sink->events[0].shape, "aws.greengrass#ComponentUpdatePolicyEvents");
    EXPECT_EQ(nlohmann::json::parse(sink->events[0].payload),
              (nlohmann::json{{"postUpdateEvent", {{"deploymentId", "deployment-1"}}}}));

    updates.subscriber->close();
    updates.subscriber->close(model::ipc_error::service("component removed"));
    ASSERT_EQ(sink->closes.size(), 2u);
    EXPECT_EQ(sink->closes[0].stream_id, 3);
    EXPECT_FALSE(sink->closes[0].error.has_value());
    ASSERT_TRUE(sink->closes[1].error.has_value());
    EXPECT_EQ(sink->closes[1].error->message, "component removed");

    sink.reset();
    EXPECT_FALSE(updates.subscriber->send(event));  // the connection is gone: nothing, no crash
}

TEST_F(contract_test, an_operation_the_nucleus_does_not_register_refuses_every_policy) {
    empty_state none;
    operations.add(make_operation<unregistered_cli_op>(none));
    allow("com.example.A", model::service_ids::cli, {"*"}, {"*"});
    expect_error(
        answer_to("com.example.A", "aws.greengrass#CancelLocalDeployment", R"({"deploymentId":"d"})"),
        "aws.greengrass#UnauthorizedError",
        "Component aws.greengrass.Cli not registered for operation "
        "aws.greengrass#CancelLocalDeployment");
    expect_response(answer_to("greengrass-cli#user-0", "aws.greengrass#CancelLocalDeployment",
                              R"({"deploymentId":"d"})"),
                    "aws.greengrass#CancelLocalDeploymentResponse");
}

TEST_F(contract_test, a_request_that_does_not_fit_its_shape_is_the_plain_internal_error) {
    empty_state none;
    operations.add(make_operation<unauthorized_free_op>(none));
    const auto frame =
        answer_to("com.example.A", "aws.greengrass#GetConfiguration", R"({"keyPath":"a"})");
    EXPECT_EQ(frame.meta.type, 1);
    EXPECT_EQ(frame.header(":content-type"), "text/plain");
    EXPECT_EQ(frame.message.payload, "InternalServerError");
}

TEST(operation_table, derives_the_authorizer_services) {
    authorizer authz;
    register_nucleus_services(authz);
    for (const auto& op : model::greengrass_operations()) {
        if (!op.auth.checks_policy()) continue;
        EXPECT_EQ(authz.is_registered(op.auth.service_id, op.name), op.auth.registered) << op.name;
        EXPECT_EQ(authz.syntax_of(op.auth.service_id), model::syntax_of_service(op.auth.service_id));
    }
    EXPECT_FALSE(authz.is_registered(model::service_ids::cli, "aws.greengrass#CancelLocalDeployment"));
    EXPECT_EQ(authz.syntax_of(model::service_ids::mqttproxy), model::resource_syntax::mqtt);
    EXPECT_EQ(model::policy_service_ids.second, 8u);
}

}  // namespace
}  // namespace standin::server
