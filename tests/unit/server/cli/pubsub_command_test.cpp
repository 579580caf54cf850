// SPDX-License-Identifier: Apache-2.0
// What `standin pubsub pub` makes of MESSAGE and how `standin pubsub sub` prints what it receives.
#include "cli/pubsub_command.hpp"

#include <gtest/gtest.h>

namespace standin::server {
namespace {

using nlohmann::json;

TEST(pubsub_message_from_argument, json_object_becomes_a_json_message) {
    const auto message = message_from_argument(R"({"a": [1, "x"]})", false);
    ASSERT_TRUE(message.jsonMessage.has_value());
    EXPECT_FALSE(message.binaryMessage.has_value());
    EXPECT_EQ(message.jsonMessage->message, json::parse(R"({"a": [1, "x"]})"));
    EXPECT_FALSE(message.jsonMessage->context.has_value());  // the server sets the context
}

TEST(pubsub_message_from_argument, binary_keeps_the_bytes_as_given) {
    const std::string bytes{"not json \x00\xff", 11};
    const auto message = message_from_argument(bytes, true);
    ASSERT_TRUE(message.binaryMessage.has_value());
    EXPECT_FALSE(message.jsonMessage.has_value());
    EXPECT_EQ(message.binaryMessage->message->bytes, bytes);
}

TEST(pubsub_message_from_argument, anything_but_a_json_object_is_refused_with_a_hint) {
    for (const char* text : {"hello", "1", "\"quoted\"", "[1]", "null", "{\"a\":", ""}) {
        SCOPED_TRACE(text);
        try {
            (void)message_from_argument(text, false);
            ADD_FAILURE() << "accepted";
        } catch (const std::invalid_argument& e) {
            EXPECT_NE(std::string{e.what()}.find("--binary"), std::string::npos) << e.what();
        }
    }
}

TEST(pubsub_received_line, json_and_binary_messages_as_json_lines) {
    model::subscription_response_message json_message{
        .jsonMessage = model::json_message{.message = json{{"t", 21.5}},
                                           .context = model::message_context{.topic = "sensors/t"}}};
    EXPECT_EQ(received_line(json_message, false), R"({"message":{"t":21.5},"topic":"sensors/t"})");
    EXPECT_EQ(received_line(json_message, true), R"({"t":21.5})");

    model::subscription_response_message binary_message{
        .binaryMessage = model::binary_message{.message = model::blob{std::string{"\x00\x01\xff", 3}},
                                               .context = model::message_context{.topic = "b"}}};
    EXPECT_EQ(received_line(binary_message, false), R"({"binary":"AAH/","topic":"b"})");
    EXPECT_EQ(received_line(binary_message, true), std::string("\x00\x01\xff", 3));
}

TEST(pubsub_received_line, missing_members_print_as_empty_values) {
    EXPECT_EQ(received_line(model::subscription_response_message{}, false),
              R"({"message":{},"topic":""})");
    model::subscription_response_message empty_binary{.binaryMessage = model::binary_message{}};
    EXPECT_EQ(received_line(empty_binary, false), R"({"binary":"","topic":""})");
}

TEST(pubsub_received_line, invalid_utf8_in_a_string_is_replaced_not_thrown) {
    model::subscription_response_message message{
        .jsonMessage = model::json_message{.message = json{{"s", std::string{"\xff"}}},
                                           .context = model::message_context{.topic = "t"}}};
    EXPECT_EQ(received_line(message, false), "{\"message\":{\"s\":\"\xEF\xBF\xBD\"},\"topic\":\"t\"}");
}

}  // namespace
}  // namespace standin::server
