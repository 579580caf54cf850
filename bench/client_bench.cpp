// SPDX-License-Identifier: Apache-2.0
// standin_client_bench: what the C++ client library (standin::client) adds to a request/response
// round trip, against the raw-frame floor measured in the same run on the same daemon.
//
// Every phase makes PublishToTopic calls with a JSON message of --body-bytes on a topic nobody
// subscribes to, one at a time, each waiting for its response:
//   1. raw frames: the test harness's raw client, request frame encoded per call, blocking reads
//      on the socket in the calling thread (the floor: no client library at all);
//   2. client, blocking: connection::call with a typed request from the calling thread (the
//      library's I/O thread does the socket work; the caller waits on the result);
//   3. client, asynchronous: async_call with a callback that issues the next call, all on the
//      connection's own thread (no hand-off between threads).
// The clock starts before the request is built, so building and encoding are part of what is paid.
// It prints figures only; the one failure is a call that fails.
#include <condition_variable>
#include <cstdio>
#include <exception>
#include <functional>
#include <iostream>
#include <mutex>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include "bench_support.hpp"
#include "standin/client/connection.hpp"

using namespace standin::bench;
namespace client = standin::client;
namespace model = standin::model;

namespace {

constexpr std::string_view component = "bench.Client";
constexpr std::string_view topic = "bench/client";
constexpr auto stall_timeout = std::chrono::seconds(20);

struct options {
    int calls = 20'000;
    int warmup = 2'000;
    std::size_t body_bytes = 128;
    bool json = false;
};

// The typed request the client phases send: the same JSON message as the raw phase.
model::publish_to_topic_request publish_request(std::int64_t seq, std::int64_t sent_ns,
                                                std::size_t body_bytes) {
    return {.topic = std::string{topic},
            .publishMessage = model::publish_message{
                .jsonMessage = model::json_message{
                    .message = nlohmann::json::parse(json_message_body(seq, sent_ns, body_bytes))}}};
}

latency_summary run_raw(const std::string& socket, const std::string& token, const options& opt) {
    raw_client c = connect_client(socket, token, steady::now() + stall_timeout);
    std::vector<std::int64_t> samples;
    samples.reserve(static_cast<std::size_t>(opt.calls));
    for (int i = 0; i < opt.warmup + opt.calls; ++i) {
        const auto stream = c.next_stream_id();
        const auto t0 = now_ns();
        send_bytes(c, encode_request(stream, "aws.greengrass#PublishToTopic",
                                     publish_payload(topic, i, t0, opt.body_bytes)));
        expect_application_message(next_message(c, steady::now() + stall_timeout), stream,
                                   "PublishToTopic response");
        if (i >= opt.warmup) samples.push_back(now_ns() - t0);
    }
    return summarize(std::move(samples));
}

client::connection connect_library_client(const std::string& socket, const std::string& token) {
    client::connection_config config;
    config.socket_path = socket;
    config.auth_token = token;
    config.call_timeout = std::chrono::duration_cast<std::chrono::milliseconds>(stall_timeout);
    client::connection conn{std::move(config)};
    if (auto connected = conn.connect(); !connected) {
        throw std::runtime_error("client connect: " + connected.error().what());
    }
    return conn;
}

latency_summary run_blocking(const std::string& socket, const std::string& token, const options& opt) {
    auto conn = connect_library_client(socket, token);
    std::vector<std::int64_t> samples;
    samples.reserve(static_cast<std::size_t>(opt.calls));
    for (int i = 0; i < opt.warmup + opt.calls; ++i) {
        const auto t0 = now_ns();
        const auto response = conn.call(publish_request(i, t0, opt.body_bytes));
        if (!response) throw std::runtime_error("PublishToTopic: " + response.error().what());
        if (i >= opt.warmup) samples.push_back(now_ns() - t0);
    }
    return summarize(std::move(samples));
}

latency_summary run_async(const std::string& socket, const std::string& token, const options& opt) {
    auto conn = connect_library_client(socket, token);
    std::vector<std::int64_t> samples;
    samples.reserve(static_cast<std::size_t>(opt.calls));
    std::mutex mutex;
    std::condition_variable finished;
    bool done = false;
    std::optional<std::string> failure;
    const int total = opt.warmup + opt.calls;
    // Each completion records its sample and starts the next call, on the connection's thread.
    std::function<void(int)> next = [&](int i) {
        const auto t0 = now_ns();
        conn.async_call(publish_request(i, t0, opt.body_bytes),
                        [&, i, t0](client::result<model::publish_to_topic_response> response) {
                            if (!response || i + 1 == total) {
                                if (!response) failure = response.error().what();
                                if (response && i >= opt.warmup) samples.push_back(now_ns() - t0);
                                std::lock_guard lock{mutex};
                                done = true;
                                finished.notify_all();
                                return;
                            }
                            if (i >= opt.warmup) samples.push_back(now_ns() - t0);
                            next(i + 1);
                        });
    };
    next(0);
    std::unique_lock lock{mutex};
    if (!finished.wait_for(lock, stall_timeout * 10, [&] { return done; })) {
        throw std::runtime_error("asynchronous calls stalled");
    }
    if (failure) throw std::runtime_error("PublishToTopic: " + *failure);
    return summarize(std::move(samples));
}

}  // namespace

