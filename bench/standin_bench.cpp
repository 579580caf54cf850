// SPDX-License-Identifier: Apache-2.0
// standin_bench: pub/sub latency and throughput of the real daemon, next to the AF_UNIX floor
// measured in the same run on the same machine (field.md §3.3: on small VMs the cross-core wake-up,
// not the socket, dominates a round trip, so absolute microseconds mean little on their own).
//
// Phases, in order:
//   1. baseline: socketpair ping-pong between two threads, and a one-way stream, with messages the
//      size of the PublishToTopic request frame sent later;
//   2. publish round trip: one publisher, PublishToTopic and wait for each response, while one
//      subscriber on the same topic timestamps every delivery (the publisher does not wait for
//      deliveries, so a subscriber starved of CPU shows up as queueing in that latency);
//   3. fan-out: `--subscribers` connections subscribed to one topic, the publisher pipelining
//      `--window` requests; every subscriber counts until it has seen every publish.
// It prints figures only; there is no pass/fail beyond "the daemon behaved and exited 0".
#include <pthread.h>
#include <sched.h>
#include <sys/resource.h>
#include <sys/socket.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <deque>
#include <exception>
#include <fstream>
#include <functional>
#include <iostream>
#include <map>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include "bench_support.hpp"
#include "standin/protocol/frame_encoder.hpp"
#include "standin/test/daemon_process.hpp"

namespace fs = std::filesystem;
using namespace standin::bench;
using standin::protocol::message;
using standin::test::daemon_config;
using standin::test::daemon_process;
using standin::test::recipe_file;

