// SPDX-License-Identifier: Apache-2.0
// standin serve --iot-broker against Debian's real mosquitto, started per test on a free loopback
// port (plain, and TLS with certificates made here with the openssl CLI) and stopped afterwards:
// two standin instances (two thing names) and a cloud-side libmosquitto client share the broker;
// a broker unreachable at start, and one restarted under the daemons, are recovered from.
//
// Every wait is on an event: the broker's "running" log line, a SubscribeToIoTCore response (it
// comes after the broker's SUBACK), a frame, or the cloud client's callback.
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <poll.h>
#include <condition_variable>
#include <cstdlib>
#include <fstream>
#include <mutex>

#include <mosquitto.h>
#include <mqtt_protocol.h>

#include "integration_common.hpp"
#include "standin/model/base64.hpp"

extern char** environ;

namespace standin::test::integration {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

constexpr const char* comp_fleet_device = "com.test.fleet.Device";
constexpr auto broker_wait = 15s;  // reconnects back off up to 10 s

int free_port() {
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address);
    socklen_t length = sizeof address;
    ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length);
    ::close(fd);
    return ntohs(address.sin_port);
}

// Certificates for one TLS test: a CA, the broker's (for 127.0.0.1) and one per device.
struct test_pki {
    explicit test_pki(const fs::path& where) : dir(where) {
        const auto ec_key = [](const fs::path& key) {
            return "openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:prime256v1 -out " +
                   key.string();
        };
        run(ec_key(dir / "ca.key"));
        run("openssl req -x509 -new -key " + (dir / "ca.key").string() + " -out " + ca().string() +
            " -days 1 -subj /CN=standin-test-ca");
        std::ofstream{dir / "server.ext"} << "subjectAltName=IP:127.0.0.1,DNS:localhost\n";
        issue("server", "127.0.0.1", dir / "server.ext");
    }
    // Issues <name>.crt / <name>.key.
    void issue(const std::string& name, const std::string& common_name, const fs::path& ext = {}) {
        const auto key = dir / (name + ".key");
        const auto csr = dir / (name + ".csr");
        run("openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:prime256v1 -out " + key.string());
        run("openssl req -new -key " + key.string() + " -out " + csr.string() +
            " -subj /CN=" + common_name);
        run("openssl x509 -req -in " + csr.string() + " -CA " + ca().string() + " -CAkey " +
            (dir / "ca.key").string() + " -CAcreateserial -days 1 -out " + cert(name).string() +
            (ext.empty() ? std::string{} : " -extfile " + ext.string()));
    }
    fs::path ca() const { return dir / "ca.crt"; }
    fs::path cert(const std::string& name) const { return dir / (name + ".crt"); }
    fs::path key(const std::string& name) const { return dir / (name + ".key"); }

    static void run(const std::string& command) {
        const int rc = std::system((command + " >/dev/null 2>&1").c_str());
        if (rc != 0) throw std::runtime_error("failed: " + command);
    }
    fs::path dir;
};

// Debian's mosquitto on 127.0.0.1:port with the given extra configuration lines.
class mosquitto_broker {
public:
    mosquitto_broker(const fs::path& dir, int port, std::string extra = {})
        : config_(dir / ("mosquitto-" + std::to_string(port) + ".conf")) {
        std::ofstream{config_}
            << "listener " << port << " 127.0.0.1\n"
            << "allow_anonymous true\n"
            << "persistence false\n"
            // Started as root, mosquitto would drop to its own user, which cannot read the
            // test's private temp dir.
            << "user root\n"
            << "log_dest stderr\n"
            << "log_type error\nlog_type warning\nlog_type notice\nlog_type information\n"
            << extra;
        start();
    }
    ~mosquitto_broker() { stop(); }

    void start() {
        int pipe_fds[2];
        if (::pipe2(pipe_fds, O_CLOEXEC) != 0) throw std::runtime_error("pipe2");
        posix_spawn_file_actions_t actions;
        posix_spawn_file_actions_init(&actions);
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
        posix_spawn_file_actions_adddup2(&actions, pipe_fds[1], 1);
        posix_spawn_file_actions_adddup2(&actions, pipe_fds[1], 2);
        const std::string program = "/usr/sbin/mosquitto";
        const std::string config = config_.string();
        std::vector<char*> argv{const_cast<char*>(program.c_str()), const_cast<char*>("-c"),
                                const_cast<char*>(config.c_str()), nullptr};
        const int rc = ::posix_spawn(&pid_, program.c_str(), &actions, nullptr, argv.data(), environ);
        posix_spawn_file_actions_destroy(&actions);
        ::close(pipe_fds[1]);
        output_.reset(pipe_fds[0]);
        if (rc != 0) throw std::runtime_error("cannot start mosquitto");
        // Ready once it logs that it runs (after opening its listener).
        if (!read_until("running", 10s)) {
            stop();
            throw std::runtime_error("mosquitto did not start: " + log_);
        }
    }

