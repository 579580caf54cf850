// SPDX-License-Identifier: Apache-2.0
// Plumbing for standin_bench on top of the test harness (tests/support, standin_test_harness: the
// daemon as a child process, the raw eventstream-RPC client, file-descriptor I/O): latency
// summaries, /proc readings, and the harness's calls with the benchmark's error policy. Everything
// here throws std::runtime_error on failure: a benchmark that cannot measure has nothing to report.
#pragma once

#include <poll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <deque>
#include <exception>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iterator>
#include <map>
#include <optional>
#include <span>
#include <sstream>
#include <stdexcept>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include <nlohmann/json.hpp>

#include "standin/protocol/message.hpp"
#include "standin/protocol/rpc.hpp"
#include "standin/test/daemon_process.hpp"
#include "standin/test/fd.hpp"
#include "standin/test/frames.hpp"
#include "standin/test/raw_client.hpp"

namespace standin::bench {

using steady = std::chrono::steady_clock;
using test::make_socketpair;
using test::raw_client;

inline std::int64_t now_ns() {
    return std::chrono::duration_cast<std::chrono::nanoseconds>(steady::now().time_since_epoch())
        .count();
}

inline double seconds_between(steady::time_point from, steady::time_point to) {
    return std::chrono::duration<double>(to - from).count();
}

// ---------------------------------------------------------------------------------------------
// Latency samples (nanoseconds) reduced to the figures we print.

struct latency_summary {
    double p50_us = 0;
    double p99_us = 0;
    double max_us = 0;
    std::size_t samples = 0;
};

// Nearest-rank percentiles: no interpolation, so every figure is a latency that really occurred.
inline latency_summary summarize(std::vector<std::int64_t> samples_ns) {
    latency_summary out;
    out.samples = samples_ns.size();
    if (samples_ns.empty()) return out;
    std::sort(samples_ns.begin(), samples_ns.end());
    const auto rank = [&](double p) {
        const auto n = static_cast<double>(samples_ns.size());
        const auto index = static_cast<std::size_t>(std::max(1.0, std::ceil(p * n))) - 1;
        return static_cast<double>(samples_ns[std::min(index, samples_ns.size() - 1)]) / 1000.0;
    };
    out.p50_us = rank(0.50);
    out.p99_us = rank(0.99);
    out.max_us = static_cast<double>(samples_ns.back()) / 1000.0;
    return out;
}

// ---------------------------------------------------------------------------------------------
// /proc readings of the daemon.

// A "VmRSS"-style field of /proc/<pid>/status in KiB, or -1 when it cannot be read.
inline long proc_status_kib(pid_t pid, std::string_view field) {
    std::ifstream in("/proc/" + std::to_string(pid) + "/status");
    std::string line;
    while (std::getline(in, line)) {
        if (line.size() > field.size() && line.compare(0, field.size(), field) == 0 &&
            line[field.size()] == ':') {
            return std::stol(line.substr(field.size() + 1));
        }
    }
    return -1;
}

// Resident KiB per mapping of /proc/<pid>/smaps, keyed by what is mapped: a file's path with
// "(code)" for its executable segments and "(data)" for the others, [heap], [stack], or [anon] for
// every other anonymous mapping together. Empty when it cannot be read.
inline std::map<std::string, long> rss_by_mapping_kib(pid_t pid) {
    std::ifstream in("/proc/" + std::to_string(pid) + "/smaps");
    std::map<std::string, long> out;
    std::string line;
    std::string name;
    while (std::getline(in, line)) {
        if (line.rfind("Rss:", 0) == 0) {
            out[name] += std::stol(line.substr(4));
            continue;
        }
        // A mapping's first line: address range, perms, offset, device, inode, then the name.
        const auto dash = line.find('-');
        if (dash == std::string::npos || dash == 0 || line.find_first_not_of("0123456789abcdef") != dash)
            continue;
        std::istringstream fields(line);
        std::string range, perms, offset, device, inode;
        fields >> range >> perms >> offset >> device >> inode;
        std::getline(fields >> std::ws, name);
        if (name.empty()) {
            name = "[anon]";
        } else if (name.front() == '/') {
            name += perms.find('x') != std::string::npos ? " (code)" : " (data)";
        }
    }
    return out;
}

// User + system CPU time the process has used so far (clock-tick resolution, usually 10 ms).
inline double proc_cpu_seconds(pid_t pid) {
    std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
    std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    // The command name may contain spaces and parentheses; fields are counted after the last ')'.
    const auto close = text.rfind(')');
    if (close == std::string::npos) return 0;
    std::vector<std::string> fields;
    std::size_t pos = close + 2;
    while (pos < text.size()) {
        const auto end = text.find(' ', pos);
        fields.push_back(text.substr(pos, end - pos));
        if (end == std::string::npos) break;
        pos = end + 1;
    }
    // fields[0] is field 3 (state), so utime (14) and stime (15) are at 11 and 12.
    if (fields.size() < 13) return 0;
    const auto ticks = std::stod(fields[11]) + std::stod(fields[12]);
    return ticks / static_cast<double>(::sysconf(_SC_CLK_TCK));
}

// Raises this process's soft RLIMIT_NOFILE to at least `wanted` (up to the hard limit); children
// started afterwards (the daemon) inherit it. Returns the soft limit now in force.
inline rlim_t raise_fd_limit(rlim_t wanted) {
    rlimit lim{};
    if (::getrlimit(RLIMIT_NOFILE, &lim) != 0) return 0;
    if (lim.rlim_cur < wanted) {
        lim.rlim_cur = lim.rlim_max == RLIM_INFINITY ? wanted : std::min(wanted, lim.rlim_max);
        ::setrlimit(RLIMIT_NOFILE, &lim);
        ::getrlimit(RLIMIT_NOFILE, &lim);
    }
    return lim.rlim_cur;
}

// `standin` in the directory this benchmark was built into.
inline std::string default_standin_path() {
    std::error_code ec;
    const auto self = std::filesystem::read_symlink("/proc/self/exe", ec);
    return ec ? std::string{"standin"} : (self.parent_path() / "standin").string();
}

// ---------------------------------------------------------------------------------------------
// Socket I/O with deadlines (the harness's, throwing instead of returning a status)

inline void write_all(int fd, std::string_view bytes) {
    if (!test::send_all(fd, bytes))
        throw std::runtime_error("the peer closed the socket while we wrote");
}

// Reads at most `out.size()` bytes (at least one); 0 means the peer closed. Throws once `deadline`
// passes with nothing read.
inline std::size_t read_some(int fd, std::span<char> out, steady::time_point deadline,
                             const char* what) {
    const auto r = test::read_some(fd, out, deadline);
    if (r.status == test::read_status::timeout) {
        throw std::runtime_error(std::string{"timed out waiting for "} + what);
    }
    return r.status == test::read_status::data ? r.size : 0;
}

inline void read_exact(int fd, std::span<char> out, steady::time_point deadline, const char* what) {
    while (!out.empty()) {
        const auto n = read_some(fd, out, deadline, what);
        if (n == 0) throw std::runtime_error(std::string{"peer closed while reading "} + what);
        out = out.subspan(n);
    }
}

// ---------------------------------------------------------------------------------------------
// The raw client, throwing when the daemon does not answer

// The first message of a new stream: APPLICATION_MESSAGE, flags 0, with the `operation` header.
inline std::string encode_request(std::int32_t stream_id, std::string_view operation,
                                  std::string payload) {
    return test::frames::encode(test::frames::request_raw(stream_id, operation, std::move(payload)));
}

// A connection whose CONNECT was accepted for `token`'s component.
inline raw_client connect_client(const std::string& socket_path, const std::string& token,
                                 steady::time_point deadline) {
    raw_client client{socket_path};
    client.connect_or_throw(
        token, std::chrono::duration_cast<std::chrono::milliseconds>(deadline - steady::now()));
    return client;
}

inline void send_bytes(raw_client& client, std::string_view bytes) {
    if (!client.send_bytes(bytes)) throw std::runtime_error("the daemon closed the connection");
}

// The next whole message; blocks (up to `deadline`) only when nothing complete is buffered.
inline protocol::message next_message(raw_client& client, steady::time_point deadline) {
    auto msg = client.read_message(
        std::chrono::duration_cast<std::chrono::milliseconds>(deadline - steady::now()));
    if (msg) return std::move(*msg);
    if (client.framing_error()) throw std::runtime_error("bad frame from the daemon");
    if (client.eof()) throw std::runtime_error("the daemon closed the connection");
    throw std::runtime_error("timed out waiting for a message from the daemon");
}

// Metadata of a message the daemon sent, or an exception if it has none (never legal).
inline protocol::rpc::metadata metadata_of(const protocol::message& msg) {
    auto meta = protocol::rpc::extract_metadata(msg);
    if (!meta) throw std::runtime_error("a message from the daemon lacks the RPC headers");
    return *meta;
}

// Throws unless `msg` is an APPLICATION_MESSAGE on `stream_id`; the error text quotes the payload.
inline protocol::rpc::metadata expect_application_message(const protocol::message& msg,
                                                          std::int32_t stream_id, const char* what) {
    const auto meta = metadata_of(msg);
    if (meta.type != static_cast<std::int32_t>(protocol::rpc::message_type::application_message) ||
        meta.stream_id != stream_id) {
        throw std::runtime_error(std::string{what} + ": got message type " + std::to_string(meta.type) +
                                 " on stream " + std::to_string(meta.stream_id) + " (expected 0 on " +
                                 std::to_string(stream_id) + "): " + msg.payload.substr(0, 300));
    }
    return meta;
}

// ---------------------------------------------------------------------------------------------
// Payloads

// A JSON object of exactly `size` bytes (when size allows) carrying a sequence number and the
// steady_clock send time, padded with a string member.
inline std::string json_message_body(std::int64_t seq, std::int64_t sent_ns, std::size_t size) {
    std::string body = R"({"seq":)" + std::to_string(seq) + R"(,"t":)" + std::to_string(sent_ns);
    constexpr std::string_view pad_open = R"(,"pad":")";
    constexpr std::string_view pad_close = R"("})";
    const auto fixed = body.size() + pad_open.size() + pad_close.size();
    body += pad_open;
    body.append(size > fixed ? size - fixed : 0, 'x');
    body += pad_close;
    return body;
}

