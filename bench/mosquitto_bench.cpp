// SPDX-License-Identifier: Apache-2.0
// standin_mosquitto_bench: the fan-out of standin_bench through Debian's mosquitto, for a ratio
// against a real broker measured in the same run (issue 11). It starts `mosquitto` on a free
// loopback port with a generated config, connects one publisher and --subscribers subscribers with
// libmosquitto (QoS 0, clean sessions, each client with its own network thread), publishes
// --messages messages of --body-bytes each as fast as the client library takes them, and counts
// until every subscriber has seen every message. The broker is stopped on every exit path.
//
// Rate: deliveries / (first publish .. last delivery at the slowest subscriber), as standin_bench
// computes its fan-out rate. A run in which the broker dropped messages says so on stderr and in
// the JSON ("complete": false); its rate counts only the deliveries that happened.
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <string>
#include <vector>

#include <mosquitto.h>
#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include "bench_support.hpp"

extern char** environ;

namespace fs = std::filesystem;
using namespace standin::bench;

namespace {

constexpr const char* topic = "bench/fanout";

struct options {
    std::string mosquitto = "/usr/sbin/mosquitto";
    int messages = 20'000;
    int subscribers = 10;
    std::size_t body_bytes = 128;
    bool json = false;
    bool tcp_nodelay = false;
};

// A loopback port nothing listens on right now (the kernel's pick; the broker binds it next).
int free_loopback_port() {
    const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) throw std::runtime_error(std::string{"socket: "} + std::strerror(errno));
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof addr;
    if (::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 ||
        ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) != 0) {
        ::close(fd);
        throw std::runtime_error(std::string{"bind: "} + std::strerror(errno));
    }
    ::close(fd);
    return ntohs(addr.sin_port);
}

// The broker as a child process: started with a generated config, ready once it logs "running",
// SIGTERMed and reaped by the destructor whatever happened in between.
class broker_process {
public:
    broker_process(const std::string& executable, int port) : port_(port) {
        char dir_template[] = "/tmp/standin-mosq-XXXXXX";
        if (!::mkdtemp(dir_template)) throw std::runtime_error("mkdtemp failed");
        dir_ = dir_template;
        const auto config = dir_ / "mosquitto.conf";
        std::ofstream(config) << "listener " << port << " 127.0.0.1\n"
                              << "allow_anonymous true\n"
                              << "persistence false\n"
                              // QoS 0 messages to a client whose socket is full queue up to this
                              // count and are then dropped; 0 lifts the limit, as standin's 64 MiB
                              // cap does not bind in this run either.
                              << "max_queued_messages 0\n"
                              << "log_dest stderr\n"
                              << "log_type error\nlog_type warning\nlog_type notice\n"
                              << "log_type information\n";
        int out[2];
        if (::pipe2(out, O_CLOEXEC) != 0) throw std::runtime_error("pipe2 failed");
        posix_spawn_file_actions_t actions;
        posix_spawn_file_actions_init(&actions);
        posix_spawn_file_actions_adddup2(&actions, out[1], STDOUT_FILENO);
        posix_spawn_file_actions_adddup2(&actions, out[1], STDERR_FILENO);
        const std::string config_path = config.string();
        std::vector<char*> argv{const_cast<char*>(executable.c_str()), const_cast<char*>("-c"),
                                const_cast<char*>(config_path.c_str()), nullptr};
        const int rc = ::posix_spawn(&pid_, executable.c_str(), &actions, nullptr, argv.data(), environ);
        posix_spawn_file_actions_destroy(&actions);
        ::close(out[1]);
        out_fd_ = out[0];
        if (rc != 0) {
            pid_ = -1;
            cleanup();
            throw std::runtime_error("cannot run " + executable + ": " + std::strerror(rc));
        }
        if (!wait_for("running", std::chrono::seconds(10))) {
            const auto text = log_;
            cleanup();
            throw std::runtime_error("mosquitto did not start: " + text);
        }
    }
    broker_process(const broker_process&) = delete;
    broker_process& operator=(const broker_process&) = delete;
    ~broker_process() { cleanup(); }

    int port() const noexcept { return port_; }
    // What the broker logged so far (read as it comes while waiting; the rest is read at the end).
    const std::string& log() const noexcept { return log_; }

    // Reads the broker's log until it contains `text`; false at the deadline or its end.
    bool wait_for(std::string_view text, std::chrono::milliseconds timeout) {
        const auto deadline = steady::now() + timeout;
        while (log_.find(text) == std::string::npos) {
            const auto left =
                std::chrono::duration_cast<std::chrono::milliseconds>(deadline - steady::now());
            if (left.count() <= 0) return false;
            pollfd p{out_fd_, POLLIN, 0};
            if (::poll(&p, 1, static_cast<int>(left.count())) <= 0) continue;
            char buf[4096];
            const auto n = ::read(out_fd_, buf, sizeof buf);
            if (n <= 0) return false;
            log_.append(buf, static_cast<std::size_t>(n));
        }
        return true;
    }