    // SIGTERM, and a bounded wait for the exit (SIGKILL after it).
    void stop() {
        if (pid_ <= 0) return;
        const int pidfd = static_cast<int>(::syscall(SYS_pidfd_open, pid_, 0));
        ::kill(pid_, SIGTERM);
        pollfd p{pidfd, POLLIN, 0};
        if (pidfd < 0 || ::poll(&p, 1, 10000) <= 0) ::kill(pid_, SIGKILL);
        ::waitpid(pid_, nullptr, 0);
        if (pidfd >= 0) ::close(pidfd);
        pid_ = -1;
        output_.reset();
    }

private:
    bool read_until(std::string_view text, std::chrono::milliseconds timeout) {
        const auto deadline = steady_clock::now() + timeout;
        char buffer[4096];
        while (log_.find(text) == std::string::npos) {
            const auto left =
                std::chrono::duration_cast<std::chrono::milliseconds>(deadline - steady_clock::now());
            if (left.count() <= 0) return false;
            pollfd p{output_.get(), POLLIN, 0};
            if (::poll(&p, 1, static_cast<int>(left.count())) <= 0) return false;
            const auto n = ::read(output_.get(), buffer, sizeof buffer);
            if (n <= 0) return false;
            log_.append(buffer, static_cast<std::size_t>(n));
        }
        return true;
    }

    fs::path config_;
    pid_t pid_ = -1;
    unique_fd output_;
    std::string log_;
};

// The cloud side: a libmosquitto client (MQTT 5) on its own thread, as test code in the cloud
// would use the broker. Everything it receives is kept and waited on with deadlines.
class cloud_client {
public:
    struct message {
        std::string topic;
        std::string payload;
        bool retain = false;
        std::optional<std::string> content_type;
        std::vector<std::pair<std::string, std::string>> user_properties;
    };

    cloud_client(int port, const test_pki* pki = nullptr, const std::string& name = "cloud") {
        mosquitto_lib_init();
        client_ = mosquitto_new(("standin-test-" + name).c_str(), true, this);
        mosquitto_int_option(client_, MOSQ_OPT_PROTOCOL_VERSION, MQTT_PROTOCOL_V5);
        if (pki != nullptr) {
            mosquitto_tls_set(client_, pki->ca().c_str(), nullptr, pki->cert(name).c_str(),
                              pki->key(name).c_str(), nullptr);
        }
        mosquitto_connect_v5_callback_set(client_, [](mosquitto*, void* self, int rc, int,
                                                      const mosquitto_property*) {
            static_cast<cloud_client*>(self)->signal([&](cloud_client& c) { c.connected_ = rc == 0; });
        });
        mosquitto_subscribe_v5_callback_set(
            client_, [](mosquitto*, void* self, int, int, const int*, const mosquitto_property*) {
                static_cast<cloud_client*>(self)->signal([](cloud_client& c) { ++c.subacks_; });
            });
        mosquitto_message_v5_callback_set(client_, [](mosquitto*, void* self, const mosquitto_message* m,
                                                      const mosquitto_property* props) {
            message in{m->topic,
                       std::string(static_cast<const char*>(m->payload),
                                   static_cast<std::size_t>(m->payloadlen)),
                       m->retain,
                       std::nullopt,
                       {}};
            char* content_type = nullptr;
            if (mosquitto_property_read_string(props, MQTT_PROP_CONTENT_TYPE, &content_type, false)) {
                in.content_type = content_type;
                std::free(content_type);
            }
            for (const mosquitto_property* p = props; p; p = mosquitto_property_next(p)) {
                if (mosquitto_property_identifier(p) != MQTT_PROP_USER_PROPERTY) continue;
                char* key = nullptr;
                char* value = nullptr;
                mosquitto_property_read_string_pair(p, MQTT_PROP_USER_PROPERTY, &key, &value, false);
                in.user_properties.emplace_back(key, value);
                std::free(key);
                std::free(value);
            }
            static_cast<cloud_client*>(self)->signal(
                [&](cloud_client& c) { c.received_.push_back(std::move(in)); });
        });
        if (mosquitto_connect(client_, "127.0.0.1", port, 30) != MOSQ_ERR_SUCCESS)
            throw std::runtime_error("cloud client cannot connect");
        mosquitto_loop_start(client_);
        if (!wait([](const cloud_client& c) { return c.connected_; }))
            throw std::runtime_error("no CONNACK");
    }
    ~cloud_client() {
        mosquitto_disconnect(client_);
        mosquitto_loop_stop(client_, false);
        mosquitto_destroy(client_);
    }

