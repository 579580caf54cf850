// SPDX-License-Identifier: Apache-2.0
// Example: subscribe to a topic filter and print the first N messages, as a Greengrass component.
//
//   eval "$(standin env --root .standin com.example.Subscriber)"
//   ./example_subscribe 'sensors/#' 3
#include <condition_variable>
#include <iostream>
#include <mutex>

#include <standin/client/connection.hpp>

namespace model = standin::model;
using namespace std::chrono_literals;

int main(int argc, char** argv) {
    const std::string filter = argc > 1 ? argv[1] : "examples/#";
    const int wanted = argc > 2 ? std::stoi(argv[2]) : 1;

    standin::client::connection conn;
    if (auto r = conn.connect(); !r) {
        std::cerr << "connect: " << r.error() << '\n';
        return 1;
    }

    // Events arrive on the connection's thread, one at a time; hand them to main with a counter.
    std::mutex mutex;
    std::condition_variable cv;
    int received = 0;
    auto stream = conn.subscribe(
        model::subscribe_to_topic_request{.topic = filter},
        {[&](model::subscription_response_message m) {
             if (m.jsonMessage && m.jsonMessage->message) {
                 std::cout
                     << m.jsonMessage->context.value_or(model::message_context{}).topic.value_or("")
                     << ' ' << m.jsonMessage->message->dump() << std::endl;
             }
             std::lock_guard lock{mutex};
             ++received;
             cv.notify_all();
         },
         {}});
    if (!stream) {
        std::cerr << "subscribe: " << stream.error() << '\n';
        return 1;
    }
    // Tell whoever waits (a test, a script) that the subscription is in place.
    std::cout << "subscribed to " << filter << std::endl;

    std::unique_lock lock{mutex};
    if (!cv.wait_for(lock, 30s, [&] { return received >= wanted; })) {
        std::cerr << "subscribe: only " << received << " of " << wanted << " messages in 30 s\n";
        return 1;
    }
    return 0;  // the stream and the connection close on destruction
}