namespace {

// Fan-out reader threads at most (see run_fanout).
constexpr std::size_t max_reader_threads = 10;
constexpr std::string_view rtt_topic = "bench/rtt";
constexpr std::string_view fanout_topic = "bench/fanout";

struct options {
    int messages = 20'000;
    int warmup = 2'000;
    int subscribers = 10;
    int window = 64;
    std::size_t body_bytes = 128;
    std::string standin;
    bool json = false;
    // Sweeps (bench/plot): one TSV row per point instead of the report.
    std::vector<std::size_t> sweep_bytes;
    std::vector<int> sweep_subscribers;
    // A sweep point moves about this many payload bytes (or, for subscribers, deliveries) per phase,
    // so 1 MiB messages and a thousand subscribers take seconds, not minutes.
    double sweep_budget = 64.0 * 1024 * 1024;
};

double per_second(double count, double seconds) {
    return seconds > 0 ? count / seconds : 0;
}

// CPU seconds this process has used (all threads), to show how much of the two vCPUs the clients
// themselves take away from the daemon.
double self_cpu_seconds() {
    rusage usage{};
    ::getrusage(RUSAGE_SELF, &usage);
    const auto secs = [](const timeval& tv) {
        return static_cast<double>(tv.tv_sec) + static_cast<double>(tv.tv_usec) / 1e6;
    };
    return secs(usage.ru_utime) + secs(usage.ru_stime);
}

// Reads an integer member such as "seq" out of a delivered event. A plain scan rather than a JSON
// parse: the subscriber shares two vCPUs with the daemon, and its own cost should stay small.
std::optional<std::int64_t> int_member(std::string_view json, std::string_view name) {
    const std::string key = "\"" + std::string{name} + "\":";
    const auto at = json.find(key);
    if (at == std::string_view::npos) return std::nullopt;
    const char* p = json.data() + at + key.size();
    char* end = nullptr;
    const long long value = std::strtoll(p, &end, 10);
    if (end == p) return std::nullopt;
    return static_cast<std::int64_t>(value);
}

// ---------------------------------------------------------------------------------------------
// 1. The AF_UNIX floor

struct ping_pong_result {
    latency_summary rtt;
    double round_trips_per_s = 0;
};

// Pins the calling thread to one CPU; -1 leaves it to the scheduler.
void pin_to_cpu(int cpu) {
    if (cpu < 0) return;
    cpu_set_t set;
    CPU_ZERO(&set);
    CPU_SET(static_cast<unsigned>(cpu), &set);
    if (const int rc = ::pthread_setaffinity_np(::pthread_self(), sizeof set, &set); rc != 0) {
        throw std::runtime_error(std::string{"pthread_setaffinity_np: "} + std::strerror(rc));
    }
}

// The CPUs this process may run on, lowest first.
std::vector<int> allowed_cpus() {
    cpu_set_t set;
    CPU_ZERO(&set);
    std::vector<int> cpus;
    if (::sched_getaffinity(0, sizeof set, &set) != 0) return cpus;
    for (int cpu = 0; cpu < CPU_SETSIZE; ++cpu) {
        if (CPU_ISSET(static_cast<unsigned>(cpu), &set)) cpus.push_back(cpu);
    }
    return cpus;
}

// Both ends run on threads of their own so that pinning them leaves the main thread alone.
ping_pong_result ping_pong(std::size_t bytes, int round_trips, int warmup, int ping_cpu, int echo_cpu) {
    ping_pong_result out;
    auto [client, server] = make_socketpair();
    const int total = warmup + round_trips;
    reader_threads ends;
    ends.start(server.get(), [fd = server.get(), bytes, total, echo_cpu] {
        pin_to_cpu(echo_cpu);
        std::vector<char> buf(bytes);
        for (int i = 0; i < total; ++i) {
            read_exact(fd, buf, stall_deadline(), "a ping");
            write_all(fd, {buf.data(), buf.size()});
        }
    });
    ends.start(client.get(), [&, fd = client.get()] {
        pin_to_cpu(ping_cpu);
        const std::string ping(bytes, 'p');
        std::vector<char> pong(bytes);
        std::vector<std::int64_t> samples;
        samples.reserve(static_cast<std::size_t>(round_trips));
        steady::time_point measured_from{};
        for (int i = 0; i < total; ++i) {
            if (i == warmup) measured_from = steady::now();
            const auto t0 = now_ns();
            write_all(fd, ping);
            read_exact(fd, pong, stall_deadline(), "a pong");
            if (i >= warmup) samples.push_back(now_ns() - t0);
        }
        out.round_trips_per_s = per_second(round_trips, seconds_between(measured_from, steady::now()));
        out.rtt = summarize(std::move(samples));
    });
    ends.join();
    return out;
}

struct baseline_result {
    std::size_t message_bytes = 0;
    ping_pong_result unpinned;
    // The scheduler sometimes keeps both ends on one CPU and sometimes not, and the two differ
    // several-fold on a VM (field.md §3.3), so the unpinned figure comes with both bounds.
    std::optional<ping_pong_result> same_cpu;
    std::optional<ping_pong_result> cross_cpu;
    int stream_messages = 0;
    double stream_msgs_per_s = 0;
};

baseline_result run_baseline(std::size_t bytes, int round_trips, int warmup, int stream_messages) {
    baseline_result out;
    out.message_bytes = bytes;
    out.unpinned = ping_pong(bytes, round_trips, warmup, -1, -1);
    if (const auto cpus = allowed_cpus(); cpus.size() >= 2) {
        out.same_cpu = ping_pong(bytes, round_trips, warmup, cpus[0], cpus[0]);
        out.cross_cpu = ping_pong(bytes, round_trips, warmup, cpus[0], cpus[1]);
    }

    {
        // One send() per message, as a publisher would; the receiver reads whatever has arrived,
        // as the benchmark's subscribers do.
        auto [rx, tx] = make_socketpair();
        const auto start = steady::now();
        reader_threads sender;
        sender.start(tx.get(), [fd = tx.get(), bytes, stream_messages] {
            const std::string msg(bytes, 's');
            for (int i = 0; i < stream_messages; ++i)
                write_all(fd, msg);
        });
        std::vector<char> buf(64 * 1024);
        std::size_t left = bytes * static_cast<std::size_t>(stream_messages);
        while (left > 0) {
            const auto n = read_some(rx.get(), buf, stall_deadline(), "the one-way stream");
            if (n == 0) throw std::runtime_error("the one-way stream closed early");
            left -= std::min(left, n);
        }
        const auto elapsed = seconds_between(start, steady::now());
        sender.join();
        out.stream_messages = stream_messages;
        out.stream_msgs_per_s = per_second(stream_messages, elapsed);
    }
    return out;
}

// ---------------------------------------------------------------------------------------------
// Daemon set-up

// CPU use of the daemon and of this process over one phase.
struct cpu_meter {
    pid_t daemon;
    steady::time_point wall = steady::now();
    double daemon_start = proc_cpu_seconds(daemon);
    double self_start = self_cpu_seconds();

