// SPDX-License-Identifier: Apache-2.0
// Example: publish one JSON message on local pub/sub, as a Greengrass component.
//
// Run it with a component's environment (SVCUID and the socket path), e.g.
//   eval "$(standin env --root .standin com.example.Publisher)"
//   ./example_publish sensors/t '{"t": 21.5}'
#include <iostream>

#include <standin/client/connection.hpp>

namespace model = standin::model;

int main(int argc, char** argv) {
    const std::string topic = argc > 1 ? argv[1] : "examples/hello";
    const std::string text = argc > 2 ? argv[2] : R"({"hello": "world"})";

    // The connection takes its socket and token from the component environment.
    standin::client::connection conn;
    if (auto r = conn.connect(); !r) {
        std::cerr << "connect: " << r.error() << '\n';
        return 1;
    }

    // The request is the model's type; the operation (PublishToTopic) follows from it.
    model::publish_to_topic_request request{.topic = topic};
    request.publishMessage.emplace().jsonMessage =
        model::json_message{.message = nlohmann::json::parse(text)};
    if (auto r = conn.call(request); !r) {
        // A typed error: r.error().code is errc::unauthorized_error, errc::service_error, ...
        std::cerr << "publish: " << r.error() << '\n';
        return 1;
    }
    std::cout << "published to " << topic << '\n';
    return 0;
}