    void subscribe(const std::string& filter) {
        int before = 0;
        {
            std::lock_guard lock{mutex_};
            before = subacks_;
        }
        mosquitto_subscribe_v5(client_, nullptr, filter.c_str(), 1, 0, nullptr);
        ASSERT_TRUE(wait([before](const cloud_client& c) { return c.subacks_ > before; }))
            << "no SUBACK";
    }
    void publish(const std::string& topic, const std::string& payload, bool retain = false) {
        ASSERT_EQ(mosquitto_publish_v5(client_, nullptr, topic.c_str(), static_cast<int>(payload.size()),
                                       payload.data(), 1, retain, nullptr),
                  MOSQ_ERR_SUCCESS);
    }
    // The first message on `topic`, waiting for it.
    std::optional<message> next_on(const std::string& topic) {
        std::optional<message> found;
        wait([&](const cloud_client& c) {
            for (const auto& m : c.received_) {
                if (m.topic == topic) {
                    found = m;
                    return true;
                }
            }
            return false;
        });
        return found;
    }

private:
    template <class F>
    void signal(F&& change) {
        {
            std::lock_guard lock{mutex_};
            change(*this);
        }
        changed_.notify_all();
    }
    template <class Predicate>
    bool wait(Predicate done) {
        std::unique_lock lock{mutex_};
        return changed_.wait_for(lock, broker_wait, [&] { return done(*this); });
    }

    mosquitto* client_ = nullptr;
    std::mutex mutex_;
    std::condition_variable changed_;
    bool connected_ = false;
    int subacks_ = 0;
    std::vector<message> received_;
};

recipe_file device_recipe() {
    json recipe = {
        {"RecipeFormatVersion", "2020-01-25"},
        {"ComponentName", comp_fleet_device},
        {"ComponentVersion", "1.0.0"},
        {"ComponentConfiguration",
         {{"DefaultConfiguration",
           {{"accessControl",
             {{"aws.greengrass.ipc.mqttproxy",
               {{"fleet:1",
                 {{"operations", {op_publish_iot, op_subscribe_iot}}, {"resources", {"*"}}}}}}}}}}}},
        {"Manifests", json::array({{{"Lifecycle", {{"Run", "true"}}}}})}};
    return {std::string{comp_fleet_device} + ".json", recipe.dump()};
}

class IotBrokerTest : public ::testing::Test {
protected:
    // A standin instance on the broker, as thing `thing`.
    std::unique_ptr<daemon_process> device(const std::string& thing,
                                           std::vector<std::string> broker_args) {
        std::vector<std::string> args{"--thing-name", thing};
        args.insert(args.end(), broker_args.begin(), broker_args.end());
        return std::make_unique<daemon_process>(daemon_config{{device_recipe()}, args});
    }
    std::vector<std::string> plain_args() const {
        return {"--iot-broker", "mqtt://127.0.0.1:" + std::to_string(port_)};
    }

    static raw_client connect(daemon_process& d) {
        raw_client c{d.socket_path()};
        c.connect_or_throw(d.token(comp_fleet_device));
        return c;
    }
    // Subscribes; the response proves the broker granted it. Returns the stream id.
    static std::int32_t subscribe(raw_client& c, std::string_view filter) {
        const auto id = c.request(op_subscribe_iot, {{"topicName", filter}, {"qos", "1"}});
        const auto reply = c.read_message(broker_wait);
        if (!reply) {
            ADD_FAILURE() << "no SubscribeToIoTCore response for " << filter;
            return id;
        }
        expect_application_message(*reply, id, 0, "aws.greengrass#SubscribeToIoTCoreResponse");
        return id;
    }
    static protocol::message publish(raw_client& c, const json& body) {
        c.request(op_publish_iot, body);
        auto reply = c.read_message(broker_wait);
        if (!reply) {
            ADD_FAILURE() << "no PublishToIoTCore reply";
            return {};
        }
        return *reply;
    }
    static void publish_ok(raw_client& c, const json& body) {
        const auto reply = publish(c, body);
        EXPECT_EQ(frames::string_header(reply, "service-model-type"),
                  "aws.greengrass#PublishToIoTCoreResponse")
            << frames::describe(reply);
    }
    // The next event on `c`: an IoTCoreMessage on `stream`; returns its message member.
    static json next_message(raw_client& c, std::int32_t stream) {
        const auto event = c.read_message(broker_wait);
        if (!event) {
            ADD_FAILURE() << "no IoTCoreMessage";
            return nullptr;
        }
        expect_application_message(*event, stream, 0, "aws.greengrass#IoTCoreMessage");
        return frames::json_of(*event)["message"];
    }
    static std::string payload_of(const json& message) {
        return model::base64_decode(message.value("payload", "")).value_or("?");
    }