    struct reading {
        double daemon_seconds, daemon_share, self_share;
    };
    reading read() const {
        const auto wall_s = seconds_between(wall, steady::now());
        const auto d = proc_cpu_seconds(daemon) - daemon_start;
        return {d, wall_s > 0 ? d / wall_s : 0,
                wall_s > 0 ? (self_cpu_seconds() - self_start) / wall_s : 0};
    }
};

// ---------------------------------------------------------------------------------------------
// 2. Publish round trip, with one subscriber timing deliveries

struct rtt_result {
    std::size_t request_bytes = 0;
    std::size_t event_bytes = 0;
    latency_summary rtt;
    double ops_per_s = 0;
    latency_summary delivery;
    double daemon_cpu_us_per_op = 0;
    double daemon_cpu_share = 0;
    double bench_cpu_share = 0;
};

rtt_result run_publish_rtt(const daemon_process& daemon,
                           const std::map<std::string, std::string>& tokens, const options& opt) {
    const auto& socket = daemon.socket_path();
    rtt_result out;
    const int total = opt.warmup + opt.messages;
    raw_client publisher =
        connect_client(socket, token_of(tokens, std::string{publisher_component}), stall_deadline());
    raw_client subscriber =
        connect_client(socket, token_of(tokens, subscriber_component(0)), stall_deadline());
    const auto sub_stream = subscribe(subscriber, rtt_topic);

    std::vector<std::int64_t> delivery_ns;
    delivery_ns.reserve(static_cast<std::size_t>(opt.messages));
    reader_threads readers;
    readers.start(subscriber.fd(), [&] {
        for (int i = 0; i < total; ++i) {
            const auto event = next_message(subscriber, stall_deadline());
            const auto received = now_ns();
            expect_application_message(event, sub_stream, "SubscribeToTopic event");
            const auto seq = int_member(event.payload, "seq");
            const auto sent = int_member(event.payload, "t");
            if (!seq || !sent) throw std::runtime_error("event without seq/t: " + event.payload);
            if (*seq >= opt.warmup) delivery_ns.push_back(received - *sent);
            if (i == 0) out.event_bytes = standin::protocol::encode_message(event)->size();
        }
    });

    std::vector<std::int64_t> rtt_ns;
    rtt_ns.reserve(static_cast<std::size_t>(opt.messages));
    std::optional<cpu_meter> cpu;
    steady::time_point measured_from{};
    for (int i = 0; i < total; ++i) {
        if (i == opt.warmup) {
            measured_from = steady::now();
            cpu.emplace(cpu_meter{daemon.pid()});
        }
        const auto stream = publisher.next_stream_id();
        // The clock starts before the request is built: encoding is part of what a client pays.
        const auto t0 = now_ns();
        const auto request =
            encode_request(stream, publish_operation, publish_payload(rtt_topic, i, t0, opt.body_bytes));
        send_bytes(publisher, request);
        expect_publish_response(next_message(publisher, stall_deadline()), stream);
        if (i >= opt.warmup) rtt_ns.push_back(now_ns() - t0);
        out.request_bytes = request.size();
    }
    const auto elapsed = seconds_between(measured_from, steady::now());
    const auto used = cpu ? cpu->read() : cpu_meter::reading{};
    readers.join();

    out.daemon_cpu_us_per_op = used.daemon_seconds * 1e6 / opt.messages;
    out.daemon_cpu_share = used.daemon_share;
    out.bench_cpu_share = used.self_share;
    out.rtt = summarize(std::move(rtt_ns));
    out.ops_per_s = per_second(opt.messages, elapsed);
    out.delivery = summarize(std::move(delivery_ns));
    return out;
}

// ---------------------------------------------------------------------------------------------
// 3. Fan-out: one pipelining publisher, many subscribers

struct fanout_result {
    int subscribers = 0;
    double publishes_per_s = 0;
    double deliveries_per_s = 0;
    double daemon_cpu_us_per_publish = 0;
    double daemon_cpu_share = 0;
    double bench_cpu_share = 0;
};

fanout_result run_fanout(const daemon_process& daemon, const std::map<std::string, std::string>& tokens,
                         const options& opt) {
    fanout_result out;
    out.subscribers = opt.subscribers;
    const int n = opt.messages;

    std::deque<raw_client> subscribers;
    std::vector<std::int32_t> streams;
    for (int i = 0; i < opt.subscribers; ++i) {
        subscribers.push_back(connect_client(
            daemon.socket_path(), token_of(tokens, subscriber_component(i)), stall_deadline()));
        streams.push_back(subscribe(subscribers.back(), fanout_topic));
    }
    raw_client publisher = connect_client(
        daemon.socket_path(), token_of(tokens, std::string{publisher_component}), stall_deadline());

    // Each subscriber records when it saw its last delivery; the slowest one ends the phase. Up to
    // ten subscribers get a thread each; beyond that threads share them (poll over their sockets),
    // as a thousand threads on two vCPUs would measure the scheduler rather than the daemon.
    std::vector<steady::time_point> finished(static_cast<std::size_t>(opt.subscribers));
    reader_threads readers;
    const auto threads = std::min<std::size_t>(subscribers.size(), max_reader_threads);
    for (std::size_t t = 0; t < threads; ++t) {
        std::vector<std::size_t> mine;
        std::vector<int> fds;
        for (std::size_t i = t; i < subscribers.size(); i += threads) {
            mine.push_back(i);
            fds.push_back(subscribers[i].fd());
        }
        readers.start(fds, [&, mine] {
            std::vector<int> got(mine.size(), 0);
            std::size_t done = 0;
            std::vector<pollfd> ready;
            std::vector<std::size_t> which;
            while (done < mine.size()) {
                ready.clear();
                which.clear();
                for (std::size_t k = 0; k < mine.size(); ++k) {
                    if (got[k] == n) continue;
                    ready.push_back({subscribers[mine[k]].fd(), POLLIN, 0});
                    which.push_back(k);
                }
                const int rc =
                    ::poll(ready.data(), ready.size(),
                           static_cast<int>(std::chrono::milliseconds(stall_timeout).count()));
                if (rc == 0) throw std::runtime_error("timed out waiting for SubscribeToTopic events");
                if (rc < 0) {
                    if (errno == EINTR) continue;
                    throw std::runtime_error(std::string{"poll: "} + std::strerror(errno));
                }
                for (std::size_t j = 0; j < ready.size(); ++j) {
                    if (ready[j].revents == 0) continue;
                    const auto k = which[j];
                    auto& client = subscribers[mine[k]];
                    // One read, then every message it completed.
                    for (auto msg = client.read_message(std::chrono::milliseconds{0}); msg;
                         msg = client.take_buffered()) {
                        expect_application_message(*msg, streams[mine[k]], "SubscribeToTopic event");
                        if (++got[k] == n) {
                            finished[mine[k]] = steady::now();
                            ++done;
                            break;
                        }
                    }
                    if (got[k] < n && (client.eof() || client.framing_error())) {
                        throw std::runtime_error("a subscriber's connection ended early");
                    }
                }
            }
        });
    }

    const cpu_meter cpu{daemon.pid()};
    const auto start = steady::now();
    std::int32_t first_stream = 0;
    int sent = 0;
    int answered = 0;
    std::string batch;
    // Responses may come back in any order; each must answer one of the requests in flight.
    const auto check = [&](const message& msg) {
        const auto stream = metadata_of(msg).stream_id;
        if (stream < first_stream || stream >= first_stream + sent) {
            throw std::runtime_error("a reply on stream " + std::to_string(stream) +
                                     ", which has no request");
        }
        expect_publish_response(msg, stream);
        ++answered;
    };
    while (answered < n) {
        // Refill the window in one send(): fewer client syscalls leave more of the two vCPUs to
        // the daemon, and the daemon still sees one request per frame.
        batch.clear();
        for (; sent < n && sent - answered < opt.window; ++sent) {
            const auto stream = publisher.next_stream_id();
            if (first_stream == 0) first_stream = stream;
            batch += encode_request(stream, publish_operation,
                                    publish_payload(fanout_topic, sent, now_ns(), opt.body_bytes));
        }
        if (!batch.empty()) send_bytes(publisher, batch);
        check(next_message(publisher, stall_deadline()));
        while (auto more = publisher.take_buffered())
            check(*more);
    }
    const auto publishes_done = steady::now();
    readers.join();
    const auto used = cpu.read();

    const auto last = *std::max_element(finished.begin(), finished.end());
    out.publishes_per_s = per_second(n, seconds_between(start, publishes_done));
    out.deliveries_per_s = per_second(static_cast<double>(n) * opt.subscribers,
                                      seconds_between(start, std::max(last, start)));
    out.daemon_cpu_us_per_publish = used.daemon_seconds * 1e6 / n;
    out.daemon_cpu_share = used.daemon_share;
    out.bench_cpu_share = used.self_share;
    return out;
}

// ---------------------------------------------------------------------------------------------
// Report

struct row {
    std::string key;     // JSON name
    std::string metric;  // table label
    double value = 0;
    std::optional<double> baseline;
};

struct report {
    options opt;
    baseline_result base;
    rtt_result rtt;
    fanout_result fan;
    double startup_s = 0;
    long idle_rss_kib = 0;
    long peak_rss_kib = 0;
    int exit_code = 0;
    unsigned cpus = std::thread::hardware_concurrency();
    // CPUs' worth of time used by processes other than the benchmark and the daemon while the run
    // lasted: on a 2-vCPU box a parallel build changes every figure here.
    double other_load = 0;

