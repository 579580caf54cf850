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

constexpr std::string_view publish_operation = "aws.greengrass#PublishToTopic";
constexpr std::string_view subscribe_operation = "aws.greengrass#SubscribeToTopic";
constexpr std::string_view rtt_topic = "bench/rtt";
constexpr std::string_view fanout_topic = "bench/fanout";
constexpr std::string_view publisher_component = "bench.Publisher";
// A read that makes no progress for this long means the daemon is wedged, not slow.
constexpr auto stall_timeout = std::chrono::seconds(20);

struct options {
    int messages = 20'000;
    int warmup = 2'000;
    int subscribers = 10;
    int window = 64;
    std::size_t body_bytes = 128;
    std::string standin;
    bool json = false;
};

steady::time_point stall_deadline() {
    return steady::now() + stall_timeout;
}

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
// Threads that must never outlive the sockets they read

// Joins its threads on every exit path. When the benchmark unwinds with an error it first shuts the
// sockets down, so a reader blocked in poll wakes up at once instead of at its stall deadline.
class reader_threads {
public:
    reader_threads() = default;
    reader_threads(const reader_threads&) = delete;
    reader_threads& operator=(const reader_threads&) = delete;
    ~reader_threads() {
        for (const int fd : fds_)
            ::shutdown(fd, SHUT_RDWR);
        for (auto& t : threads_) {
            if (t.joinable()) t.join();
        }
    }

    void start(int fd, std::function<void()> body) {
        fds_.push_back(fd);
        errors_.emplace_back();
        auto& error = errors_.back();  // a deque: the reference stays valid as more are added
        threads_.emplace_back([&error, body = std::move(body)] {
            try {
                body();
            } catch (...) {
                error = std::current_exception();
            }
        });
    }

    // Joins all threads, then rethrows the first error any of them hit.
    void join() {
        for (auto& t : threads_)
            t.join();
        fds_.clear();
        for (const auto& e : errors_) {
            if (e) std::rethrow_exception(e);
        }
    }

private:
    std::vector<int> fds_;
    std::deque<std::exception_ptr> errors_;
    std::vector<std::thread> threads_;
};

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

std::string subscriber_component(int index) {
    return "bench.Subscriber" + std::to_string(index + 1);
}

const std::string& token_of(const std::map<std::string, std::string>& tokens,
                            const std::string& component) {
    const auto it = tokens.find(component);
    if (it == tokens.end()) throw std::runtime_error("the daemon has no token for " + component);
    return it->second;
}

// Subscribes on a new stream and waits for the response (flags 0: the stream stays open).
std::int32_t subscribe(raw_client& client, std::string_view topic) {
    const auto stream = client.next_stream_id();
    send_bytes(client, encode_request(stream, subscribe_operation,
                                      R"({"topic":")" + std::string{topic} + R"("})"));
    const auto meta = expect_application_message(next_message(client, stall_deadline()), stream,
                                                 "SubscribeToTopic response");
    if (meta.flags & standin::protocol::rpc::flag_terminate_stream) {
        throw std::runtime_error("SubscribeToTopic response closed the stream");
    }
    return stream;
}

// Checks a PublishToTopic response: APPLICATION_MESSAGE with TERMINATE_STREAM.
void expect_publish_response(const message& msg, std::int32_t stream) {
    const auto meta = expect_application_message(msg, stream, "PublishToTopic response");
    if ((meta.flags & standin::protocol::rpc::flag_terminate_stream) == 0) {
        throw std::runtime_error("PublishToTopic response without TERMINATE_STREAM");
    }
}

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

    // Each subscriber records when it saw its last delivery; the slowest one ends the phase.
    std::vector<steady::time_point> finished(static_cast<std::size_t>(opt.subscribers));
    reader_threads readers;
    for (std::size_t i = 0; i < subscribers.size(); ++i) {
        readers.start(subscribers[i].fd(), [&, i] {
            for (int got = 0; got < n; ++got) {
                expect_application_message(next_message(subscribers[i], stall_deadline()), streams[i],
                                           "SubscribeToTopic event");
            }
            finished[i] = steady::now();
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

int run(const options& opt) {
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

    daemon_config config;
    config.recipes.push_back(open_recipe(std::string{publisher_component}));
    for (int i = 0; i < std::max(1, opt.subscribers); ++i)
        config.recipes.push_back(open_recipe(subscriber_component(i)));
    config.extra_args = {"--log-level", "warn"};
    config.ready_timeout = std::chrono::seconds(30);
    config.executable = opt.standin;
    daemon_process daemon{config};
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

// `standin` in the directory this benchmark was built into.
std::string default_standin_path() {
    std::error_code ec;
    const auto self = fs::read_symlink("/proc/self/exe", ec);
    return ec ? std::string{"standin"} : (self.parent_path() / "standin").string();
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
    CLI11_PARSE(app, argc, argv);

    try {
        return run(opt);
    } catch (const std::exception& e) {
        std::cerr << "standin_bench: " << e.what() << '\n';
        return 1;
    }
}
