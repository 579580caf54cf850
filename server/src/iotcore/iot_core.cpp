// SPDX-License-Identifier: Apache-2.0
#include "iotcore/iot_core.hpp"

#include <algorithm>
#include <utility>

#include "iotcore/mqtt_topic.hpp"
#include "util/log.hpp"

namespace standin::server {

namespace {

constexpr std::string_view event_shape = "aws.greengrass#IoTCoreMessage";

const std::shared_ptr<spdlog::logger>& iotcore_log() {
    static const auto instance = logger("iotcore");
    return instance;
}

// SubAckPacket.SubAckReasonCode names, which the nucleus puts in its ServiceError.
std::string suback_reason_name(int code) {
    switch (code) {
        case 0x80:
            return "UNSPECIFIED_ERROR";
        case 0x83:
            return "IMPLEMENTATION_SPECIFIC_ERROR";
        case 0x87:
            return "NOT_AUTHORIZED";
        case 0x8F:
            return "TOPIC_FILTER_INVALID";
        case 0x91:
            return "PACKET_IDENTIFIER_IN_USE";
        case 0x97:
            return "QUOTA_EXCEEDED";
        case 0x9E:
            return "SHARED_SUBSCRIPTIONS_NOT_SUPPORTED";
        case 0xA1:
            return "SUBSCRIPTION_IDENTIFIERS_NOT_SUPPORTED";
        case 0xA2:
            return "WILDCARD_SUBSCRIPTIONS_NOT_SUPPORTED";
        default:
            return "UNSPECIFIED_ERROR";
    }
}

constexpr int topic_filter_invalid = 0x8F;

iot_core::subscribe_failure refused(int reason_code) {
    return {suback_reason_name(reason_code), nlohmann::json{{"reasonCode", reason_code}}};
}

bool granted(int reason_code) {
    return reason_code >= 0 && reason_code <= 2;
}

}  // namespace

iot_core::subscription::~subscription() {
    owner_.unsubscribe(id_);
}

iot_core::iot_core() = default;
iot_core::~iot_core() = default;

void iot_core::connect_to(std::unique_ptr<iotcore::broker_connection> broker) {
    broker_ = std::move(broker);
    broker_->start({
        .connected = [this] { on_connected(); },
        .disconnected = [] {},
        .subscribed = [this](const std::string& filter, int code) { on_subscribed(filter, code); },
        .message = [this](const iotcore::mqtt_message& message,
                          const std::vector<std::uint32_t>& ids) { deliver(message, ids); },
    });
}

void iot_core::disconnect() {
    if (!broker_) return;
    broker_->stop();
    broker_.reset();
    shut_down_ = true;
}

std::optional<std::string> iot_core::publish(iotcore::mqtt_message message) {
    if (shut_down_) return "MQTT client is shut down";
    // MqttClient.publish's order: size, topic, then the offline rules.
    if (message.payload.size() > default_max_payload_bytes) {
        return "The publishing message size " + std::to_string(message.payload.size()) +
               " bytes exceeds the configured limit of " + std::to_string(default_max_payload_bytes) +
               " bytes";
    }
    if (auto invalid = iotcore::validate_topic(message.topic, iotcore::topic_use::publish)) {
        iotcore_log()->error("invalid publish request on topic {}: {}", message.topic, *invalid);
        return invalid;
    }
    if (!broker_) {
        if (message.retain) {
            const std::size_t held = retained_bytes_ + message.payload.size();
            if (held > max_retained_bytes) {
                return "The loopback IoT Core holds its limit of " + std::to_string(max_retained_bytes) +
                       " bytes of retained messages";
            }
            retain(message);
        }
        deliver(message, {});
        return std::nullopt;
    }
    if (broker_->online()) {
        send_spooled();  // what a connection lost mid-drain left behind goes first
        if (spool_.empty()) return broker_->publish(message);
    }
    if (!broker_->online() && message.qos == model::qos::at_most_once) {
        return "Device is offline. Dropping QoS 0 message.";
    }
    // QoS 1 while offline, or anything queued behind earlier spooled messages: kept in order.
    if (message.payload.size() > default_spool_bytes) {
        return "Message is larger than the size of message spool.";
    }
    if (spool_bytes_ + message.payload.size() > default_spool_bytes) {
        return "Message spool is full. Message could not be added.";
    }
    spool_bytes_ += message.payload.size();
    spool_.push_back(std::move(message));
    return std::nullopt;
}

void iot_core::subscribe(const std::string& filter, model::qos qos, subscriber who,
                         subscribe_done done) {
    if (shut_down_) {
        done(subscribe_failure{
            "com.aws.greengrass.mqttclient.MqttRequestException: MQTT client is shut down",
            std::nullopt});
        return;
    }
    if (auto invalid = iotcore::validate_topic(filter, iotcore::topic_use::subscribe)) {
        iotcore_log()->error("unable to subscribe to topic {}: {}", filter, *invalid);
        done(subscribe_failure{"com.aws.greengrass.mqttclient.MqttRequestException: " + *invalid,
                               std::nullopt});
        return;
    }
    // IoT Core refuses a malformed filter in its SUBACK; the loopback does the same, and a real
    // broker is never sent one (libmosquitto refuses it before sending).
    if (!iotcore::is_valid_filter(filter)) {
        done(refused(topic_filter_invalid));
        return;
    }
    auto [it, inserted] = filters_.try_emplace(filter);
    filter_entry& entry = it->second;
    if (inserted) {
        entry.subscription_id = next_subscription_id_++;
        entry.qos = qos;
        filter_by_subscription_id_.emplace(entry.subscription_id, filter);
        if (!broker_) entry.granted = true;
    }
    if (entry.granted) {
        admit(filter, entry, {std::move(who), std::move(done)});
        return;
    }
    entry.waiting.push_back({std::move(who), std::move(done)});
    if (inserted && broker_) broker_->subscribe(filter, qos, entry.subscription_id);
}

void iot_core::admit(const std::string& filter, filter_entry& entry, waiter w) {
    const std::uint64_t id = next_local_id_++;
    entry.local.push_back(id);
    locals_.emplace(id, local_entry{filter, std::move(w.who)});
    w.done(std::make_unique<subscription>(*this, id));
    // The broker sends its own retained messages after the SUBACK; the loopback's are sent here.
    if (!broker_) send_retained(id);
}

void iot_core::unsubscribe(std::uint64_t id) {
    const auto local = locals_.find(id);
    if (local == locals_.end()) return;
    const auto it = filters_.find(local->second.filter);
    locals_.erase(local);
    if (it == filters_.end()) return;
    filter_entry& entry = it->second;
    std::erase(entry.local, id);
    forget_if_unused(it);
}

void iot_core::forget_if_unused(std::map<std::string, filter_entry, std::less<>>::iterator it) {
    const filter_entry& entry = it->second;
    if (!entry.local.empty() || !entry.waiting.empty()) return;
    if (broker_ && entry.granted) broker_->unsubscribe(it->first);
    filter_by_subscription_id_.erase(entry.subscription_id);
    filters_.erase(it);
}

void iot_core::retain(const iotcore::mqtt_message& message) {
    if (const auto it = retained_.find(message.topic); it != retained_.end()) {
        retained_bytes_ -= it->second.message.payload.size();
        retained_.erase(it);
    }
    // A retained message with an empty payload clears the topic and is not kept (MQTT 5 §3.3.1.3).
    if (message.payload.empty()) return;
    retained_bytes_ += message.payload.size();
    retained_.emplace(message.topic, retained_message{message, std::chrono::steady_clock::now()});
}

void iot_core::send_retained(std::uint64_t id) {
    const auto local = locals_.find(id);
    if (local == locals_.end()) return;  // the reply went nowhere: the stream is gone
    // Copies: an event that overflows the connection closes the stream, which unsubscribes.
    const std::string filter = local->second.filter;
    const subscriber who = local->second.who;
    // Shared subscriptions get no retained messages (MQTT 5 §4.8.2).
    if (iotcore::effective_filter(filter) != filter) return;
    const auto now = std::chrono::steady_clock::now();
    std::vector<std::string> expired;
    for (const auto& [topic, kept] : retained_) {
        if (!iotcore::filter_matches(filter, topic)) continue;
        iotcore::mqtt_message message = kept.message;
        if (auto& expiry = message.message_expiry_interval_seconds; expiry && *expiry >= 0) {
            const auto age = std::chrono::duration_cast<std::chrono::seconds>(now - kept.stored).count();
            if (age >= *expiry) {
                expired.push_back(topic);
                continue;
            }
            *expiry -= age;  // the broker forwards the time left (MQTT 5 §3.3.2.3.3)
        }
        const auto payload = protocol::make_payload(iotcore::iot_core_message_json(message));
        if (!locals_.contains(id)) break;  // closed for overflow by the previous event
        who.writer->send_event(who.stream_id, event_shape, payload);
    }
    for (const auto& topic : expired) {
        retained_bytes_ -= retained_.at(topic).message.payload.size();
        retained_.erase(topic);
    }
}

void iot_core::deliver(const iotcore::mqtt_message& message,
                       const std::vector<std::uint32_t>& subscription_ids) {
    std::vector<std::uint64_t> targets;
    if (!subscription_ids.empty()) {
        for (const auto sub_id : subscription_ids) {
            const auto name = filter_by_subscription_id_.find(sub_id);
            if (name == filter_by_subscription_id_.end()) continue;
            const auto& local = filters_.at(name->second).local;
            targets.insert(targets.end(), local.begin(), local.end());
        }
    } else {
        for (const auto& [filter, entry] : filters_) {
            if (entry.granted &&
                iotcore::filter_matches(iotcore::effective_filter(filter), message.topic))
                targets.insert(targets.end(), entry.local.begin(), entry.local.end());
        }
    }
    // In subscription order, whichever filters matched.
    std::sort(targets.begin(), targets.end());
    if (targets.empty()) {
        if (broker_) iotcore_log()->debug("message on {} matches no subscription", message.topic);
        return;
    }
    send_to(targets, protocol::make_payload(iotcore::iot_core_message_json(message)));
}

void iot_core::send_to(const std::vector<std::uint64_t>& targets,
                       const protocol::shared_payload& payload) {
    for (const auto id : targets) {
        const auto it = locals_.find(id);
        if (it == locals_.end()) continue;  // closed by an earlier delivery's overflow
        // Copy what we need: send_event may close this very subscription.
        const subscriber who = it->second.who;
        who.writer->send_event(who.stream_id, event_shape, payload);
    }
}

void iot_core::on_connected() {
    // A clean start: the broker remembers nothing, so every filter is subscribed again, then the
    // spooled messages go out in order.
    for (auto& [filter, entry] : filters_) {
        broker_->subscribe(filter, entry.qos, entry.subscription_id);
    }
    if (!spool_.empty()) iotcore_log()->info("sending {} spooled message(s)", spool_.size());
    send_spooled();
}

void iot_core::send_spooled() {
    while (!spool_.empty() && broker_->online()) {
        iotcore::mqtt_message message = std::move(spool_.front());
        spool_.pop_front();
        spool_bytes_ -= message.payload.size();
        if (auto failed = broker_->publish(message)) {
            iotcore_log()->error("spooled message on {} not sent: {}", message.topic, *failed);
        }
    }
}

void iot_core::on_subscribed(const std::string& filter, int reason_code) {
    if (!granted(reason_code)) {
        iotcore_log()->error("the broker refused the subscription to {}: reason code {}", filter,
                             reason_code);
        const auto it = filters_.find(filter);
        if (it == filters_.end()) return;
        std::vector<waiter> waiting = std::exchange(it->second.waiting, {});
        if (it->second.local.empty()) {
            filter_by_subscription_id_.erase(it->second.subscription_id);
            filters_.erase(it);
        }
        for (auto& w : waiting)
            w.done(refused(reason_code));
        return;
    }
    // One waiter at a time, looked up again each time: admitting one whose caller is gone
    // unsubscribes it, which erases the entry once nothing else holds it.
    while (true) {
        const auto it = filters_.find(filter);
        if (it == filters_.end()) return;
        filter_entry& entry = it->second;
        entry.granted = true;
        if (entry.waiting.empty()) {
            forget_if_unused(it);  // every waiter had left
            return;
        }
        waiter w = std::move(entry.waiting.front());
        entry.waiting.erase(entry.waiting.begin());
        if (w.who.connection.expired()) continue;
        admit(it->first, entry, std::move(w));
    }
}

}  // namespace standin::server