    std::vector<row> rows() const {
        const auto& floor = base.unpinned;
        // A delivery crosses two sockets (publisher -> daemon -> subscriber), as a ping-pong does,
        // so its floor is the baseline round trip, not half of it.
        std::vector<row> out{
            {"publish_rtt_p50_us", "publish round trip p50 (us)", rtt.rtt.p50_us, floor.rtt.p50_us},
            {"publish_rtt_p99_us", "publish round trip p99 (us)", rtt.rtt.p99_us, floor.rtt.p99_us},
            {"publish_ops_per_s", "publish round trips /s", rtt.ops_per_s, floor.round_trips_per_s},
            {"delivery_p50_us", "publish->delivery p50 (us)", rtt.delivery.p50_us, floor.rtt.p50_us},
            {"delivery_p99_us", "publish->delivery p99 (us)", rtt.delivery.p99_us, floor.rtt.p99_us},
            {"rtt_daemon_cpu_us_per_publish",
             "  daemon CPU per publish (us)",
             rtt.daemon_cpu_us_per_op,
             {}},
            {"rtt_daemon_cpu_share", "  daemon CPU (share of a core)", rtt.daemon_cpu_share, {}},
            {"rtt_bench_cpu_share", "  bench CPU (share of a core)", rtt.bench_cpu_share, {}},
            {"fanout_deliveries_per_s", "fan-out deliveries /s", fan.deliveries_per_s,
             base.stream_msgs_per_s},
            {"fanout_publishes_per_s", "fan-out publishes /s", fan.publishes_per_s,
             base.stream_msgs_per_s},
            {"fanout_daemon_cpu_us_per_publish",
             "  daemon CPU per publish (us)",
             fan.daemon_cpu_us_per_publish,
             {}},
            {"fanout_daemon_cpu_share", "  daemon CPU (share of a core)", fan.daemon_cpu_share, {}},
            {"fanout_bench_cpu_share", "  bench CPU (share of a core)", fan.bench_cpu_share, {}},
            {"daemon_startup_ms", "daemon startup to ready (ms)", startup_s * 1000, {}},
            {"daemon_idle_rss_kib", "daemon idle RSS (KiB)", static_cast<double>(idle_rss_kib), {}},
            {"daemon_peak_rss_kib",
             "daemon peak RSS, VmHWM (KiB)",
             static_cast<double>(peak_rss_kib),
             {}},
        };
        if (base.same_cpu && base.cross_cpu) {  // next to the latency rows they bound
            const auto at = out.begin() + 5;
            out.insert(at, {{"floor_rtt_p50_same_cpu_us",
                             "  floor round trip p50, same CPU (us)",
                             base.same_cpu->rtt.p50_us,
                             {}},
                            {"floor_rtt_p50_cross_cpu_us",
                             "  floor round trip p50, cross CPU (us)",
                             base.cross_cpu->rtt.p50_us,
                             {}}});
        }
        return out;
    }

