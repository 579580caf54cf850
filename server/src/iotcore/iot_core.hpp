// SPDX-License-Identifier: Apache-2.0
// AWS IoT Core as the device's components reach it through the nucleus (PublishToIoTCore,
// SubscribeToIoTCore): by default an embedded loopback broker that echoes every publish to the
// matching subscriptions with MQTT's rules and keeps retained messages; or, once connected to a
// real broker, a bridge with the nucleus MQTT client's rules (one broker subscription per distinct
// filter, resubscribed after every reconnect; QoS 0 publishes refused while offline, QoS 1 ones
// spooled and sent on reconnect).
//
// Each event's payload is built once per message and shared by every subscriber's frame; a
// subscriber whose connection is over its outbound limit has its stream closed by the connection.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <variant>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/stream_sink.hpp"
#include "iotcore/broker_connection.hpp"
#include "iotcore/mqtt_message.hpp"

namespace standin::server {

class iot_core {
public:
    // The nucleus's mqtt.maxMessageSizeInBytes default: larger payloads are refused.
    static constexpr std::size_t default_max_payload_bytes = 128 * 1024;
    // The nucleus's in-memory spooler default (spooler.maxSizeInBytes), in payload bytes.
    static constexpr std::size_t default_spool_bytes = 2'621'440;
    // Our choice: what the loopback keeps of retained payloads before it refuses more.
    static constexpr std::size_t max_retained_bytes = 8 * 1024 * 1024;

    struct subscriber {
        std::string component;
        stream_sink* writer = nullptr;  // outlives the subscription (the stream holds it)
        std::int32_t stream_id = 0;
        // The same connection, held weakly: a subscriber waiting for the broker's SUBACK may be
        // gone by then, and `writer` with it.
        std::weak_ptr<stream_sink> connection;
    };

    // Unsubscribes when destroyed, i.e. when its stream closes or its connection ends.
    class subscription final : public stream_resource {
    public:
        subscription(iot_core& owner, std::uint64_t id) : owner_(owner), id_(id) {}
        ~subscription() override;
        subscription(const subscription&) = delete;
        subscription& operator=(const subscription&) = delete;

    private:
        iot_core& owner_;
        std::uint64_t id_;
    };

    // Why a subscription was refused: the text after "failed with error " in the nucleus's
    // ServiceError, and its context (the SUBACK reason) when the broker refused it.
    struct subscribe_failure {
        std::string error;
        std::optional<nlohmann::json> context;
    };
    using subscribe_outcome = std::variant<std::unique_ptr<subscription>, subscribe_failure>;
    using subscribe_done = std::function<void(subscribe_outcome)>;

    iot_core();
    ~iot_core();
    iot_core(const iot_core&) = delete;
    iot_core& operator=(const iot_core&) = delete;

    // Replaces the loopback with `broker` and starts it. Call once, before any subscription.
    void connect_to(std::unique_ptr<iotcore::broker_connection> broker);
    // Stops and frees the broker connection (before the io_context it runs on goes); later
    // publishes and subscriptions fail as the nucleus's do once its MQTT client is shut down.
    void disconnect();

    // Publishes `message`: delivered to the matching subscriptions (loopback), sent to the broker,
    // or spooled (QoS 1 while offline). nullopt on success, else the reason, as the nucleus
    // words it after "Publish to topic <t> failed: ".
    std::optional<std::string> publish(iotcore::mqtt_message message);

    // Subscribes `who` to `filter`. `done` gets the subscription or the refusal, at once (the
    // loopback; a filter the broker already granted) or when the broker answers (after a
    // reconnect if offline). The retained messages that match are sent right after `done`
    // returns, so after the response `done` queues.
    void subscribe(const std::string& filter, model::qos qos, subscriber who, subscribe_done done);

    std::size_t subscription_count() const noexcept { return locals_.size(); }
    std::size_t spooled_count() const noexcept { return spool_.size(); }

private:
    struct waiter {
        subscriber who;
        subscribe_done done;
    };
    // One broker subscription per distinct filter, shared by every local subscription to it.
    struct filter_entry {
        std::uint32_t subscription_id = 0;
        model::qos qos = model::qos::at_most_once;
        bool granted = false;
        std::vector<waiter> waiting;       // subscribe calls waiting for the SUBACK
        std::vector<std::uint64_t> local;  // subscriptions, in subscription order
    };
    struct local_entry {
        std::string filter;
        subscriber who;
    };
    struct retained_message {
        iotcore::mqtt_message message;
        std::chrono::steady_clock::time_point stored;
    };

    void unsubscribe(std::uint64_t id);
    void forget_if_unused(std::map<std::string, filter_entry, std::less<>>::iterator it);
    void admit(const std::string& filter, filter_entry& entry, waiter w);
    void send_retained(std::uint64_t id);
    void retain(const iotcore::mqtt_message& message);
    void deliver(const iotcore::mqtt_message& message,
                 const std::vector<std::uint32_t>& subscription_ids);
    void send_to(const std::vector<std::uint64_t>& locals, const protocol::shared_payload& payload);

    void send_spooled();  // in order, while online

    // Broker events.
    void on_connected();
    void on_subscribed(const std::string& filter, int reason_code);

    std::unique_ptr<iotcore::broker_connection> broker_;
    bool shut_down_ = false;
    std::map<std::string, filter_entry, std::less<>> filters_;
    std::unordered_map<std::uint32_t, std::string> filter_by_subscription_id_;
    std::unordered_map<std::uint64_t, local_entry> locals_;
    std::uint64_t next_local_id_ = 1;
    std::uint32_t next_subscription_id_ = 1;
    std::map<std::string, retained_message, std::less<>> retained_;
    std::size_t retained_bytes_ = 0;
    std::deque<iotcore::mqtt_message> spool_;
    std::size_t spool_bytes_ = 0;
};

}  // namespace standin::server
