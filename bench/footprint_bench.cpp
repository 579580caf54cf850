// SPDX-License-Identifier: Apache-2.0
// standin_footprint_bench: what the daemon costs to start and to hold, read from /proc of a fresh
// daemon per phase (so one phase's high-water mark or heap never shows in another's figures):
//   startup        process start to ready line and daemon.json, median of --startup-runs; the idle
//                  RSS right after each ready line, median;
//   connections    --connections clients connected at once (CONNECT accepted), one of them
//                  measuring PublishToTopic round trips: RSS per connection and the p99;
//   subscriptions  one connection with --subscriptions subscriptions to distinct topics: RSS each;
//   slow           --slow-subscribers subscribers that read --slow-rate messages/s while one
//                  publisher sends as fast as the daemon answers for --slow-seconds: RSS peak
//                  (VmHWM, and VmRSS sampled) and RSS one second after every client has gone;
//   churn          --churn-cycles subscribe/unsubscribe cycles on one connection, each on a new
//                  topic: RSS growth from after the warm-up to the end.
// --phases picks some; --json prints one JSON object. Exit 1 when a phase could not measure.
#include <pthread.h>
#include <sys/resource.h>

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <deque>
#include <iostream>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include "bench_support.hpp"

using namespace standin::bench;
using standin::protocol::message;
using standin::test::daemon_config;
using standin::test::daemon_process;
namespace rpc = standin::protocol::rpc;

