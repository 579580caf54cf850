// SPDX-License-Identifier: Apache-2.0
// The device's connection to a real MQTT broker, as iot_core uses it in place of the loopback.
// Implemented over libmosquitto (mosquitto_connection.hpp); an interface so that iot_core's
// subscription and offline rules are independent of the client library.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "iotcore/mqtt_message.hpp"

namespace standin::server::iotcore {

class broker_connection {
public:
    // Called on the I/O thread.
    struct events {
        std::function<void()> connected;     // CONNACK accepted: subscriptions are gone (clean start)
        std::function<void()> disconnected;  // the connection was lost
        // The SUBACK for `filter`: its MQTT 5 reason code (0-2 granted, >= 0x80 refused).
        std::function<void(const std::string& filter, int reason_code)> subscribed;
        // A PUBLISH from the broker, with the subscription identifiers it carries (empty when the
        // broker sends none).
        std::function<void(const mqtt_message&, const std::vector<std::uint32_t>& subscription_ids)>
            message;
    };

    virtual ~broker_connection() = default;

    // Starts connecting (and reconnecting whenever the connection is lost) and reports to `on`.
    virtual void start(events on) = 0;
    // Disconnects and stops reconnecting; no events after it.
    virtual void stop() = 0;
    virtual bool online() const noexcept = 0;
    // Sends a PUBLISH while online; the failure reason otherwise.
    virtual std::optional<std::string> publish(const mqtt_message& message) = 0;
    // Sends a SUBSCRIBE while online (tagged with `subscription_id`); nothing while offline, as
    // every subscription is sent again on `connected`.
    virtual void subscribe(const std::string& filter, model::qos qos, std::uint32_t subscription_id) = 0;
    virtual void unsubscribe(const std::string& filter) = 0;
};

}  // namespace standin::server::iotcore
