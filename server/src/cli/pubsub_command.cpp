// SPDX-License-Identifier: Apache-2.0
#include "cli/pubsub_command.hpp"

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <iostream>
#include <memory>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "cli/daemon_connection.hpp"
#include "standin/client/connection.hpp"
#include "standin/model/base64.hpp"

namespace standin::server {

namespace {

// Flags of both subcommands.
struct pubsub_flags {
    identity_flags identity;
    std::string topic;                   // pub
    std::vector<std::string> filters;    // sub
    std::optional<std::string> message;  // pub: absent = one message per line of stdin
    bool binary = false;
    unsigned count = 0;    // pub: how many times to send (default 1); sub: stop after N (0 = never)
    double timeout_s = 0;  // pub: per call (default 10 s); sub: stop after S (0 = never)
};

// Connects as the component the flags name; nullopt after printing why not.
std::optional<client::connection> connect(const pubsub_flags& flags, const char* command_name) {
    return connect_as(
        flags.identity, command_name,
        flags.timeout_s > 0 ? std::optional{to_milliseconds(flags.timeout_s)} : std::nullopt);
}

// Publishes one message; false after printing why it failed.
bool publish(client::connection& connection, const std::string& topic, model::publish_message message) {
    const auto published = connection.call(
        model::publish_to_topic_request{.topic = topic, .publishMessage = std::move(message)});
    if (!published) std::cerr << "standin pubsub pub: " << published.error() << '\n';
    return published.has_value();
}

int run_pub(const pubsub_flags& flags) {
    constexpr const char* name = "standin pubsub pub";
    std::optional<model::publish_message> message;
    try {
        if (flags.message) message = message_from_argument(*flags.message, flags.binary);
    } catch (const std::invalid_argument& e) {
        std::cerr << name << ": " << e.what() << '\n';
        return exit_usage_error;
    }
    auto connection = connect(flags, name);
    if (!connection) return exit_runtime_error;
    if (message) {
        for (unsigned sent = 0; sent < std::max(flags.count, 1u); ++sent) {
            if (!publish(*connection, flags.topic, *message)) return exit_runtime_error;
        }
        return exit_success;
    }
    // One message per line of stdin, each sent as it is read: `producer | standin pubsub pub T`
    // streams over one connection.
    unsigned line_number = 0;
    for (std::string line; std::getline(std::cin, line);) {
        ++line_number;
        if (line.empty()) continue;
        try {
            message = message_from_argument(line, flags.binary);
        } catch (const std::invalid_argument& e) {
            std::cerr << name << ": stdin line " << line_number << ": " << e.what() << '\n';
            return exit_usage_error;
        }
        if (!publish(*connection, flags.topic, std::move(*message))) return exit_runtime_error;
    }
    return exit_success;
}

int run_sub(const pubsub_flags& flags) {
    constexpr const char* name = "standin pubsub sub";
    auto connection = connect(flags, name);
    if (!connection) return exit_runtime_error;

    // Events arrive on the connection's thread, one at a time; main waits for the count, the end of
    // the stream or the timeout.
    struct progress {
        std::mutex mutex;
        std::condition_variable changed;
        unsigned received = 0;
        bool ended = false;
        std::optional<client::error> end_error;
    };
    auto state = std::make_shared<progress>();
    const unsigned wanted = flags.count;
    const bool raw = flags.binary;
    std::vector<client::stream> subscriptions;
    for (const auto& filter : flags.filters) {
        auto subscription = connection->subscribe(
            model::subscribe_to_topic_request{.topic = filter},
            client::event_handler<model::subscription_response_message>{
                [state, wanted, raw](model::subscription_response_message message) {
                    std::lock_guard lock{state->mutex};
                    if (wanted != 0 && state->received >= wanted) return;
                    std::cout << received_line(message, raw) << std::endl;  // a reader gets it at once
                    ++state->received;
                    state->changed.notify_all();
                },
                [state](std::optional<client::error> error) {
                    std::lock_guard lock{state->mutex};
                    state->ended = true;
                    state->end_error = std::move(error);
                    state->changed.notify_all();
                }});
        if (!subscription) {
            std::cerr << name << ": " << filter << ": " << subscription.error() << '\n';
            return exit_runtime_error;
        }
        subscriptions.push_back(std::move(*subscription));
        // For scripts and tests that wait until the subscription is in place (stdout is data only).
        std::cerr << "subscribed to " << filter << std::endl;
    }

    std::unique_lock lock{state->mutex};
    const auto done = [&] { return state->ended || (wanted != 0 && state->received >= wanted); };
    if (flags.timeout_s > 0) {
        state->changed.wait_for(lock, to_milliseconds(flags.timeout_s), done);
    } else {
        state->changed.wait(lock, done);
    }
    if (wanted != 0 && state->received >= wanted) return exit_success;
    if (state->ended) {
        std::cerr << name << ": the subscription ended: "
                  << (state->end_error ? state->end_error->what() : std::string{"closed by the server"})
                  << '\n';
        return exit_runtime_error;
    }
    if (wanted == 0) return exit_success;  // --timeout without --count: listen for that long
    std::cerr << name << ": received " << state->received << " of " << wanted << " messages in "
              << flags.timeout_s << " s\n";
    return exit_runtime_error;
}

}  // namespace

model::publish_message message_from_argument(std::string_view text, bool binary) {
    if (binary)
        return {.binaryMessage = model::binary_message{.message = model::blob{std::string{text}}}};
    auto parsed = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
    // The model's jsonMessage is a document, which the nucleus reads as a JSON object.
    if (parsed.is_discarded() || !parsed.is_object()) {
        throw std::invalid_argument("the message is not a JSON object: " + std::string{text} +
                                    " (send anything else as bytes with --binary)");
    }
    return {.jsonMessage = model::json_message{.message = std::move(parsed)}};
}

std::string received_line(const model::subscription_response_message& message, bool raw) {
    const auto topic_of = [](const std::optional<model::message_context>& context) {
        return context && context->topic ? *context->topic : std::string{};
    };
    if (message.binaryMessage) {
        const auto& bytes = message.binaryMessage->message.value_or(model::blob{}).bytes;
        if (raw) return bytes;
        return nlohmann::json{{"topic", topic_of(message.binaryMessage->context)},
                              {"binary", model::base64_encode(bytes)}}
            .dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    }
    const auto json = message.jsonMessage.value_or(model::json_message{});
    const auto& body = json.message.value_or(nlohmann::json::object());
    if (raw) return body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    return nlohmann::json{{"topic", topic_of(json.context)}, {"message", body}}.dump(
        -1, ' ', false, nlohmann::json::error_handler_t::replace);
}

command add_pubsub_command(CLI::App& app) {
    auto flags = std::make_shared<pubsub_flags>();
    auto* pubsub = app.add_subcommand(
        "pubsub", "Publish and subscribe on local pub/sub as a component (like greengrass-cli pubsub)");
    pubsub->require_subcommand(1);

    auto* pub = pubsub->add_subcommand("pub", "Publish MESSAGE (or each line of stdin) to TOPIC");
    add_identity_flags(*pub, flags->identity);
    pub->add_option("-t,--topic,TOPIC", flags->topic, "The topic")->required();
    pub->add_option("-m,--message,MESSAGE", flags->message,
                    "JSON (a jsonMessage), or any bytes with --binary; absent: one message per line "
                    "of stdin");
    pub->add_flag("--binary", flags->binary, "Send MESSAGE's bytes as a binaryMessage");
    pub->add_option("--count", flags->count, "Send MESSAGE this many times")->check(CLI::PositiveNumber);
    pub->add_option("--timeout", flags->timeout_s, "Seconds each publish may take (default 10)")
        ->check(CLI::PositiveNumber);

    auto* sub = pubsub->add_subcommand(
        "sub", "Subscribe to each FILTER and print every message as a JSON line on stdout");
    add_identity_flags(*sub, flags->identity);
    sub->add_option("-t,--topic,FILTER", flags->filters,
                    "Topic filters (+ and # wildcards), each its own subscription")
        ->required();
    sub->add_flag("--binary", flags->binary,
                  "Print each payload alone (the bytes of a binary message, the JSON of a JSON one)");
    sub->add_option("--count", flags->count, "Exit 0 after N messages (exit 1 if --timeout comes first)")
        ->check(CLI::PositiveNumber);
    sub->add_option("--timeout", flags->timeout_s,
                    "Stop after this many seconds (exit 0 without --count)")
        ->check(CLI::PositiveNumber);

    return {pubsub, [flags, pub] {
                if (*pub) {
                    if (flags->timeout_s == 0) flags->timeout_s = 10;
                    return run_pub(*flags);
                }
                return run_sub(*flags);
            }};
}

}  // namespace standin::server