    void print_table() const {
        std::printf(
            "standin_bench: %d messages (+%d warm-up), %zu-byte JSON message = %zu-byte request frame, "
            "%zu-byte event frame\n",
            opt.messages, opt.warmup, opt.body_bytes, rtt.request_bytes, rtt.event_bytes);
        std::printf(
            "fan-out: %d subscribers, window %d; baseline: AF_UNIX socketpair, two threads, %zu-byte "
            "messages (stream: %d)\n",
            fan.subscribers, opt.window, base.message_bytes, base.stream_messages);
        std::printf("machine: %u CPUs; other processes used %.2f CPUs during the run%s\n\n", cpus,
                    other_load, other_load > 0.2 ? " (figures are contended)" : "");
        // Enough digits to read, not more than the run-to-run noise justifies.
        const auto cell = [](double v) {
            char text[32];
            std::snprintf(text, sizeof text, v < 10 ? "%.2f" : v < 1000 ? "%.1f" : "%.0f", v);
            return std::string{text};
        };
        std::printf("%-36s %12s %12s %8s\n", "metric", "value", "baseline", "ratio");
        for (const auto& r : rows()) {
            std::printf("%-36s %12s", r.metric.c_str(), cell(r.value).c_str());
            if (r.baseline && *r.baseline > 0) {
                std::printf(" %12s %8.2f\n", cell(*r.baseline).c_str(), r.value / *r.baseline);
            } else {
                std::printf(" %12s %8s\n", "", "");
            }
        }
        std::printf(
            "\nratio = standin / baseline (latency: >1 is slower; rate: <1 is slower). Latency "
            "baselines are the ping-pong round trip, rate baselines the one-way stream.\n"
            "daemon exit code after SIGTERM: %d\n",
            exit_code);
    }

