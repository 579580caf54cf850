// SPDX-License-Identifier: Apache-2.0
// iot_core on the loopback and over a scripted broker connection: fan-out, retained messages,
// the nucleus's offline rules, one broker subscription per filter, resubscription on reconnect.
#include "iotcore/iot_core.hpp"

#include <memory>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "fake_sink.hpp"

namespace standin::server {
namespace {

using nlohmann::json;
using testing::fake_sink;

iotcore::mqtt_message message_on(std::string topic, std::string payload = "hi",
                                 model::qos qos = model::qos::at_least_once) {
    iotcore::mqtt_message m;
    m.topic = std::move(topic);
    m.payload = std::move(payload);
    m.qos = qos;
    return m;
}

// What a test does with a subscribe outcome: keep the subscription, or the refusal.
struct outcome_holder {
    std::unique_ptr<iot_core::subscription> subscription;
    std::optional<iot_core::subscribe_failure> failure;
    int calls = 0;

    iot_core::subscribe_done callback() {
        return [this](iot_core::subscribe_outcome outcome) {
            ++calls;
            if (auto* s = std::get_if<std::unique_ptr<iot_core::subscription>>(&outcome)) {
                subscription = std::move(*s);
            } else {
                failure = std::get<iot_core::subscribe_failure>(std::move(outcome));
            }
        };
    }
};

class scripted_broker final : public iotcore::broker_connection {
public:
    struct sent_subscribe {
        std::string filter;
        std::uint32_t id;
    };
    void start(events on) override { on_ = std::move(on); }
    void stop() override { up = false; }
    bool online() const noexcept override { return up; }
    std::optional<std::string> publish(const iotcore::mqtt_message& m) override {
        published.push_back(m.topic);
        return std::nullopt;
    }
    void subscribe(const std::string& filter, model::qos, std::uint32_t id) override {
        if (up) subscribes.push_back({filter, id});
    }
    void unsubscribe(const std::string& filter) override { unsubscribes.push_back(filter); }

    void connect() {
        up = true;
        on_.connected();
    }
    void drop() {
        up = false;
        on_.disconnected();
    }
    void suback(const std::string& filter, int code) { on_.subscribed(filter, code); }
    void deliver(const iotcore::mqtt_message& m, std::vector<std::uint32_t> ids) { on_.message(m, ids); }

    bool up = false;
    std::vector<std::string> published;
    std::vector<sent_subscribe> subscribes;
    std::vector<std::string> unsubscribes;

private:
    events on_;
};

class IotCoreTest : public ::testing::Test {
protected:
    iot_core::subscriber who(std::int32_t stream) { return {"com.test.A", sink_.get(), stream, sink_}; }
    json event(std::size_t i) const { return json::parse(sink_->events.at(i).payload); }