namespace {

struct options {
    std::string standin;
    std::set<std::string> phases{"startup", "connections", "subscriptions", "slow", "churn"};
    int startup_runs = 11;
    int connections = 1000;
    int connection_round_trips = 5000;
    int subscriptions = 5000;
    int slow_subscribers = 10;
    double slow_seconds = 3;
    double slow_rate = 2000;
    int churn_cycles = 10'000;
    int churn_warmup = 1000;
    std::size_t body_bytes = 128;
    int window = 64;
    bool json = false;
};

// Each phase's figures go here under its name; the report prints them as they are.
using figures = nlohmann::ordered_json;

long rss_kib(const daemon_process& daemon) {
    return proc_status_kib(daemon.pid(), "VmRSS");
}

template <typename T>
T median(std::vector<T> values) {
    std::sort(values.begin(), values.end());
    return values.empty() ? T{} : values[values.size() / 2];
}

daemon_config bench_daemon_config(const options& opt) {
    daemon_config config;
    config.recipes.push_back(open_recipe(std::string{publisher_component}));
    for (int i = 0; i < subscriber_components; ++i)
        config.recipes.push_back(open_recipe(subscriber_component(i)));
    config.extra_args = {"--log-level", "warn"};
    config.ready_timeout = std::chrono::seconds(30);
    config.executable = opt.standin;
    return config;
}

void stop_cleanly(daemon_process& daemon) {
    const auto exit = daemon.check_exit();
    if (!exit.ok()) throw std::runtime_error("the daemon did not stop cleanly: " + exit.describe());
}

// Sends a ping and reads until its answer: the daemon has handled everything sent before it on
// this connection. Any other message in between is an error unless `tolerate_others`.
void barrier(raw_client& client) {
    const auto others = client.ping_barrier(stall_timeout);
    if (!others) throw std::runtime_error("no PING_RESPONSE from the daemon");
}

void publish_and_wait(raw_client& client, std::string_view topic, std::int64_t seq,
                      std::size_t body_bytes) {
    const auto stream = client.next_stream_id();
    send_bytes(client, encode_request(stream, publish_operation,
                                      publish_payload(topic, seq, now_ns(), body_bytes)));
    expect_publish_response(next_message(client, stall_deadline()), stream);
}

// ---------------------------------------------------------------------------------------------

figures run_startup(const options& opt) {
    std::vector<double> startup_ms;
    std::vector<long> idle_kib;
    // The split of the idle RSS: the daemon's own memory, and the pages of its executable and
    // shared libraries it has mapped (shared with every other process using them, and counted
    // generously: the kernel maps the pages around each one a fault touches).
    std::vector<long> idle_anon_kib;
    std::vector<long> idle_file_kib;
    for (int i = 0; i < opt.startup_runs; ++i) {
        daemon_process daemon{bench_daemon_config(opt)};
        startup_ms.push_back(
            std::chrono::duration<double, std::milli>(daemon.startup_duration()).count());
        idle_kib.push_back(rss_kib(daemon));
        idle_anon_kib.push_back(proc_status_kib(daemon.pid(), "RssAnon"));
        idle_file_kib.push_back(proc_status_kib(daemon.pid(), "RssFile"));
        stop_cleanly(daemon);
    }
    return {{"runs", opt.startup_runs},
            {"startup_ms", median(startup_ms)},
            {"startup_ms_min", *std::min_element(startup_ms.begin(), startup_ms.end())},
            {"startup_ms_max", *std::max_element(startup_ms.begin(), startup_ms.end())},
            {"idle_rss_kb", median(idle_kib)},
            {"idle_rss_anon_kb", median(idle_anon_kib)},
            {"idle_rss_file_kb", median(idle_file_kib)}};
}

figures run_connections(const options& opt) {
    daemon_process daemon{bench_daemon_config(opt)};
    const auto& token = daemon.token(std::string{publisher_component});
    // The measuring client first: its connection and one publish warm the paths every client uses,
    // so the delta below is what the other connections add.
    raw_client measuring = connect_client(daemon.socket_path(), token, stall_deadline());
    publish_and_wait(measuring, "bench/conn", 0, opt.body_bytes);
    barrier(measuring);
    const auto before = rss_kib(daemon);

    std::deque<raw_client> idle;
    for (int i = 1; i < opt.connections; ++i)
        idle.push_back(connect_client(daemon.socket_path(), token, stall_deadline()));
    barrier(measuring);
    const auto held = rss_kib(daemon);

    std::vector<std::int64_t> rtt_ns;
    rtt_ns.reserve(static_cast<std::size_t>(opt.connection_round_trips));
    for (int i = 0; i < opt.connection_round_trips; ++i) {
        const auto t0 = now_ns();
        publish_and_wait(measuring, "bench/conn", i, opt.body_bytes);
        rtt_ns.push_back(now_ns() - t0);
    }
    const auto rtt = summarize(std::move(rtt_ns));

    // Closing is seen by the daemon asynchronously; a barrier on a fresh connection comes after
    // the hang-ups in its event loop in practice, not by guarantee, so this figure is indicative.
    idle.clear();
    raw_client last = connect_client(daemon.socket_path(), token, stall_deadline());
    barrier(last);
    barrier(measuring);
    const auto after = rss_kib(daemon);
    measuring.close();
    last.close();
    stop_cleanly(daemon);

    const auto per_connection_b =
        static_cast<double>(held - before) * 1024.0 / std::max(1, opt.connections - 1);
    return {{"connections", opt.connections},
            {"rss_before_kb", before},
            {"rss_held_kb", held},
            {"rss_after_close_kb", after},
            {"rss_per_connection_b", per_connection_b},
            {"conn_rr_p50_us", rtt.p50_us},
            {"conn_rr_p99_us", rtt.p99_us},
            {"conn_rr_samples", rtt.samples}};
}

figures run_subscriptions(const options& opt) {
    daemon_process daemon{bench_daemon_config(opt)};
    raw_client client =
        connect_client(daemon.socket_path(), daemon.token(subscriber_component(0)), stall_deadline());
    subscribe(client, "bench/sub/warmup");
    barrier(client);
    const auto before = rss_kib(daemon);
    // Pipelined in batches: the figure is memory, and a round trip each would only cost time.
    constexpr int batch = 100;
    for (int done = 0; done < opt.subscriptions;) {
        std::string bytes;
        std::vector<std::int32_t> streams;
        for (; static_cast<int>(streams.size()) < batch && done < opt.subscriptions; ++done) {
            streams.push_back(client.next_stream_id());
            bytes += encode_request(streams.back(), subscribe_operation,
                                    R"({"topic":"bench/sub/)" + std::to_string(done) + R"("})");
        }
        send_bytes(client, bytes);
        for (const auto stream : streams) {
            const auto meta = expect_application_message(next_message(client, stall_deadline()), stream,
                                                         "SubscribeToTopic response");
            if (meta.flags & rpc::flag_terminate_stream)
                throw std::runtime_error("SubscribeToTopic response closed the stream");
        }
    }
    barrier(client);
    const auto after = rss_kib(daemon);
    client.close();
    stop_cleanly(daemon);
    return {{"subscriptions", opt.subscriptions},
            {"rss_before_kb", before},
            {"rss_after_kb", after},
            {"rss_per_subscription_b",
             static_cast<double>(after - before) * 1024.0 / std::max(1, opt.subscriptions)}};
}

figures run_slow(const options& opt) {
    daemon_process daemon{bench_daemon_config(opt)};
    const auto idle = rss_kib(daemon);
    // The split says what stays after the load: the daemon's own memory (anonymous), or the pages
    // of code that the load ran for the first time (file-backed, shared with every other process
    // that maps the executable).
    const auto idle_anon = proc_status_kib(daemon.pid(), "RssAnon");
    const auto idle_file = proc_status_kib(daemon.pid(), "RssFile");
    const auto idle_mappings = rss_by_mapping_kib(daemon.pid());
    std::deque<raw_client> subscribers;
    std::vector<std::int32_t> streams;
    for (int i = 0; i < opt.slow_subscribers; ++i) {
        subscribers.push_back(connect_client(daemon.socket_path(), daemon.token(subscriber_component(i)),
                                             stall_deadline()));
        streams.push_back(subscribe(subscribers.back(), "bench/slow"));
    }
    raw_client publisher = connect_client(
        daemon.socket_path(), daemon.token(std::string{publisher_component}), stall_deadline());

    std::atomic<bool> load_over{false};
    std::atomic<long> sampled_peak{idle};
    std::atomic<long> received{0};
    std::atomic<int> closed_by_daemon{0};
    reader_threads readers;
    for (std::size_t i = 0; i < subscribers.size(); ++i) {
        readers.start(subscribers[i].fd(), [&, i] {
            // Reading slower than the publisher sends is the point of this phase, so the reader
            // paces itself with sleeps: a burst of messages every tick.
            constexpr auto tick = std::chrono::milliseconds(5);
            const auto per_tick = std::max(1, static_cast<int>(opt.slow_rate * 0.005));
            auto next = steady::now();
            while (!load_over.load()) {
                for (int k = 0; k < per_tick && !load_over.load(); ++k) {
                    auto msg = subscribers[i].read_message(std::chrono::milliseconds{20});
                    if (!msg) {
                        if (subscribers[i].eof() || subscribers[i].framing_error()) return;
                        continue;
                    }
                    const auto meta = metadata_of(*msg);
                    if (meta.stream_id == streams[i] && (meta.flags & rpc::flag_terminate_stream)) {
                        ++closed_by_daemon;  // the daemon's slow-subscriber policy ended the stream
                        return;
                    }
                    ++received;
                }
                next += tick;
                std::this_thread::sleep_until(next);
            }
        });
    }
    // VmHWM is the exact peak; the samples show the curve's top as a reader of /proc sees it.
    std::thread sampler([&] {
        while (!load_over.load()) {
            const auto now = rss_kib(daemon);
            if (now > sampled_peak.load()) sampled_peak.store(now);
            std::this_thread::sleep_for(std::chrono::milliseconds(10));
        }
    });

    const auto start = steady::now();
    const auto end = start + std::chrono::duration_cast<steady::duration>(
                                 std::chrono::duration<double>(opt.slow_seconds));
    int sent = 0;
    int answered = 0;
    std::string batch;
    try {
        while (steady::now() < end || answered < sent) {
            batch.clear();
            for (; steady::now() < end && sent - answered < opt.window; ++sent) {
                batch += encode_request(publisher.next_stream_id(), publish_operation,
                                        publish_payload("bench/slow", sent, now_ns(), opt.body_bytes));
            }
            if (!batch.empty()) send_bytes(publisher, batch);
            if (answered < sent) {
                next_message(publisher, stall_deadline());
                ++answered;
                while (publisher.take_buffered())
                    ++answered;
            }
        }
    } catch (...) {
        load_over = true;
        sampler.join();
        throw;
    }
    const auto load_s = seconds_between(start, steady::now());
    load_over = true;
    sampler.join();
    readers.join();
    const auto peak = proc_status_kib(daemon.pid(), "VmHWM");
    const auto at_end = rss_kib(daemon);
    subscribers.clear();
    publisher.close();
    // "One second after the load" is the figure's definition, so this waits on the clock.
    std::this_thread::sleep_for(std::chrono::seconds(1));
    const auto after = rss_kib(daemon);
    const auto after_anon = proc_status_kib(daemon.pid(), "RssAnon");
    const auto after_file = proc_status_kib(daemon.pid(), "RssFile");
    // Where the growth sits: the heap, or the code of the daemon and of which library.
    nlohmann::json growth_by_mapping = nlohmann::json::object();
    for (const auto& [name, kib] : rss_by_mapping_kib(daemon.pid())) {
        const auto before = idle_mappings.find(name);
        const long grown = kib - (before == idle_mappings.end() ? 0 : before->second);
        if (grown != 0) growth_by_mapping[name] = grown;
    }
    stop_cleanly(daemon);
    return {{"subscribers", opt.slow_subscribers},
            {"reader_msgs_per_s", opt.slow_rate},
            {"load_seconds", load_s},
            {"publishes", sent},
            {"publishes_per_s", sent / load_s},
            {"deliveries_read", received.load()},
            {"streams_closed_by_daemon", closed_by_daemon.load()},
            {"idle_rss_kb", idle},
            {"load_peak_rss_kb", std::max(peak, sampled_peak.load())},
            {"sampled_peak_rss_kb", sampled_peak.load()},
            {"rss_at_load_end_kb", at_end},
            {"after_load_rss_kb", after},
            {"idle_rss_anon_kb", idle_anon},
            {"idle_rss_file_kb", idle_file},
            {"after_load_rss_anon_kb", after_anon},
            {"after_load_rss_file_kb", after_file},
            {"after_load_rss_growth_kb_by_mapping", growth_by_mapping}};
}

figures run_churn(const options& opt) {
    daemon_process daemon{bench_daemon_config(opt)};
    raw_client client =
        connect_client(daemon.socket_path(), daemon.token(subscriber_component(0)), stall_deadline());
    // Each cycle subscribes to a topic no one used before and closes the stream from the client
    // side, as an SDK's stream close does: a leaked trie node or stream entry shows as growth.
    const auto cycle = [&](int i) {
        const auto stream = subscribe(client, "bench/churn/" + std::to_string(i));
        send_bytes(client, standin::test::frames::encode(standin::test::frames::terminate(stream)));
    };
    for (int i = 0; i < opt.churn_warmup; ++i)
        cycle(i);
    barrier(client);
    const auto before = rss_kib(daemon);
    const auto start = steady::now();
    for (int i = 0; i < opt.churn_cycles; ++i)
        cycle(opt.churn_warmup + i);
    barrier(client);
    const auto seconds = seconds_between(start, steady::now());
    const auto after = rss_kib(daemon);
    client.close();
    stop_cleanly(daemon);
    return {{"cycles", opt.churn_cycles},
            {"warmup_cycles", opt.churn_warmup},
            {"cycles_per_s", opt.churn_cycles / seconds},
            {"rss_before_kb", before},
            {"rss_after_kb", after},
            {"churn_rss_growth_kb", after - before}};
}

int run(const options& opt) {
    // 1000 clients and the daemon serving them need more descriptors than a default soft limit of
    // 1024; the daemon, started later, inherits the raised limit.
    const auto limit = raise_fd_limit(static_cast<rlim_t>(opt.connections) + 256);
    figures out = figures::object();
    out["config"] = {{"fd_limit", limit}, {"body_bytes", opt.body_bytes}};
    int failures = 0;
    const auto phase = [&](const char* name, figures (*body)(const options&)) {
        if (!opt.phases.contains(name)) return;
        try {
            out[name] = body(opt);
        } catch (const std::exception& e) {
            std::cerr << "standin_footprint_bench: " << name << ": " << e.what() << '\n';
            out[name] = nullptr;
            ++failures;
        }
        if (!opt.json) std::cout << name << ": " << out[name].dump() << '\n' << std::flush;
    };
    phase("startup", run_startup);
    phase("connections", run_connections);
    phase("subscriptions", run_subscriptions);
    phase("slow", run_slow);
    phase("churn", run_churn);
    if (opt.json) std::cout << out.dump(2) << '\n';
    return failures == 0 ? 0 : 1;
}

}  // namespace

