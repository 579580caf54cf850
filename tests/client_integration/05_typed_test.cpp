// SPDX-License-Identifier: Apache-2.0
// The typed API through the real daemon: every one of the 34 operations of the table, called with
// its row's request type (a template loop over model::operation_table), answers as the daemon serves
// it; typed publish/subscribe and configuration round trips; typed errors; completion tokens.
#include <atomic>
#include <cctype>
#include <fstream>
#include <future>
#include <iostream>
#include <map>
#include <regex>
#include <set>
#include <sstream>

#include <boost/asio/bind_executor.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_future.hpp>

#include "client_integration_common.hpp"

namespace standin::client::integration {
namespace {

namespace model = standin::model;
using Typed = ClientIntegration;

// What is served, and which served operations answer our minimal request with a modeled error of
// their own: read from the JS SDK conformance test (SERVED, SERVED_WITH_ERROR), the one list of it,
// so that both tiers move together when an operation gets served.
struct served_operations {
    std::set<std::string> ok;                       // "PublishToTopic"
    std::map<std::string, std::string> with_error;  // "SendConfigurationValidityReport" -> code
    // Served, answered with an error the row does not list (as the nucleus does: the CLI
    // operations' UnauthorizedError); the typed client still names it.
    std::map<std::string, std::string> with_unlisted_error;
};

std::string pascal(std::string method) {
    method[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(method[0])));
    return method;
}

// The quoted words between `marker` and the next "]);" of `js`, in order.
std::vector<std::string> quoted_after(const std::string& js, const std::string& marker) {
    std::vector<std::string> out;
    const auto from = js.find(marker);
    if (from == std::string::npos) return out;
    const auto to = js.find("]);", from);
    const std::string list = js.substr(from + marker.size(), to - from - marker.size());
    const std::regex word{R"('(\w+)')"};
    for (auto it = std::sregex_iterator(list.begin(), list.end(), word); it != std::sregex_iterator();
         ++it)
        out.push_back((*it)[1]);
    return out;
}

served_operations read_served() {
    std::ifstream in{STANDIN_CONFORMANCE_OPERATIONS_TEST};
    std::stringstream text;
    text << in.rdbuf();
    const std::string js = text.str();
    served_operations out;
    for (const auto& method : quoted_after(js, "const SERVED = new Set("))
        out.ok.insert(pascal(method));
    const auto pairs = quoted_after(js, "const SERVED_WITH_ERROR = new Map(");
    for (std::size_t i = 0; i + 1 < pairs.size(); i += 2)
        out.with_error[pascal(pairs[i])] = pairs[i + 1];
    const auto unlisted = quoted_after(js, "const SERVED_WITH_UNLISTED_ERROR = new Map(");
    for (std::size_t i = 0; i + 1 < unlisted.size(); i += 2)
        out.with_unlisted_error[pascal(unlisted[i])] = unlisted[i + 1];
    return out;
}

// The minimal requests of the conformance test, as wire JSON (blobs base64, timestamps in seconds),
// decoded into each row's request type.
const json& minimal_requests() {
    static const json requests = {
        {"AuthorizeClientDeviceAction",
         {{"clientDeviceAuthToken", "token"},
          {"operation", "mqtt:publish"},
          {"resource", "mqtt:topic:t"}}},
        {"CancelLocalDeployment", {{"deploymentId", "5d0b8d4e-0000-4000-8000-000000000001"}}},
        {"DeferComponentUpdate", {{"deploymentId", "5d0b8d4e-0000-4000-8000-000000000001"}}},
        {"DeleteThingShadow", {{"thingName", "thing"}}},
        {"GetClientDeviceAuthToken",
         {{"credential", {{"mqttCredential", {{"clientId", "sensor-1"}, {"certificatePem", "cert"}}}}}}},
        {"GetComponentDetails", {{"componentName", comp_a}}},
        {"GetConfiguration", {{"keyPath", json::array()}}},
        {"GetLocalDeploymentStatus", {{"deploymentId", "5d0b8d4e-0000-4000-8000-000000000001"}}},
        {"GetSecretValue", {{"secretId", "secret"}}},
        {"GetThingShadow", {{"thingName", "thing"}}},
        {"ListNamedShadowsForThing", {{"thingName", "thing"}}},
        {"PauseComponent", {{"componentName", comp_a}}},
        {"PublishToIoTCore", {{"topicName", "typed/ops"}, {"qos", "0"}}},
        {"PublishToTopic",
         {{"topic", "typed/ops"}, {"publishMessage", {{"jsonMessage", {{"message", {{"a", 1}}}}}}}}},
        {"PutComponentMetric",
         {{"metrics", json::array({{{"name", "m"}, {"unit", "COUNT"}, {"value", 1}}})}}},
        {"RestartComponent", {{"componentName", comp_a}}},
        {"ResumeComponent", {{"componentName", comp_a}}},
        {"SendConfigurationValidityReport",
         {{"configurationValidityReport",
           {{"status", "ACCEPTED"}, {"deploymentId", "5d0b8d4e-0000-4000-8000-000000000001"}}}}},
        {"StopComponent", {{"componentName", comp_a}}},
        {"SubscribeToCertificateUpdates", {{"certificateOptions", {{"certificateType", "SERVER"}}}}},
        {"SubscribeToConfigurationUpdate", {{"keyPath", json::array()}}},
        {"SubscribeToIoTCore", {{"topicName", "typed/ops"}, {"qos", "0"}}},
        {"SubscribeToTopic", {{"topic", "typed/ops"}}},
        {"UpdateConfiguration",
         {{"keyPath", json::array()}, {"timestamp", 1.0e10}, {"valueToMerge", {{"a", 1}}}}},
        {"UpdateState", {{"state", "RUNNING"}}},
        {"UpdateThingShadow", {{"thingName", "thing"}, {"payload", "e30="}}},
        {"ValidateAuthorizationToken", {{"token", "token"}}},
        {"VerifyClientDeviceIdentity", {{"credential", {{"clientDeviceCertificate", "cert"}}}}},
    };
    return requests;
}

// One row: the typed call (or subscription) with the minimal request; a failure is a typed error.
template <class Row>
std::optional<error> call_row(connection& conn) {
    const std::string short_name{model::find_operation(Row::name)->short_name()};
    const auto body = minimal_requests().value(short_name, json::object());
    const auto request = model::decode<typename Row::request>(body);
    EXPECT_TRUE(request) << short_name << ": " << request.error().message();
    if (!request) return error::make(errc::unexpected_response, "bad test request");
    if constexpr (streaming_row<Row>) {
        auto s = conn.subscribe<Row>(*request, {}, 10s);
        if (!s) return s.error();
        return std::nullopt;
    } else {
        const auto r = conn.call<Row>(*request, 10s);
        if (!r) return r.error();
        return std::nullopt;
    }
}

TEST_F(Typed, EveryOperationOfTheTableAnswersAsServed) {
    const auto served = read_served();
    ASSERT_TRUE(served.ok.contains("PublishToTopic"))
        << "could not read SERVED from " << STANDIN_CONFORMANCE_OPERATIONS_TEST;
    auto conn = connected(comp_a);
    int called = 0;
    int not_supported = 0;
    std::apply(
        [&](const auto&... rows) {
            (
                [&](const auto& row) {
                    using Row = std::remove_cvref_t<decltype(row)>;
                    const auto* info = model::find_operation(Row::name);
                    const std::string name{info->short_name()};
                    ++called;
                    const auto outcome = call_row<Row>(*conn);
                    if (served.ok.contains(name)) {
                        EXPECT_FALSE(outcome) << name << ": " << *outcome;
                    } else if (const auto it = served.with_error.find(name);
                               it != served.with_error.end()) {
                        ASSERT_TRUE(outcome) << name << " succeeded";
                        EXPECT_EQ(outcome->error_code(), it->second) << name << ": " << *outcome;
                        ASSERT_TRUE(outcome->kind()) << *outcome;
                        EXPECT_TRUE(info->errors.contains(*outcome->kind())) << name << ": " << *outcome;
                    } else if (const auto unlisted = served.with_unlisted_error.find(name);
                               unlisted != served.with_unlisted_error.end()) {
                        ASSERT_TRUE(outcome) << name << " succeeded";
                        EXPECT_EQ(outcome->error_code(), unlisted->second) << name << ": " << *outcome;
                        ASSERT_TRUE(outcome->kind()) << *outcome;
                        EXPECT_FALSE(info->errors.contains(*outcome->kind()))
                            << name << ": " << *outcome;
                    } else if (outcome && *outcome == errc::service_error &&
                               outcome->message == "Operation " + std::string{Row::name} +
                                                       " is not supported by Greengrass") {
                        ++not_supported;
                    } else {
                        // Not in SERVED, but the daemon under test serves it (an operation being
                        // landed before the conformance list names it): the outcome must still be
                        // typed, a decoded response or one of the row's modeled errors.
                        if (outcome) {
                            ASSERT_TRUE(outcome->kind()) << name << ": " << *outcome;
                            EXPECT_TRUE(info->errors.contains(*outcome->kind()))
                                << name << ": " << *outcome;
                        }
                        std::cout << "note: " << name
                                  << " is served but not in the conformance SERVED list: "
                                  << (outcome ? outcome->what() : std::string{"success"}) << '\n';
                    }
                }(rows),
                ...);
        },
        model::operation_table);
    EXPECT_EQ(called, 34);
    EXPECT_EQ(not_supported, 0);  // every operation of the model is served
    EXPECT_TRUE(conn->ping());
}

TEST_F(Typed, PublishAndSubscribeWithTheModelsTypes) {
    auto sub = connected(comp_b);
    auto pub = connected(comp_a);
    std::promise<model::subscription_response_message> received;
    std::atomic<int> count{0};
    auto s = sub->subscribe(model::subscribe_to_topic_request{.topic = "typed/#"},
                            {[&](model::subscription_response_message m) {
                                 if (count++ == 0) received.set_value(std::move(m));
                             },
                             {}});
    ASSERT_TRUE(s) << s.error();

    model::publish_to_topic_request request;
    request.topic = "typed/t";
    request.publishMessage.emplace();
    request.publishMessage->jsonMessage = model::json_message{.message = json{{"t", 21.5}}};
    const auto r = pub->call(request);
    static_assert(std::is_same_v<decltype(r), const result<model::publish_to_topic_response>>);
    ASSERT_TRUE(r) << r.error();

    auto event = received.get_future();
    ASSERT_EQ(event.wait_for(deadline), std::future_status::ready);
    const auto message = event.get();
    ASSERT_TRUE(message.jsonMessage);
    EXPECT_EQ(message.jsonMessage->message, (json{{"t", 21.5}}));
    ASSERT_TRUE(message.jsonMessage->context);
    EXPECT_EQ(message.jsonMessage->context->topic, "typed/t");
}

TEST_F(Typed, BinaryMessagesAreBytes) {
    auto sub = connected(comp_b);
    auto pub = connected(comp_a);
    std::promise<std::string> received;
    auto s = sub->subscribe<model::operation<"SubscribeToTopic">>(
        {.topic = "typed/bin"}, {[&](model::subscription_response_message m) {
                                     received.set_value(m.binaryMessage ? m.binaryMessage->message->bytes
                                                                        : std::string{"<not binary>"});
                                 },
                                 {}});
    ASSERT_TRUE(s) << s.error();
    model::publish_to_topic_request request;
    request.topic = "typed/bin";
    request.publishMessage.emplace();
    request.publishMessage->binaryMessage =
        model::binary_message{.message = model::blob{"\x01\x02 raw"}};
    ASSERT_TRUE(pub->call(request));
    auto event = received.get_future();
    ASSERT_EQ(event.wait_for(deadline), std::future_status::ready);
    EXPECT_EQ(event.get(), "\x01\x02 raw");
}

TEST_F(Typed, ConfigurationReadAndUpdate) {
    auto conn = connected(comp_a);
    model::update_configuration_request update;
    update.keyPath = model::key_path{"typed"};
    update.timestamp = model::timestamp{1.0e10};
    update.valueToMerge = json{{"interval", 5}};
    const auto updated = conn->call(update);
    ASSERT_TRUE(updated) << updated.error();

    const auto got = conn->call(model::get_configuration_request{.keyPath = model::key_path{"typed"}});
    ASSERT_TRUE(got) << got.error();
    EXPECT_EQ(got->componentName, comp_a);
    EXPECT_EQ(got->value, (json{{"interval", 5}}));
}

TEST_F(Typed, ModeledErrorsAreTypedWithTheModelsKind) {
    auto conn = connected(comp_none);
    const auto r = conn->call<model::operation<"PublishToTopic">>({.topic = "typed/denied"});
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error(), errc::unauthorized_error) << r.error();
    EXPECT_EQ(r.error().kind(), model::error_kind::unauthorized_error);
    EXPECT_TRUE(
        model::find_operation("aws.greengrass#PublishToTopic")->errors.contains(*r.error().kind()));
    EXPECT_NE(r.error().message.find("com.client.None"), std::string::npos) << r.error();
}