    std::shared_ptr<fake_sink> sink_ = std::make_shared<fake_sink>();
    iot_core iot_;
};

TEST_F(IotCoreTest, LoopbackDeliversToEveryMatchingSubscriptionOnce) {
    outcome_holder a, b, c;
    iot_.subscribe("t/+", model::qos::at_least_once, who(1), a.callback());
    iot_.subscribe("t/#", model::qos::at_most_once, who(2), b.callback());
    iot_.subscribe("other", model::qos::at_most_once, who(3), c.callback());
    ASSERT_TRUE(a.subscription && b.subscription && c.subscription);
    EXPECT_EQ(iot_.publish(message_on("t/x")), std::nullopt);
    ASSERT_EQ(sink_->events.size(), 2u);
    EXPECT_EQ(sink_->events[0].stream_id, 1);
    EXPECT_EQ(sink_->events[1].stream_id, 2);
    EXPECT_EQ(sink_->payloads[0], sink_->payloads[1]) << "one shared payload";
    EXPECT_EQ(
        event(0),
        (json{
            {"message",
             {{"topicName", "t/x"}, {"payload", "aGk="}, {"retain", false}, {"payloadFormat", "0"}}}}));
    a.subscription.reset();
    EXPECT_EQ(iot_.publish(message_on("t/y")), std::nullopt);
    EXPECT_EQ(sink_->events.size(), 3u);
    EXPECT_EQ(iot_.subscription_count(), 2u);
}

TEST_F(IotCoreTest, LoopbackRetainsTheLastRetainedMessagePerTopic) {
    auto first = message_on("r/1", "old");
    first.retain = true;
    auto second = message_on("r/1", "new");
    second.retain = true;
    auto other = message_on("r/2", "two");
    other.retain = true;
    EXPECT_EQ(iot_.publish(first), std::nullopt);
    EXPECT_EQ(iot_.publish(second), std::nullopt);
    EXPECT_EQ(iot_.publish(other), std::nullopt);
    outcome_holder h;
    iot_.subscribe("r/+", model::qos::at_most_once, who(1), h.callback());
    ASSERT_EQ(sink_->events.size(), 2u);
    EXPECT_EQ(event(0)["message"]["payload"], "bmV3");
    EXPECT_EQ(event(0)["message"]["retain"], true);
    EXPECT_EQ(event(1)["message"]["topicName"], "r/2");
    // An empty retained payload clears the topic.
    auto clear = message_on("r/1", "");
    clear.retain = true;
    EXPECT_EQ(iot_.publish(clear), std::nullopt);
    outcome_holder later;
    iot_.subscribe("r/1", model::qos::at_most_once, who(2), later.callback());
    EXPECT_EQ(sink_->events.size(), 3u) << "the live empty message, and nothing retained";
}

TEST_F(IotCoreTest, LoopbackRefusesWhatIoTCoreRefuses) {
    outcome_holder bad;
    iot_.subscribe("a/#/b", model::qos::at_most_once, who(1), bad.callback());
    ASSERT_TRUE(bad.failure);
    EXPECT_EQ(bad.failure->error, "TOPIC_FILTER_INVALID");
    EXPECT_EQ(bad.failure->context, (json{{"reasonCode", 143}}));
    outcome_holder empty;
    iot_.subscribe("", model::qos::at_most_once, who(2), empty.callback());
    ASSERT_TRUE(empty.failure);
    EXPECT_EQ(empty.failure->error,
              "com.aws.greengrass.mqttclient.MqttRequestException: Topic must not be empty");
    EXPECT_EQ(iot_.publish(message_on("x", std::string(iot_core::default_max_payload_bytes + 1, 'x'))),
              "The publishing message size 131073 bytes exceeds the configured limit of 131072 bytes");
    EXPECT_EQ(iot_.publish(message_on("a/+")),
              "Publish topics must not contain wildcard characters of '#' or '+'");
}

class BridgedTest : public IotCoreTest {
protected:
    void SetUp() override {
        auto broker = std::make_unique<scripted_broker>();
        broker_ = broker.get();
        iot_.connect_to(std::move(broker));
    }
    scripted_broker* broker_ = nullptr;
};

TEST_F(BridgedTest, OfflinePublishesFollowTheNucleusSpooler) {
    EXPECT_EQ(iot_.publish(message_on("q0", "x", model::qos::at_most_once)),
              "Device is offline. Dropping QoS 0 message.");
    EXPECT_EQ(iot_.publish(message_on("q1/a")), std::nullopt);
    EXPECT_EQ(iot_.publish(message_on("q1/b")), std::nullopt);
    EXPECT_EQ(iot_.spooled_count(), 2u);
    // 2.5 MiB of payloads, 128 KiB at most each.
    const std::string largest(iot_core::default_max_payload_bytes, 'x');
    for (int i = 0; i < 19; ++i) {
        EXPECT_EQ(iot_.publish(message_on("fill", largest)), std::nullopt);
    }
    EXPECT_EQ(iot_.publish(message_on("fill", largest)),
              "Message spool is full. Message could not be added.");
    EXPECT_EQ(iot_.spooled_count(), 21u);
    broker_->connect();
    ASSERT_EQ(broker_->published.size(), 21u);
    EXPECT_EQ(broker_->published[0], "q1/a");
    EXPECT_EQ(broker_->published[1], "q1/b");
    EXPECT_EQ(iot_.spooled_count(), 0u);
    EXPECT_EQ(iot_.publish(message_on("q0", "x", model::qos::at_most_once)), std::nullopt);
    EXPECT_EQ(broker_->published.size(), 22u);
}

TEST_F(BridgedTest, OneBrokerSubscriptionPerFilterAnsweredByItsSuback) {
    broker_->connect();
    outcome_holder first, second;
    iot_.subscribe("d/+", model::qos::at_least_once, who(1), first.callback());
    iot_.subscribe("d/+", model::qos::at_least_once, who(2), second.callback());
    ASSERT_EQ(broker_->subscribes.size(), 1u);
    EXPECT_EQ(first.calls + second.calls, 0) << "waiting for the SUBACK";
    broker_->suback("d/+", 1);
    EXPECT_TRUE(first.subscription && second.subscription);
    outcome_holder third;
    iot_.subscribe("d/+", model::qos::at_least_once, who(3), third.callback());
    EXPECT_TRUE(third.subscription) << "already granted: at once";
    // Routed by subscription identifier.
    broker_->deliver(message_on("d/x"), {broker_->subscribes[0].id});
    EXPECT_EQ(sink_->events.size(), 3u);
    broker_->deliver(message_on("d/x"), {999});
    EXPECT_EQ(sink_->events.size(), 3u);
    first.subscription.reset();
    second.subscription.reset();
    EXPECT_TRUE(broker_->unsubscribes.empty());
    third.subscription.reset();
    EXPECT_EQ(broker_->unsubscribes, (std::vector<std::string>{"d/+"}));
}

TEST_F(BridgedTest, RefusedSubscriptionsAndReconnects) {
    broker_->connect();
    outcome_holder denied;
    iot_.subscribe("secret/x", model::qos::at_most_once, who(1), denied.callback());
    broker_->suback("secret/x", 0x87);
    ASSERT_TRUE(denied.failure);
    EXPECT_EQ(denied.failure->error, "NOT_AUTHORIZED");

    outcome_holder kept;
    iot_.subscribe("k/#", model::qos::at_least_once, who(2), kept.callback());
    broker_->suback("k/#", 1);
    ASSERT_TRUE(kept.subscription);
    broker_->drop();
    // Offline: a new filter waits for the connection, and every filter is subscribed again then.
    outcome_holder waiting;
    iot_.subscribe("w", model::qos::at_most_once, who(3), waiting.callback());
    EXPECT_EQ(waiting.calls, 0);
    broker_->subscribes.clear();
    broker_->connect();
    ASSERT_EQ(broker_->subscribes.size(), 2u);
    broker_->suback("w", 0);
    broker_->suback("k/#", 1);
    EXPECT_TRUE(waiting.subscription);
    broker_->deliver(message_on("k/1"), {});
    EXPECT_EQ(sink_->events.size(), 1u) << "without identifiers, routed by filter";
}

TEST_F(BridgedTest, ASubscriberGoneBeforeTheSubackIsForgotten) {
    broker_->connect();
    {
        auto gone = std::make_shared<fake_sink>();
        outcome_holder h;
        iot_.subscribe("g", model::qos::at_most_once, {"com.test.A", gone.get(), 1, gone}, h.callback());
    }
    broker_->suback("g", 0);
    EXPECT_EQ(iot_.subscription_count(), 0u);
    EXPECT_TRUE(broker_->unsubscribes.empty() || broker_->unsubscribes == std::vector<std::string>{"g"});
}

}  // namespace
}  // namespace standin::server