    // Stops the broker and returns what it logged after start-up.
    std::string stop() {
        if (pid_ > 0) {
            ::kill(pid_, SIGTERM);
            char buf[4096];
            for (ssize_t n; (n = ::read(out_fd_, buf, sizeof buf)) > 0;)
                log_.append(buf, static_cast<std::size_t>(n));
            int status = 0;
            ::waitpid(pid_, &status, 0);
            pid_ = -1;
        }
        return log_;
    }

private:
    void cleanup() noexcept {
        if (pid_ > 0) {
            ::kill(pid_, SIGTERM);
            int status = 0;
            ::waitpid(pid_, &status, 0);
            pid_ = -1;
        }
        if (out_fd_ >= 0) ::close(out_fd_);
        out_fd_ = -1;
        std::error_code ec;
        fs::remove_all(dir_, ec);
    }

    int port_;
    fs::path dir_;
    pid_t pid_ = -1;
    int out_fd_ = -1;
    std::string log_;
};

// What the callbacks of every client report, guarded by one mutex (they run on the clients'
// network threads).
struct shared_state {
    std::mutex mutex;
    std::condition_variable changed;
    int connected = 0;
    int subscribed = 0;
    long delivered = 0;
    int finished = 0;
    steady::time_point last_delivery{};
    std::string error;
};

struct client_ctx {
    shared_state* state;
    int expected = 0;
    int received = 0;
};

void on_connect(mosquitto*, void* user, int rc) {
    auto* ctx = static_cast<client_ctx*>(user);
    std::lock_guard lock{ctx->state->mutex};
    if (rc == 0) {
        ++ctx->state->connected;
    } else {
        ctx->state->error = std::string{"CONNACK refused: "} + mosquitto_connack_string(rc);
    }
    ctx->state->changed.notify_all();
}

void on_subscribe(mosquitto*, void* user, int, int, const int*) {
    auto* ctx = static_cast<client_ctx*>(user);
    std::lock_guard lock{ctx->state->mutex};
    ++ctx->state->subscribed;
    ctx->state->changed.notify_all();
}

void on_message(mosquitto*, void* user, const mosquitto_message*) {
    auto* ctx = static_cast<client_ctx*>(user);
    const auto now = steady::now();
    std::lock_guard lock{ctx->state->mutex};
    ++ctx->state->delivered;
    ctx->state->last_delivery = now;
    if (++ctx->received == ctx->expected) {
        ++ctx->state->finished;
        ctx->state->changed.notify_all();
    }
}

struct mosq_deleter {
    void operator()(mosquitto* m) const noexcept {
        mosquitto_disconnect(m);
        mosquitto_loop_stop(m, false);
        mosquitto_destroy(m);
    }
};
using client_ptr = std::unique_ptr<mosquitto, mosq_deleter>;

client_ptr make_client(const std::string& id, client_ctx& ctx, int port, bool nodelay) {
    mosquitto* m = mosquitto_new(id.c_str(), true, &ctx);
    if (!m) throw std::runtime_error("mosquitto_new failed");
    client_ptr client{m};
    mosquitto_connect_callback_set(m, on_connect);
    mosquitto_subscribe_callback_set(m, on_subscribe);
    mosquitto_message_callback_set(m, on_message);
    if (nodelay) mosquitto_int_option(m, MOSQ_OPT_TCP_NODELAY, 1);
    if (const int rc = mosquitto_connect(m, "127.0.0.1", port, 60); rc != MOSQ_ERR_SUCCESS)
        throw std::runtime_error(std::string{"mosquitto_connect: "} + mosquitto_strerror(rc));
    if (const int rc = mosquitto_loop_start(m); rc != MOSQ_ERR_SUCCESS)
        throw std::runtime_error(std::string{"mosquitto_loop_start: "} + mosquitto_strerror(rc));
    return client;
}

// Waits until `done` holds (true) or `timeout` passes with no change (false); throws on an error.
template <typename Pred>
bool wait_progress(shared_state& state, std::chrono::milliseconds timeout, Pred done) {
    std::unique_lock lock{state.mutex};
    long seen = -1;
    while (!done()) {
        if (!state.error.empty()) throw std::runtime_error(state.error);
        const long now = state.delivered + state.connected + state.subscribed;
        if (now == seen) return false;
        seen = now;
        state.changed.wait_for(lock, timeout, [&] {
            return done() || !state.error.empty() ||
                   state.delivered + state.connected + state.subscribed != seen;
        });
    }
    return true;
}

