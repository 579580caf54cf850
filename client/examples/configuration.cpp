// SPDX-License-Identifier: Apache-2.0
// Example: read a component's configuration, update it, and read it back.
//
//   eval "$(standin env --root .standin com.example.Sensor)"
//   ./example_configuration interval 10
#include <ctime>
#include <iostream>

#include <standin/client/connection.hpp>

namespace model = standin::model;

int main(int argc, char** argv) {
    const std::string key = argc > 1 ? argv[1] : "exampleKey";
    const std::string value = argc > 2 ? argv[2] : "exampleValue";

    standin::client::connection conn;
    if (auto r = conn.connect(); !r) {
        std::cerr << "connect: " << r.error() << '\n';
        return 1;
    }

    // Without componentName, GetConfiguration reads the caller's own configuration.
    auto before = conn.call(model::get_configuration_request{.keyPath = model::key_path{}});
    if (!before) {
        std::cerr << "get: " << before.error() << '\n';
        return 1;
    }
    std::cout << "before: " << before->value.value_or(nlohmann::json::object()).dump() << '\n';

    // UpdateConfiguration merges valueToMerge at keyPath; a component may update only its own.
    model::update_configuration_request update{
        .keyPath = model::key_path{},
        .timestamp = model::timestamp{static_cast<double>(std::time(nullptr))},
        .valueToMerge = nlohmann::json{{key, value}}};
    if (auto r = conn.call(update); !r) {
        std::cerr << "update: " << r.error() << '\n';
        return 1;
    }

    auto after = conn.call(model::get_configuration_request{.keyPath = model::key_path{key}});
    if (!after) {
        std::cerr << "get: " << after.error() << '\n';
        return 1;
    }
    std::cout << "after: " << key << " = " << after->value.value_or(nlohmann::json{}).dump() << '\n';
    return 0;
}
