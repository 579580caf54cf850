// SPDX-License-Identifier: Apache-2.0
#include "pubsub/broker.hpp"

#include <gtest/gtest.h>

#include "fake_sink.hpp"
#include "standin/model/codec.hpp"

namespace standin::server {
namespace {

using model::receive_mode;
using testing::fake_sink;

model::publish_message json_publish(nlohmann::json body) {
    model::publish_message message;
    message.jsonMessage = model::json_message{std::move(body), std::nullopt};
    return message;
}

model::publish_message binary_publish(std::string bytes) {
    model::publish_message message;
    message.binaryMessage = model::binary_message{model::blob{std::move(bytes)}, std::nullopt};
    return message;
}

TEST(broker, delivers_to_matching_filters_with_the_published_topic_as_context) {
    broker b;
    fake_sink w;
    auto exact = b.subscribe("a/b", {"sub", receive_mode::receive_all_messages, &w, 1});
    auto wildcard = b.subscribe("a/+", {"sub", receive_mode::receive_all_messages, &w, 2});
    auto other = b.subscribe("x/#", {"sub", receive_mode::receive_all_messages, &w, 3});

    EXPECT_EQ(b.publish("a/b", "pub", json_publish({{"v", 1}})), 2u);
    ASSERT_EQ(w.events.size(), 2u);
    for (const auto& e : w.events) {
        EXPECT_EQ(e.shape, "aws.greengrass#SubscriptionResponseMessage");
        EXPECT_EQ(
            nlohmann::json::parse(e.payload),
            nlohmann::json::parse(R"({"jsonMessage":{"message":{"v":1},"context":{"topic":"a/b"}}})"));
    }
}

TEST(broker, fan_out_shares_one_payload_buffer) {
    broker b;
    fake_sink w;
    std::vector<std::unique_ptr<broker::subscription>> subs;
    for (std::int32_t i = 1; i <= 10; ++i) {
        subs.push_back(b.subscribe("t", {"sub", receive_mode::receive_all_messages, &w, i}));
    }
    b.publish("t", "pub", json_publish({{"k", "v"}}));
    ASSERT_EQ(w.payloads.size(), 10u);
    for (const auto& p : w.payloads)
        EXPECT_EQ(p.get(), w.payloads.front().get());
}

TEST(broker, binary_messages_stay_binary_and_are_base64_encoded) {
    broker b;
    fake_sink w;
    auto s = b.subscribe("t", {"sub", receive_mode::receive_all_messages, &w, 1});
    b.publish("t", "pub", binary_publish(std::string("\x00\xff\x10", 3)));
    ASSERT_EQ(w.events.size(), 1u);
    EXPECT_EQ(nlohmann::json::parse(w.events[0].payload),
              nlohmann::json::parse(R"({"binaryMessage":{"message":"AP8Q","context":{"topic":"t"}}})"));
}

TEST(broker, the_publishers_context_is_replaced_and_a_missing_message_is_delivered_empty) {
    broker b;
    fake_sink w;
    auto s = b.subscribe("t", {"sub", receive_mode::receive_all_messages, &w, 1});
    model::publish_message spoofed;
    spoofed.jsonMessage =
        model::json_message{nlohmann::json::object(), model::message_context{"spoofed"}};
    b.publish("t", "pub", spoofed);
    model::publish_message no_json;
    no_json.jsonMessage = model::json_message{};
    b.publish("t", "pub", no_json);
    model::publish_message no_bytes;
    no_bytes.binaryMessage = model::binary_message{};
    b.publish("t", "pub", no_bytes);
    ASSERT_EQ(w.events.size(), 3u);
    EXPECT_EQ(w.events[0].payload, R"({"jsonMessage":{"message":{},"context":{"topic":"t"}}})");
    EXPECT_EQ(w.events[1].payload, R"({"jsonMessage":{"message":{},"context":{"topic":"t"}}})");
    EXPECT_EQ(w.events[2].payload, R"({"binaryMessage":{"message":"","context":{"topic":"t"}}})");
}

TEST(broker, an_empty_publish_message_is_delivered_as_an_empty_event) {
    broker b;
    fake_sink w;
    auto s = b.subscribe("t", {"sub", receive_mode::receive_all_messages, &w, 1});
    b.publish("t", "pub", model::publish_message{});
    ASSERT_EQ(w.events.size(), 1u);
    EXPECT_EQ(w.events[0].payload, "{}");
}

// The broker writes the event from the message in place; it must be byte for byte what the model
// encodes for the same event, which is what it used to send.
TEST(broker, events_are_written_exactly_as_the_model_encodes_them) {
    const std::vector<std::string> topics{"t",
                                          "a/b/c",
                                          "quote\"and\\back",
                                          "\xc3\xbcn\xc3\xaf/c\xc3\xb8"
                                          "de",
                                          "ctl\x01\n\t",
                                          std::string("bad\xff utf8")};
    std::vector<model::publish_message> messages;
    for (
        const char* text :
        {R"({})",
         R"({"z":1,"a":[1,2.5,-3e10,null,true,false,[],{}],"s":"\u00e9\"\\\n\u0001/","n":{"x":18446744073709551615}})",
         R"({"f":0.1,"g":1e300,"h":-0.0,"i":-9223372036854775808,"e":""})"}) {
        messages.push_back(json_publish(nlohmann::json::parse(text)));
    }
    messages.push_back(json_publish(nlohmann::json{{"bad", std::string("\xc3\x28 invalid UTF-8")}}));
    messages.push_back(json_publish(nlohmann::json(nullptr)));  // a null document is not set
    model::publish_message absent_json;
    absent_json.jsonMessage = model::json_message{};
    messages.push_back(absent_json);
    messages.push_back(binary_publish(std::string("\x00\xff\x10 any bytes", 14)));
    messages.push_back(binary_publish(""));
    model::publish_message absent_bytes;
    absent_bytes.binaryMessage = model::binary_message{};
    messages.push_back(absent_bytes);
    messages.push_back(model::publish_message{});