int main(int argc, char** argv) {
    options opt;
    opt.standin = default_standin_path();
    std::vector<std::string> phases(opt.phases.begin(), opt.phases.end());
    CLI::App app{"standin_footprint_bench: start-up, memory and connection figures of standin"};
    app.add_option("--standin", opt.standin, "the standin executable")->capture_default_str();
    app.add_option("--phases", phases, "startup,connections,subscriptions,slow,churn")
        ->delimiter(',')
        ->check(CLI::IsMember({"startup", "connections", "subscriptions", "slow", "churn"}));
    app.add_option("--startup-runs", opt.startup_runs, "daemon starts (median)")
        ->check(CLI::PositiveNumber);
    app.add_option("--connections", opt.connections, "clients connected at once")
        ->check(CLI::Range(2, 100000));
    app.add_option("--connection-round-trips", opt.connection_round_trips,
                   "round trips the measuring client makes while they are connected")
        ->check(CLI::PositiveNumber);
    app.add_option("--subscriptions", opt.subscriptions, "subscriptions on one connection")
        ->check(CLI::Range(1, 9000));
    app.add_option("--slow-subscribers", opt.slow_subscribers, "slow subscribers")
        ->check(CLI::Range(1, 1000));
    app.add_option("--slow-seconds", opt.slow_seconds, "how long the publisher sends")
        ->check(CLI::PositiveNumber);
    app.add_option("--slow-rate", opt.slow_rate, "messages/s each slow subscriber reads")
        ->check(CLI::PositiveNumber);
    app.add_option("--churn-cycles", opt.churn_cycles, "subscribe/unsubscribe cycles measured")
        ->check(CLI::PositiveNumber);
    app.add_option("--churn-warmup", opt.churn_warmup, "cycles before the first reading")
        ->check(CLI::NonNegativeNumber);
    app.add_option("--body-bytes", opt.body_bytes, "size of the published JSON message");
    app.add_flag("--json", opt.json, "print one JSON object");
    CLI11_PARSE(app, argc, argv);
    opt.phases = {phases.begin(), phases.end()};

    try {
        return run(opt);
    } catch (const std::exception& e) {
        std::cerr << "standin_footprint_bench: " << e.what() << '\n';
        return 1;
    }
}
