// SPDX-License-Identifier: Apache-2.0
// The device's MQTT 5 connection to a real broker (standin serve --iot-broker), over libmosquitto
// driven from the daemon's io_context: its socket waited on as an Asio descriptor, read and written
// on readiness, keepalive from a timer; no thread of its own. Client id = the thing name, clean
// start; every lost connection is retried with a growing delay.
#pragma once

#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include <boost/asio/any_io_executor.hpp>
#include <boost/system/result.hpp>

#include "iotcore/broker_connection.hpp"

namespace standin::server::iotcore {

struct broker_settings {
    std::string url;  // as given, for log lines
    std::string host;
    int port = 1883;
    bool tls = false;  // mqtts://
    // mqtts:// only: the CA that signs the broker's certificate (else the system's), and the
    // device's certificate and key, as a device presents them to AWS IoT Core.
    std::optional<std::filesystem::path> ca_file;
    std::optional<std::filesystem::path> cert_file;
    std::optional<std::filesystem::path> key_file;
    std::string client_id;
};

// Parses "mqtt://HOST[:PORT]" (port 1883 by default) or "mqtts://HOST[:PORT]" (8883); an IPv6
// host goes in brackets. The error says what is wrong with `url`.
boost::system::result<broker_settings, std::string> parse_broker_url(std::string_view url);

// A connection that starts connecting on start(). Destroy it before its executor's io_context.
std::unique_ptr<broker_connection> make_mosquitto_connection(boost::asio::any_io_executor executor,
                                                             broker_settings settings);

}  // namespace standin::server::iotcore