    for (const auto& topic : topics) {
        for (std::size_t i = 0; i < messages.size(); ++i) {
            const auto& message = messages[i];
            broker b;
            fake_sink w;
            auto s = b.subscribe(topic, {"sub", receive_mode::receive_all_messages, &w, 1});
            b.publish(topic, "pub", message);
            ASSERT_EQ(w.events.size(), 1u);
            model::subscription_response_message event;
            if (message.jsonMessage) {
                event.jsonMessage =
                    model::json_message{message.jsonMessage->message.value_or(nlohmann::json::object()),
                                        model::message_context{topic}};
            } else if (message.binaryMessage) {
                event.binaryMessage =
                    model::binary_message{message.binaryMessage->message.value_or(model::blob{}),
                                          model::message_context{topic}};
            }
            EXPECT_EQ(w.events[0].payload, model::encode(event)) << "message " << i << " on " << topic;
            // Queued payloads are kept whole: no slack beyond their bytes (past the inline buffer).
            const auto& bytes = w.payloads.at(0)->bytes();
            if (bytes.size() > 15) {
                EXPECT_EQ(bytes.capacity(), bytes.size()) << bytes;
            }
        }
    }
}

TEST(broker, receive_messages_from_others_skips_the_publishing_component) {
    broker b;
    fake_sink w;
    auto others = b.subscribe("t", {"me", receive_mode::receive_messages_from_others, &w, 1});
    auto all = b.subscribe("t", {"me", receive_mode::receive_all_messages, &w, 2});
    EXPECT_EQ(b.publish("t", "me", json_publish({})), 1u);
    ASSERT_EQ(w.events.size(), 1u);
    EXPECT_EQ(w.events[0].stream_id, 2);
    EXPECT_EQ(b.publish("t", "someone.else", json_publish({})), 2u);
}

TEST(broker, destroying_the_subscription_unsubscribes_and_frees_the_trie) {
    broker b;
    fake_sink w;
    const auto baseline = b.tree().node_count();
    {
        auto s = b.subscribe("a/b/c", {"sub", receive_mode::receive_all_messages, &w, 1});
        EXPECT_EQ(b.subscription_count(), 1u);
    }
    EXPECT_EQ(b.subscription_count(), 0u);
    EXPECT_EQ(b.tree().node_count(), baseline);
    EXPECT_EQ(b.publish("a/b/c", "pub", json_publish({})), 0u);
    EXPECT_TRUE(w.events.empty());
}

// A writer that closes its own subscription while receiving, as a session does on overflow.
class closing_writer final : public stream_sink {
public:
    bool send_event(std::int32_t, std::string_view, const protocol::shared_payload&) override {
        ++calls;
        held.reset();
        return false;
    }
    void close_stream(std::int32_t, std::optional<model::ipc_error>) override { held.reset(); }
    std::uint64_t connection_id() const noexcept override { return 2; }
    std::unique_ptr<broker::subscription> held;
    int calls = 0;
};

TEST(broker, a_subscriber_closed_during_fan_out_does_not_disturb_the_others) {
    broker b;
    fake_sink healthy;
    closing_writer slow;
    slow.held = b.subscribe("t", {"slow", receive_mode::receive_all_messages, &slow, 1});
    auto s = b.subscribe("t", {"ok", receive_mode::receive_all_messages, &healthy, 1});
    EXPECT_EQ(b.publish("t", "pub", json_publish({})), 1u);
    EXPECT_EQ(slow.calls, 1);
    EXPECT_EQ(healthy.events.size(), 1u);
    EXPECT_EQ(b.subscription_count(), 1u);
    b.publish("t", "pub", json_publish({}));
    EXPECT_EQ(slow.calls, 1);
    EXPECT_EQ(healthy.events.size(), 2u);
}

}  // namespace
}  // namespace standin::server