int run(const options& opt) {
    mosquitto_lib_init();
    struct lib_cleanup {
        ~lib_cleanup() { mosquitto_lib_cleanup(); }
    } cleanup;
    int major = 0, minor = 0, revision = 0;
    mosquitto_lib_version(&major, &minor, &revision);

    broker_process broker{opt.mosquitto, free_loopback_port()};
    shared_state state;
    const auto stall = std::chrono::milliseconds(std::chrono::seconds(stall_timeout));
    std::deque<client_ctx> contexts;
    std::vector<client_ptr> subscribers;
    for (int i = 0; i < opt.subscribers; ++i) {
        contexts.push_back({&state, opt.messages, 0});
        subscribers.push_back(make_client("bench-sub-" + std::to_string(i), contexts.back(),
                                          broker.port(), opt.tcp_nodelay));
    }
    contexts.push_back({&state, 0, 0});
    auto publisher = make_client("bench-pub", contexts.back(), broker.port(), opt.tcp_nodelay);
    if (!wait_progress(state, stall, [&] { return state.connected == opt.subscribers + 1; }))
        throw std::runtime_error("clients did not connect");
    for (auto& s : subscribers) {
        if (const int rc = mosquitto_subscribe(s.get(), nullptr, topic, 0); rc != MOSQ_ERR_SUCCESS)
            throw std::runtime_error(std::string{"mosquitto_subscribe: "} + mosquitto_strerror(rc));
    }
    if (!wait_progress(state, stall, [&] { return state.subscribed == opt.subscribers; }))
        throw std::runtime_error("subscriptions were not acknowledged");

    const auto start = steady::now();
    for (int i = 0; i < opt.messages; ++i) {
        const auto body = json_message_body(i, now_ns(), opt.body_bytes);
        const int rc = mosquitto_publish(publisher.get(), nullptr, topic, static_cast<int>(body.size()),
                                         body.data(), 0, false);
        if (rc != MOSQ_ERR_SUCCESS)
            throw std::runtime_error(std::string{"mosquitto_publish: "} + mosquitto_strerror(rc));
    }
    // Two seconds without a delivery ends a run the broker dropped messages from.
    const bool complete = wait_progress(state, std::chrono::milliseconds(2000),
                                        [&] { return state.finished == opt.subscribers; });
    steady::time_point last;
    long delivered = 0;
    {
        std::lock_guard lock{state.mutex};
        last = state.last_delivery;
        delivered = state.delivered;
    }
    subscribers.clear();
    publisher.reset();
    const auto log = broker.stop();

    const auto expected = static_cast<long>(opt.messages) * opt.subscribers;
    if (!complete) {
        std::cerr << "standin_mosquitto_bench: " << delivered << " of " << expected
                  << " deliveries arrived (the broker dropped the rest)\n";
    }
    const auto seconds = seconds_between(start, std::max(last, start));
    const auto rate = seconds > 0 ? static_cast<double>(delivered) / seconds : 0.0;
    const nlohmann::ordered_json doc = {
        {"broker", "mosquitto"},
        {"broker_version_line",
         [&] {
             const auto at = log.find("mosquitto version");
             return at == std::string::npos ? std::string{} : log.substr(at, log.find('\n', at) - at);
         }()},
        {"libmosquitto",
         std::to_string(major) + "." + std::to_string(minor) + "." + std::to_string(revision)},
        {"subscribers", opt.subscribers},
        {"messages", opt.messages},
        {"body_bytes", opt.body_bytes},
        {"qos", 0},
        {"complete", complete},
        {"deliveries", delivered},
        {"seconds", seconds},
        {"deliveries_per_s", rate},
        {"publishes_per_s", seconds > 0 ? opt.messages / seconds : 0.0},
    };
    if (opt.json) {
        std::cout << doc.dump(2) << '\n';
    } else {
        std::printf("mosquitto fan-out: 1 -> %d subscribers, %d x %zu-byte QoS 0: %.0f deliveries/s%s\n",
                    opt.subscribers, opt.messages, opt.body_bytes, rate,
                    complete ? "" : " (incomplete)");
    }
    return 0;
}

}  // namespace

int main(int argc, char** argv) {
    options opt;
    CLI::App app{"standin_mosquitto_bench: standin_bench's fan-out through Debian's mosquitto"};
    app.add_option("--mosquitto", opt.mosquitto, "the broker executable")->capture_default_str();
    app.add_option("--messages", opt.messages, "messages published")->check(CLI::PositiveNumber);
    app.add_option("--subscribers", opt.subscribers, "subscriber clients")->check(CLI::Range(1, 1000));
    app.add_option("--body-bytes", opt.body_bytes, "payload size");
    app.add_flag("--json", opt.json, "print JSON");
    app.add_flag("--tcp-nodelay", opt.tcp_nodelay, "TCP_NODELAY on the clients' sockets");
    CLI11_PARSE(app, argc, argv);
    // A broker that hangs up must not kill the benchmark with SIGPIPE.
    ::signal(SIGPIPE, SIG_IGN);
    try {
        return run(opt);
    } catch (const std::exception& e) {
        std::cerr << "standin_mosquitto_bench: " << e.what() << '\n';
        return 1;
    }
}