    void print_json() const {
        auto metrics = nlohmann::ordered_json::object();
        for (const auto& r : rows()) {
            nlohmann::ordered_json m = {{"value", r.value}};
            if (r.baseline) {
                m["baseline"] = *r.baseline;
                m["ratio"] = *r.baseline > 0 ? r.value / *r.baseline : 0.0;
            }
            metrics[r.key] = m;
        }
        const nlohmann::ordered_json doc = {
            {"config",
             {{"messages", opt.messages},
              {"warmup", opt.warmup},
              {"subscribers", opt.subscribers},
              {"window", opt.window},
              {"body_bytes", opt.body_bytes},
              {"request_frame_bytes", rtt.request_bytes},
              {"event_frame_bytes", rtt.event_bytes},
              {"baseline_message_bytes", base.message_bytes},
              {"baseline_stream_messages", base.stream_messages},
              {"cpus", cpus},
              {"other_load_cpus", other_load}}},
            {"metrics", metrics},
            {"daemon_exit_code", exit_code},
        };
        std::cout << doc.dump(2) << '\n';
    }
};

std::size_t request_frame_size(const options& opt) {
    return encode_request(1, publish_operation, publish_payload(rtt_topic, 0, now_ns(), opt.body_bytes))
        .size();
}

// CPU seconds all processes have used so far, from the first line of /proc/stat.
double machine_busy_seconds() {
    std::ifstream in("/proc/stat");
    std::string label;
    double user = 0, nice = 0, system = 0, idle = 0, iowait = 0, irq = 0, softirq = 0, steal = 0;
    in >> label >> user >> nice >> system >> idle >> iowait >> irq >> softirq >> steal;
    return (user + nice + system + irq + softirq + steal) / static_cast<double>(::sysconf(_SC_CLK_TCK));
}

// ---------------------------------------------------------------------------------------------
// Sweeps: cost curves for bench/plot, one daemon for every point of a sweep

// Publishes per point: `budget` units of work at `unit` each, between `lo` and the configured count.
int scaled_messages(double budget, double unit, int lo, int hi) {
    const auto n = static_cast<int>(budget / std::max(1.0, unit));
    return std::clamp(n, lo, std::max(lo, hi));
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

// Stops the daemon and throws unless it exited as it should.
void stop_cleanly(daemon_process& daemon) {
    const auto exit = daemon.check_exit();
    if (!exit.ok()) throw std::runtime_error("the daemon did not stop cleanly: " + exit.describe());
}

// Latency and throughput against the message size: the round trip and the 10-subscriber fan-out,
// each next to its socketpair floor at the same frame size.
int run_sweep_bytes(const options& opt) {
    // The daemon bounds what it queues for one subscriber (8 MiB by default) and closes the stream
    // of a subscriber past it; at 1 MiB a message, ten subscribers reading flat out still fall that
    // far behind a pipelining publisher. This sweep measures cost against size, not that policy, so
    // it lifts the bound and keeps no more than about 4 MiB of publishes in flight.
    auto config = bench_daemon_config(opt);
    config.extra_args.insert(config.extra_args.end(), {"--max-outbound-bytes", "4294967295",
                                                       "--max-outbound-messages", "1000000"});
    daemon_process daemon{config};
    std::printf(
        "# body_bytes\trequest_frame_bytes\tmessages\trr_p50_us\trr_p99_us\tfloor_rr_p50_us\t"
        "rr_per_s\tdelivery_p50_us\tfanout_deliveries_per_s\tfanout_mib_per_s\tfloor_stream_msgs_per_s\t"
        "fanout_daemon_cpu_us_per_publish\n");
    for (const auto bytes : opt.sweep_bytes) {
        options point = opt;
        point.body_bytes = bytes;
        const auto frame = request_frame_size(point);
        point.messages = scaled_messages(opt.sweep_budget, static_cast<double>(frame) * opt.subscribers,
                                         100, opt.messages);
        point.warmup = std::min(opt.warmup, point.messages / 5);
        point.window = std::clamp(static_cast<int>((4u << 20) / frame), 1, opt.window);
        const auto base =
            run_baseline(frame, point.messages, point.warmup, point.messages * point.subscribers);
        const auto rtt = run_publish_rtt(daemon, daemon.tokens(), point);
        const auto fan = run_fanout(daemon, daemon.tokens(), point);
        std::printf("%zu\t%zu\t%d\t%.2f\t%.2f\t%.2f\t%.0f\t%.2f\t%.0f\t%.2f\t%.0f\t%.2f\n", bytes, frame,
                    point.messages, rtt.rtt.p50_us, rtt.rtt.p99_us, base.unpinned.rtt.p50_us,
                    rtt.ops_per_s, rtt.delivery.p50_us, fan.deliveries_per_s,
                    fan.deliveries_per_s * static_cast<double>(rtt.event_bytes) / (1024.0 * 1024.0),
                    base.stream_msgs_per_s, fan.daemon_cpu_us_per_publish);
        std::fflush(stdout);
    }
    stop_cleanly(daemon);
    return 0;
}

// Fan-out cost against the number of subscribers: deliveries per second and daemon CPU per
// delivery, next to the one-way stream floor for as many messages.
int run_sweep_subscribers(const options& opt) {
    const auto most = *std::max_element(opt.sweep_subscribers.begin(), opt.sweep_subscribers.end());
    raise_fd_limit(static_cast<rlim_t>(most) + 256);
    daemon_process daemon{bench_daemon_config(opt)};
    const auto frame = request_frame_size(opt);
    std::printf(
        "# subscribers\tmessages\tpublishes_per_s\tdeliveries_per_s\tdaemon_cpu_us_per_publish\t"
        "daemon_cpu_us_per_delivery\tfloor_stream_msgs_per_s\n");
    for (const auto subscribers : opt.sweep_subscribers) {
        options point = opt;
        point.subscribers = subscribers;
        point.messages = scaled_messages(opt.sweep_budget / static_cast<double>(frame), subscribers, 50,
                                         opt.messages);
        const auto base = run_baseline(frame, 0, 0, point.messages * subscribers);
        const auto fan = run_fanout(daemon, daemon.tokens(), point);
        std::printf("%d\t%d\t%.0f\t%.0f\t%.2f\t%.3f\t%.0f\n", subscribers, point.messages,
                    fan.publishes_per_s, fan.deliveries_per_s, fan.daemon_cpu_us_per_publish,
                    fan.daemon_cpu_us_per_publish / subscribers, base.stream_msgs_per_s);
        std::fflush(stdout);
    }
    stop_cleanly(daemon);
    return 0;
}

int run(const options& opt) {
    if (!opt.sweep_bytes.empty()) return run_sweep_bytes(opt);
    if (!opt.sweep_subscribers.empty()) return run_sweep_subscribers(opt);
    report rep;
    rep.opt = opt;
    const auto run_start = steady::now();
    const auto busy_start = machine_busy_seconds();
    const auto self_start = self_cpu_seconds();

    // The floor first, while nothing else runs. The stream sends as many messages as the fan-out
    // delivers, so both rates cover the same amount of work.
    const auto frame_bytes = request_frame_size(opt);
    rep.base =
        run_baseline(frame_bytes, opt.messages, opt.warmup, opt.messages * std::max(1, opt.subscribers));

    raise_fd_limit(static_cast<rlim_t>(opt.subscribers) + 256);
    daemon_process daemon{bench_daemon_config(opt)};
    rep.startup_s = std::chrono::duration<double>(daemon.startup_duration()).count();
    rep.idle_rss_kib = proc_status_kib(daemon.pid(), "VmRSS");
    const auto& tokens = daemon.tokens();

    rep.rtt = run_publish_rtt(daemon, tokens, opt);
    rep.fan = run_fanout(daemon, tokens, opt);

    rep.peak_rss_kib = proc_status_kib(daemon.pid(), "VmHWM");
    const auto others = machine_busy_seconds() - busy_start - (self_cpu_seconds() - self_start) -
                        proc_cpu_seconds(daemon.pid());
    rep.other_load = std::max(0.0, others / seconds_between(run_start, steady::now()));
    // The harness's teardown check: exit code 0 after SIGTERM, no sanitizer report on stderr.
    const auto exit = daemon.check_exit();
    rep.exit_code = exit.exit_code.value_or(-1);

    if (opt.json) {
        rep.print_json();
    } else {
        rep.print_table();
    }
    if (!exit.ok()) {
        std::cerr << "standin_bench: the daemon did not stop cleanly: " << exit.describe() << '\n';
        return 1;
    }
    return 0;
}

}  // namespace

int main(int argc, char** argv) {
    options opt;
    opt.standin = default_standin_path();
    CLI::App app{"standin_bench: pub/sub latency and throughput of standin next to the AF_UNIX floor"};
    app.add_option("--messages", opt.messages, "measured publishes per phase")
        ->check(CLI::PositiveNumber);
    app.add_option("--warmup", opt.warmup, "unmeasured round trips before the latency phases")
        ->check(CLI::NonNegativeNumber);
    app.add_option("--standin", opt.standin, "the standin executable")->capture_default_str();
    app.add_option("--subscribers", opt.subscribers, "fan-out subscriber connections")
        ->check(CLI::Range(1, 1000));
    app.add_option("--window", opt.window, "fan-out publishes in flight")->check(CLI::Range(1, 100000));
    app.add_option("--body-bytes", opt.body_bytes, "size of the published JSON message");
    app.add_flag("--json", opt.json, "print JSON instead of a table");
    app.add_option("--sweep-body-bytes", opt.sweep_bytes,
                   "message sizes: round trip and fan-out at each, one TSV row per size")
        ->delimiter(',');
    app.add_option("--sweep-subscribers", opt.sweep_subscribers,
                   "subscriber counts: fan-out at each, one TSV row per count")
        ->delimiter(',')
        ->check(CLI::Range(1, 1000));
    app.add_option("--sweep-budget-bytes", opt.sweep_budget,
                   "bytes a sweep point moves (publishes scale down with size and subscribers)");
    CLI11_PARSE(app, argc, argv);

    try {
        return run(opt);
    } catch (const std::exception& e) {
        std::cerr << "standin_bench: " << e.what() << '\n';
        return 1;
    }
}
