// SPDX-License-Identifier: Apache-2.0
// Request/response calls through the real daemon: a served operation, and each kind of error reply
// surfacing as its typed error with the server's message and body.
#include "client_integration_common.hpp"

namespace standin::client::integration {
namespace {

using Calls = ClientIntegration;

TEST_F(Calls, PublishSucceeds) {
    auto conn = connected(comp_a);
    const auto r = conn->call("PublishToTopic", publish_json("calls/ok", {{"a", 1}}));
    ASSERT_TRUE(r) << r.error();
    EXPECT_EQ(*r, json::object());
}

TEST_F(Calls, UnauthorizedErrorCarriesTheNucleusMessage) {
    auto conn = connected(comp_none);
    const auto r = conn->call(op_publish, publish_json("calls/denied", {{"a", 1}}));
    ASSERT_FALSE(r);
    const auto& e = r.error();
    EXPECT_EQ(e, errc::unauthorized_error) << e;
    EXPECT_TRUE(e.is_modeled());
    EXPECT_EQ(e.error_code(), "UnauthorizedError");
    EXPECT_EQ(e.shape, "aws.greengrass#UnauthorizedError");
    EXPECT_NE(e.message.find("com.client.None"), std::string::npos) << e.message;
    EXPECT_NE(e.message.find("aws.greengrass#PublishToTopic"), std::string::npos) << e.message;
    EXPECT_EQ(e.body["_errorCode"], "UnauthorizedError");
    EXPECT_EQ(e.body["_message"], e.message);
    // The connection is still usable.
    EXPECT_TRUE(conn->ping());
}

TEST_F(Calls, InvalidArgumentsError) {
    auto conn = connected(comp_a);
    const auto r = conn->call(op_publish, publish_json("calls/+/wildcard", {{"a", 1}}));
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error(), errc::invalid_arguments_error) << r.error();
    EXPECT_FALSE(r.error().message.empty());
}

TEST_F(Calls, UnknownOperationIsAFrameworkError) {
    auto conn = connected(comp_a);
    const auto r = conn->call("aws.greengrass#NoSuchOperation", nlohmann::ordered_json::object());
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error(), errc::unsupported_operation) << r.error();
    EXPECT_FALSE(r.error().is_modeled());
    EXPECT_EQ(r.error().message, "aws.greengrass#NoSuchOperation is an unsupported operation.");
}

class CallsOnLite : public ClientIntegration {
protected:
    CallsOnLite() : ClientIntegration({"--profile", "lite"}) {}
};

TEST_F(CallsOnLite, NotServedOperationIsTheNotSupportedServiceError) {
    auto conn = connected(comp_a);
    const auto r = conn->call(op_not_served, nlohmann::ordered_json::object());
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error(), errc::service_error) << r.error();
    EXPECT_EQ(r.error().message,
              std::string{"Operation "} + op_not_served + " is not supported by Greengrass");
}

TEST_F(Calls, UndecodableRequestIsInternalServerError) {
    auto conn = connected(comp_a);
    const auto r = conn->call(op_publish, nlohmann::ordered_json::array({"topic"}));
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error(), errc::internal_server_error) << r.error();
    EXPECT_EQ(r.error().message, "InternalServerError");
    EXPECT_FALSE(r.error().is_modeled());
}

TEST_F(Calls, ErrorsFromValueAreTypedExceptions) {
    auto conn = connected(comp_none);
    try {
        (void)conn->call(op_publish, publish_json("calls/denied", {{"a", 1}})).value();
        FAIL() << "no exception";
    } catch (const exception& e) {
        EXPECT_EQ(e.details(), errc::unauthorized_error);
        EXPECT_EQ(e.code(), make_error_code(errc::unauthorized_error));
    }
}

}  // namespace
}  // namespace standin::client::integration