TEST_F(Typed, AsyncCallsTakeCompletionTokensAndKeepTheHandlersExecutor) {
    auto conn = connected(comp_a);
    model::publish_to_topic_request request;
    request.topic = "typed/async";
    request.publishMessage.emplace();
    request.publishMessage->jsonMessage = model::json_message{.message = json{{"a", 1}}};

    auto future = conn->async_call(request, boost::asio::use_future);
    ASSERT_EQ(future.wait_for(deadline), std::future_status::ready);
    const auto r = future.get();
    ASSERT_TRUE(r) << r.error();

    // A callback bound to another executor runs there.
    boost::asio::io_context other;
    auto work = boost::asio::make_work_guard(other);
    std::promise<bool> ran_on_other;
    conn->async_call<model::operation<"PublishToTopic">>(
        request, boost::asio::bind_executor(other, [&](result<model::publish_to_topic_response> reply) {
            ran_on_other.set_value(reply.has_value() && other.get_executor().running_in_this_thread());
            work.reset();
        }));
    other.run_for(deadline);
    auto ran = ran_on_other.get_future();
    ASSERT_EQ(ran.wait_for(0s), std::future_status::ready);
    EXPECT_TRUE(ran.get());

    // Subscriptions too.
    auto sub = conn->async_subscribe(model::subscribe_to_topic_request{.topic = "typed/async"},
                                     event_handler<model::subscription_response_message>{},
                                     boost::asio::use_future);
    ASSERT_EQ(sub.wait_for(deadline), std::future_status::ready);
    EXPECT_TRUE(sub.get());
}

}  // namespace
}  // namespace standin::client::integration
