// SPDX-License-Identifier: Apache-2.0
// The typed layer, without a server: rows found from request types, streaming rows told apart,
// responses and events decoded into the row's types, and what does not decode failing with
// errc::unexpected_response; the model's error kinds behind errc's modeled errors.
#include <gtest/gtest.h>

#include <boost/asio/associated_executor.hpp>
#include <boost/asio/bind_executor.hpp>
#include <boost/asio/io_context.hpp>

#include "standin/client/connection.hpp"

namespace standin::client {
namespace {

namespace model = standin::model;
using nlohmann::json;
using publish = model::operation<"PublishToTopic">;
using subscribe = model::operation<"SubscribeToTopic">;

static_assert(operation_row<publish> && !streaming_row<publish>);
static_assert(streaming_row<subscribe>);
static_assert(!operation_row<model::publish_to_topic_request>);
static_assert(operation_request<model::publish_to_topic_request>);
static_assert(!operation_request<model::subscription_response_message>);
static_assert(std::is_same_v<row_of<model::get_configuration_request>,
                             std::remove_cv_t<model::operation<"GetConfiguration">>>);

// Every request type of the table names its row.
static_assert(std::apply(
    [](const auto&... rows) {
        return (std::is_same_v<row_of<typename std::remove_cvref_t<decltype(rows)>::request>,
                               std::remove_cvref_t<decltype(rows)>> &&
                ...);
    },
    model::operation_table));

TEST(Typed, ResponseDecodes) {
    const auto r = detail::decode_response<subscribe>(json{{"topicName", "t"}, {"unknown", 1}});
    ASSERT_TRUE(r) << r.error();
    EXPECT_EQ(r->topicName, "t");
}

TEST(Typed, ResponseThatDoesNotFitIsUnexpected) {
    const auto r = detail::decode_response<subscribe>(json{{"topicName", json::array()}});
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error(), errc::unexpected_response);
    EXPECT_NE(r.error().message.find("aws.greengrass#SubscribeToTopicResponse"), std::string::npos)
        << r.error();
    EXPECT_NE(r.error().message.find("topicName"), std::string::npos) << r.error();
}

TEST(Typed, ErrorsPassThrough) {
    const auto r =
        detail::decode_response<publish>(result<json>{error::make(errc::unauthorized_error, "denied")});
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error(), errc::unauthorized_error);
}

TEST(Typed, EventOfTheRowsShapeDecodes) {
    const auto e = detail::decode_event<subscribe>({"aws.greengrass#SubscriptionResponseMessage",
                                                    json{{"jsonMessage", {{"message", {{"a", 1}}}}}}});
    ASSERT_TRUE(e.jsonMessage);
    EXPECT_EQ(e.jsonMessage->message, (json{{"a", 1}}));
}

TEST(Typed, EventOfAnotherShapeIsUnexpected) {
    try {
        (void)detail::decode_event<subscribe>({"aws.greengrass#IoTCoreMessage", json::object()});
        FAIL() << "no exception";
    } catch (const exception& e) {
        EXPECT_EQ(e.details(), errc::unexpected_response);
        EXPECT_NE(e.details().message.find("aws.greengrass#IoTCoreMessage"), std::string::npos);
    }
    EXPECT_THROW((void)detail::decode_event<subscribe>(
                     {"aws.greengrass#SubscriptionResponseMessage", json{{"jsonMessage", 1}}}),
                 exception);
}

TEST(Typed, ConvertingHandlerKeepsTheAssociatedExecutor) {
    boost::asio::io_context io;
    auto handler = detail::convert_with(boost::asio::bind_executor(io, [](int) {}),
                                        [](const std::string& s) { return static_cast<int>(s.size()); });
    EXPECT_TRUE(boost::asio::get_associated_executor(handler) == io.get_executor());
}

TEST(Typed, ModeledErrcsAreTheModelsKinds) {
    EXPECT_EQ(to_errc(model::error_kind::service_error), errc::service_error);
    EXPECT_EQ(to_errc(model::error_kind::invalid_client_device_auth_token_error),
              errc::invalid_client_device_auth_token_error);
    for (int i = 0; i <= static_cast<int>(model::error_kind::invalid_client_device_auth_token_error);
         ++i) {
        const auto kind = static_cast<model::error_kind>(i);
        EXPECT_EQ(modeled_error_from_name(model::error_code(kind)), to_errc(kind));
        EXPECT_EQ(make_error_code(to_errc(kind)).message(), model::error_code(kind));
        EXPECT_EQ(error::make(to_errc(kind), "m").kind(), kind);
    }
    EXPECT_EQ(error::make(errc::other_modeled_error, "m").kind(), std::nullopt);
    EXPECT_EQ(error::make(errc::timeout, "m").kind(), std::nullopt);
}

}  // namespace
}  // namespace standin::client