inline std::string publish_payload(std::string_view topic, std::int64_t seq, std::int64_t sent_ns,
                                   std::size_t body_bytes) {
    std::string payload = R"({"topic":")";
    payload += topic;
    payload += R"(","publishMessage":{"jsonMessage":{"message":)";
    payload += json_message_body(seq, sent_ns, body_bytes);
    payload += "}}}";
    return payload;
}

// ---------------------------------------------------------------------------------------------
// Operations, components and deadlines every benchmark shares

inline constexpr std::string_view publish_operation = "aws.greengrass#PublishToTopic";
inline constexpr std::string_view subscribe_operation = "aws.greengrass#SubscribeToTopic";
inline constexpr std::string_view publisher_component = "bench.Publisher";
// Subscriber connections share this many components: the daemon accepts several connections per
// SVCUID, and 1000 recipes would make start-up, not pub/sub, the thing measured.
inline constexpr int subscriber_components = 10;
// A read that makes no progress for this long means the daemon is wedged, not slow.
inline constexpr auto stall_timeout = std::chrono::seconds(20);

inline steady::time_point stall_deadline() {
    return steady::now() + stall_timeout;
}

inline std::string subscriber_component(int index) {
    return "bench.Subscriber" + std::to_string(index % subscriber_components + 1);
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

    void start(int fd, std::function<void()> body) { start(std::vector<int>{fd}, std::move(body)); }
    // A thread that reads several sockets.
    void start(const std::vector<int>& fds, std::function<void()> body) {
        fds_.insert(fds_.end(), fds.begin(), fds.end());
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
// Pub/sub requests

inline const std::string& token_of(const std::map<std::string, std::string>& tokens,
                                   const std::string& component) {
    const auto it = tokens.find(component);
    if (it == tokens.end()) throw std::runtime_error("the daemon has no token for " + component);
    return it->second;
}

// Subscribes on a new stream and waits for the response (flags 0: the stream stays open).
inline std::int32_t subscribe(raw_client& client, std::string_view topic) {
    const auto stream = client.next_stream_id();
    send_bytes(client, encode_request(stream, subscribe_operation,
                                      R"({"topic":")" + std::string{topic} + R"("})"));
    const auto meta = expect_application_message(next_message(client, stall_deadline()), stream,
                                                 "SubscribeToTopic response");
    if (meta.flags & protocol::rpc::flag_terminate_stream) {
        throw std::runtime_error("SubscribeToTopic response closed the stream");
    }
    return stream;
}

// Checks a PublishToTopic response: APPLICATION_MESSAGE with TERMINATE_STREAM.
inline void expect_publish_response(const protocol::message& msg, std::int32_t stream) {
    const auto meta = expect_application_message(msg, stream, "PublishToTopic response");
    if ((meta.flags & protocol::rpc::flag_terminate_stream) == 0) {
        throw std::runtime_error("PublishToTopic response without TERMINATE_STREAM");
    }
}

// ---------------------------------------------------------------------------------------------
// Daemon set-up

// A recipe the daemon loads at startup, allowing every pub/sub operation on every topic.
inline test::recipe_file open_recipe(const std::string& component) {
    nlohmann::ordered_json recipe = {
        {"RecipeFormatVersion", "2020-01-25"},
        {"ComponentName", component},
        {"ComponentVersion", "1.0.0"},
        {"ComponentConfiguration",
         {{"DefaultConfiguration",
           {{"accessControl",
             {{"aws.greengrass.ipc.pubsub",
               {{component + ":pubsub:1", {{"operations", {"*"}}, {"resources", {"*"}}}}}}}}}}}},
        {"Manifests", {{{"Platform", {{"os", "linux"}}}, {"Lifecycle", {{"Run", "true"}}}}}},
    };
    return {component + ".json", recipe.dump(2) + '\n'};
}

}  // namespace standin::bench
