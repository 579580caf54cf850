// SPDX-License-Identifier: Apache-2.0
// Runs as a Greengrass component (SVCUID and the socket path in the environment): subscribes to a
// topic, publishes to it, waits for its own message, checks an error reply's type, and makes typed
// calls through the installed model.
#include <chrono>
#include <future>
#include <iostream>

#include <boost/asio/use_future.hpp>
#include <standin/client/connection.hpp>
#include <standin/protocol/rpc.hpp>

namespace client = standin::client;
using namespace std::chrono_literals;

int fail(const std::string& what) {
    std::cerr << "consumer: " << what << "\n";
    return 1;
}

int main() {
    client::connection conn;  // from the component environment
    if (auto r = conn.connect(); !r) return fail("connect: " + r.error().what());

    std::promise<nlohmann::json> received;
    bool first = true;
    auto sub = conn.subscribe("SubscribeToTopic", {{"topic", "package/test"}},
                              {[&](client::stream_event e) {
                                   if (first) received.set_value(std::move(e.body));
                                   first = false;
                               },
                               {}});
    if (!sub) return fail("subscribe: " + sub.error().what());

    nlohmann::ordered_json publish;
    publish["topic"] = "package/test";
    publish["publishMessage"]["jsonMessage"]["message"] = {{"hello", "package"}};
    auto published = conn.async_call("PublishToTopic", publish, boost::asio::use_future);
    if (published.wait_for(10s) != std::future_status::ready) return fail("no publish response");
    if (auto r = published.get(); !r) return fail("publish: " + r.error().what());

    auto event = received.get_future();
    if (event.wait_for(10s) != std::future_status::ready) return fail("no event");
    const auto body = event.get();
    if (body["jsonMessage"]["message"]["hello"] != "package") return fail("event: " + body.dump());

    // The typed API (standin::model, installed with the client): a row of the operation table.
    const auto config = conn.call(standin::model::get_configuration_request{});
    if (!config) return fail("typed GetConfiguration: " + config.error().what());
    const auto denied = conn.call<standin::model::operation<"GetSecretValue">>({.secretId = "none"});
    if (denied) return fail("expected GetSecretValue to fail");

    const auto unknown = conn.call("NoSuchOperation", nlohmann::ordered_json::object());
    if (unknown || unknown.error() != client::errc::unsupported_operation) {
        return fail("expected unsupported_operation");
    }
    static_assert(standin::protocol::rpc::protocol_version == "0.1.0");

    conn.close();
    std::cout << "consumer: ok (" << body.dump() << ")\n";
    return 0;
}