    temp_dir dir_;
    int port_ = free_port();
};

TEST_F(IotBrokerTest, TwoInstancesAndTheCloudShareTheBroker) {
    mosquitto_broker broker{dir_.path(), port_};
    cloud_client cloud{port_};
    cloud.subscribe("fleet/#");
    auto a = device("thing-a", plain_args());
    auto b = device("thing-b", plain_args());
    auto ca = connect(*a);
    auto cb = connect(*b);
    const auto a_commands = subscribe(ca, "fleet/thing-a/cmd/#");
    const auto b_inbox = subscribe(cb, "fleet/thing-b/inbox");

    // Device to device, with the MQTT 5 fields through the broker.
    publish_ok(cb, {{"topicName", "fleet/thing-a/cmd/reboot"},
                    {"qos", "1"},
                    {"payload", model::base64_encode("now")},
                    {"userProperties", json::array({{{"key", "from"}, {"value", "thing-b"}}})},
                    {"correlationData", model::base64_encode("c-1")},
                    {"responseTopic", "fleet/thing-b/inbox"},
                    {"payloadFormat", "1"},
                    {"contentType", "text/plain"},
                    {"messageExpiryIntervalSeconds", 120}});
    const auto command = next_message(ca, a_commands);
    EXPECT_EQ(command["topicName"], "fleet/thing-a/cmd/reboot");
    EXPECT_EQ(payload_of(command), "now");
    EXPECT_EQ(command["userProperties"], json::array({{{"key", "from"}, {"value", "thing-b"}}}));
    EXPECT_EQ(command["correlationData"], model::base64_encode("c-1"));
    EXPECT_EQ(command["responseTopic"], "fleet/thing-b/inbox");
    EXPECT_EQ(command["payloadFormat"], "1");
    EXPECT_EQ(command["contentType"], "text/plain");
    ASSERT_TRUE(command.contains("messageExpiryIntervalSeconds"));
    EXPECT_LE(command["messageExpiryIntervalSeconds"].get<int>(), 120);
    EXPECT_EQ(command["retain"], false);

    // The cloud sees what components publish...
    const auto seen = cloud.next_on("fleet/thing-a/cmd/reboot");
    ASSERT_TRUE(seen.has_value());
    EXPECT_EQ(seen->payload, "now");
    EXPECT_EQ(seen->content_type, "text/plain");
    EXPECT_EQ(seen->user_properties,
              (std::vector<std::pair<std::string, std::string>>{{"from", "thing-b"}}));
    // ...and reaches their subscriptions.
    cloud.publish("fleet/thing-b/inbox", "hello from the cloud");
    const auto inbox = next_message(cb, b_inbox);
    EXPECT_EQ(payload_of(inbox), "hello from the cloud");
    EXPECT_EQ(inbox["payloadFormat"], "0");
    expect_nothing_more(ca);
    expect_nothing_more(cb);
}

TEST_F(IotBrokerTest, OverTlsWithDeviceCertificates) {
    test_pki pki{dir_.path()};
    pki.issue("thing-tls", "thing-tls");
    pki.issue("cloud", "cloud");
    mosquitto_broker broker{dir_.path(), port_,
                            "cafile " + pki.ca().string() + "\ncertfile " + pki.cert("server").string() +
                                "\nkeyfile " + pki.key("server").string() +
                                "\nrequire_certificate true\n"};
    cloud_client cloud{port_, &pki, "cloud"};
    cloud.subscribe("tls/#");
    auto d =
        device("thing-tls", {"--iot-broker", "mqtts://127.0.0.1:" + std::to_string(port_), "--iot-ca",
                             pki.ca().string(), "--iot-cert", pki.cert("thing-tls").string(),
                             "--iot-key", pki.key("thing-tls").string()});
    auto c = connect(*d);
    const auto stream = subscribe(c, "tls/down");
    cloud.publish("tls/down", "secret");
    EXPECT_EQ(payload_of(next_message(c, stream)), "secret");
    publish_ok(c, iot_publish_body("tls/up", "from the device"));
    const auto up = cloud.next_on("tls/up");
    ASSERT_TRUE(up.has_value());
    EXPECT_EQ(up->payload, "from the device");
}