int main(int argc, char** argv) {
    options opt;
    CLI::App app{"standin_client_bench: the C++ client's round trip against the raw-frame floor"};
    app.add_option("--calls", opt.calls, "measured calls per phase")->check(CLI::PositiveNumber);
    app.add_option("--warmup", opt.warmup, "unmeasured calls before each phase")
        ->check(CLI::NonNegativeNumber);
    app.add_option("--body-bytes", opt.body_bytes, "size of the published JSON message");
    app.add_flag("--json", opt.json, "print one JSON object instead of a table");
    CLI11_PARSE(app, argc, argv);

    try {
        standin::test::daemon_config config;
        config.recipes.push_back(open_recipe(std::string{component}));
        standin::test::daemon_process daemon{config};
        const auto& token = daemon.token(std::string{component});
        const auto raw = run_raw(daemon.socket_path(), token, opt);
        const auto blocking = run_blocking(daemon.socket_path(), token, opt);
        const auto async = run_async(daemon.socket_path(), token, opt);
        if (const auto code = daemon.stop(); code != 0) {
            std::cerr << "standin_client_bench: the daemon exited with " << code.value_or(-1) << '\n'
                      << daemon.stderr_text();
            return 1;
        }

        const auto ratio = [&](double v) { return raw.p50_us > 0 ? v / raw.p50_us : 0; };
        if (opt.json) {
            const nlohmann::ordered_json doc = {
                {"body_bytes", opt.body_bytes},
                {"calls", opt.calls},
                {"raw_rr_p50_us", raw.p50_us},
                {"raw_rr_p99_us", raw.p99_us},
                {"client_rr_p50_us", blocking.p50_us},
                {"client_rr_p99_us", blocking.p99_us},
                {"client_rr_p50_ratio", ratio(blocking.p50_us)},
                {"client_async_rr_p50_us", async.p50_us},
                {"client_async_rr_p99_us", async.p99_us},
                {"client_async_rr_p50_ratio", ratio(async.p50_us)},
            };
            std::cout << doc.dump() << '\n';
            return 0;
        }
        std::printf("PublishToTopic round trip, %zu-byte JSON message, %d calls per phase\n",
                    opt.body_bytes, opt.calls);
        std::printf("%-34s %10s %10s %10s %14s\n", "phase", "p50 us", "p99 us", "max us", "p50 vs raw");
        const auto row = [&](const char* name, const latency_summary& s) {
            std::printf("%-34s %10.1f %10.1f %10.1f %13.2fx\n", name, s.p50_us, s.p99_us, s.max_us,
                        ratio(s.p50_us));
        };
        row("raw frames (floor)", raw);
        row("client, blocking call", blocking);
        row("client, async call (own thread)", async);
        return 0;
    } catch (const std::exception& e) {
        std::cerr << "standin_client_bench: " << e.what() << '\n';
        return 1;
    }
}