TEST_F(IotBrokerTest, UnreachableAtStartThenRecovers) {
    auto d = device("thing-late", plain_args());
    auto c = connect(*d);
    // Offline: QoS 0 is refused as the nucleus refuses it, QoS 1 is spooled.
    const auto q0 = c.request(op_publish_iot, iot_publish_body("late/q0", "dropped", "0"));
    const auto refused = c.read_message();
    ASSERT_TRUE(refused.has_value());
    expect_modeled_error(*refused, q0, "ServiceError",
                         "Publish to topic late/q0 failed: Device is offline. Dropping QoS 0 message.");
    json spooled = iot_publish_body("late/spooled", "kept while offline");
    spooled["retain"] = true;
    publish_ok(c, spooled);
    // A subscription waits for the broker.
    const auto id = c.request(op_subscribe_iot, {{"topicName", "late/down"}, {"qos", "1"}});
    expect_nothing_more(c);

    mosquitto_broker broker{dir_.path(), port_};
    const auto response = c.read_message(broker_wait);
    ASSERT_TRUE(response.has_value()) << "the subscription was not answered once the broker came";
    expect_application_message(*response, id, 0, "aws.greengrass#SubscribeToIoTCoreResponse");
    // The spooled message reached the broker: the cloud gets it, live or retained, whenever it
    // subscribes.
    cloud_client cloud{port_};
    cloud.subscribe("late/#");
    const auto seen = cloud.next_on("late/spooled");
    ASSERT_TRUE(seen.has_value());
    EXPECT_EQ(seen->payload, "kept while offline");
    cloud.publish("late/down", "welcome");
    EXPECT_EQ(payload_of(next_message(c, id)), "welcome");
}

TEST_F(IotBrokerTest, ABrokerRestartIsSurvived) {
    auto broker = std::make_unique<mosquitto_broker>(dir_.path(), port_);
    auto a = device("thing-r1", plain_args());
    auto b = device("thing-r2", plain_args());
    auto ca = connect(*a);
    auto cb = connect(*b);
    const auto stream = subscribe(ca, "restart/cmd/#");
    subscribe(cb, "restart/unused");
    publish_ok(cb, iot_publish_body("restart/cmd/before", "1"));
    EXPECT_EQ(payload_of(next_message(ca, stream)), "1");

    broker.reset();
    broker = std::make_unique<mosquitto_broker>(dir_.path(), port_);
    // A retained message from the cloud reaches the device once it has subscribed again: live if
    // it already had, else as the broker's retained message on its new subscription.
    {
        cloud_client cloud{port_};
        cloud.publish("restart/cmd/after", "2", /*retain=*/true);
        const auto again = next_message(ca, stream);
        EXPECT_EQ(again["topicName"], "restart/cmd/after");
        EXPECT_EQ(payload_of(again), "2");
        EXPECT_EQ(again["retain"], true);
    }
    // And the other instance publishes to it again (QoS 1: spooled if it is still reconnecting).
    publish_ok(cb, iot_publish_body("restart/cmd/later", "3"));
    const auto later = next_message(ca, stream);
    EXPECT_EQ(later["topicName"], "restart/cmd/later");
    EXPECT_EQ(payload_of(later), "3");
}

TEST(IotBrokerFlags, BadBrokerFlagsAreUsageOrStartupErrors) {
    const auto bad_url = run_standin({"serve", "--iot-broker", "http://127.0.0.1:1883"});
    EXPECT_EQ(bad_url.exit_code, 2) << bad_url.err;
    EXPECT_NE(bad_url.err.find("not a broker URL"), std::string::npos) << bad_url.err;
    const auto bad_port = run_standin({"serve", "--iot-broker", "mqtt://127.0.0.1:99999"});
    EXPECT_EQ(bad_port.exit_code, 2) << bad_port.err;
    const auto lone_cert =
        run_standin({"serve", "--iot-broker", "mqtts://127.0.0.1", "--iot-cert", "/etc/hostname"});
    EXPECT_EQ(lone_cert.exit_code, 2) << lone_cert.err;
    temp_dir dir;
    const auto plain_with_ca = run_standin({"serve", "--root", dir.path().string(), "--iot-broker",
                                            "mqtt://127.0.0.1:1883", "--iot-ca", "/etc/hostname"});
    EXPECT_EQ(plain_with_ca.exit_code, 1) << plain_with_ca.err;
    EXPECT_NE(plain_with_ca.err.find("need an mqtts://"), std::string::npos) << plain_with_ca.err;
}

}  // namespace
}  // namespace standin::test::integration
