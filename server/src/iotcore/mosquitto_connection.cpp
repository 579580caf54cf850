// SPDX-License-Identifier: Apache-2.0
// libmosquitto without its thread: connect_async opens a non-blocking socket and queues CONNECT;
// from then on the socket's readiness drives mosquitto_loop_read / mosquitto_loop_write and a
// one-second timer mosquitto_loop_misc (keepalive). Asio watches a dup() of the socket, so that
// libmosquitto closing its own descriptor never leaves Asio watching a reused number. Asio's epoll
// reactor is edge-triggered, so a read pass continues while poll() still reports data.
//
// libmosquitto calls back from inside those loop calls; a lost connection is only noted there and
// handled once the loop call has returned (the descriptor is swapped outside libmosquitto).
#include "iotcore/mosquitto_connection.hpp"

#include <poll.h>
#include <unistd.h>

#include <algorithm>
#include <charconv>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <stdexcept>
#include <unordered_map>
#include <utility>

#include <mosquitto.h>
#include <mqtt_protocol.h>
#include <boost/asio/posix/stream_descriptor.hpp>
#include <boost/asio/steady_timer.hpp>

#include "util/log.hpp"
#include "util/shared_library.hpp"

namespace standin::server::iotcore {

namespace {

namespace asio = boost::asio;
using std::chrono::milliseconds;

constexpr int keepalive_seconds = 60;  // the nucleus's mqtt.keepAliveTimeoutMs default
constexpr auto misc_interval = std::chrono::seconds{1};
// Our choice: quick enough to notice a restarted broker in a test, gentle on one that is down.
constexpr milliseconds first_retry_delay{250};
constexpr milliseconds max_retry_delay{10'000};
// Packets handled per readiness before yielding to the other connections.
constexpr int max_read_passes = 64;

const std::shared_ptr<spdlog::logger>& log() {
    static const auto instance = logger("iotcore.broker");
    return instance;
}

// libmosquitto, and the OpenSSL it loads, are opened by the first --iot-broker connection.
#define STANDIN_LIBMOSQUITTO_FUNCTIONS(X)   \
    X(mosquitto_connect_async)              \
    X(mosquitto_connect_v5_callback_set)    \
    X(mosquitto_destroy)                    \
    X(mosquitto_disconnect_v5)              \
    X(mosquitto_disconnect_v5_callback_set) \
    X(mosquitto_int_option)                 \
    X(mosquitto_lib_init)                   \
    X(mosquitto_loop_misc)                  \
    X(mosquitto_loop_read)                  \
    X(mosquitto_loop_write)                 \
    X(mosquitto_message_v5_callback_set)    \
    X(mosquitto_new)                        \
    X(mosquitto_property_add_binary)        \
    X(mosquitto_property_add_byte)          \
    X(mosquitto_property_add_int32)         \
    X(mosquitto_property_add_string)        \
    X(mosquitto_property_add_string_pair)   \
    X(mosquitto_property_add_varint)        \
    X(mosquitto_property_free_all)          \
    X(mosquitto_property_identifier)        \
    X(mosquitto_property_next)              \
    X(mosquitto_property_read_binary)       \
    X(mosquitto_property_read_byte)         \
    X(mosquitto_property_read_int32)        \
    X(mosquitto_property_read_string)       \
    X(mosquitto_property_read_string_pair)  \
    X(mosquitto_property_read_varint)       \
    X(mosquitto_publish_v5)                 \
    X(mosquitto_reason_string)              \
    X(mosquitto_reconnect_async)            \
    X(mosquitto_socket)                     \
    X(mosquitto_strerror)                   \
    X(mosquitto_subscribe_v5)               \
    X(mosquitto_subscribe_v5_callback_set)  \
    X(mosquitto_tls_set)                    \
    X(mosquitto_unsubscribe_v5)             \
    X(mosquitto_want_write)

// Debian's libmosquitto1 (libmosquitto 2.x), the library whose headers we compile against.
constexpr const char* libmosquitto_soname = "libmosquitto.so.1";
static_assert(LIBMOSQUITTO_MAJOR == 2, "libmosquitto 2.x is libmosquitto.so.1");

struct libmosquitto_functions {
    STANDIN_LIBMOSQUITTO_FUNCTIONS(STANDIN_DECLARE_FUNCTION)
    std::string error;  // set: it could not be opened, and the functions are null

    explicit libmosquitto_functions(util::shared_library library) {
        STANDIN_LIBMOSQUITTO_FUNCTIONS(STANDIN_RESOLVE_FUNCTION)
        error = library.error();
        if (error.empty()) mosquitto_lib_init();
    }
};

// Opened and initialised once, by the first connection's start() (a static local: thread-safe);
// throws when it is unusable.
const libmosquitto_functions& mq() {
    static const libmosquitto_functions functions{
        util::shared_library{libmosquitto_soname, "libmosquitto1", "to use --iot-broker"}};
    if (!functions.error.empty()) throw std::runtime_error(functions.error);
    return functions;
}

bool readable_now(int fd) {
    pollfd p{fd, POLLIN, 0};
    return ::poll(&p, 1, 0) > 0 && (p.revents & (POLLIN | POLLERR | POLLHUP)) != 0;
}

// Owns a property list under construction.
struct property_list {
    mosquitto_property* head = nullptr;
    ~property_list() { mq().mosquitto_property_free_all(&head); }
};

class mosquitto_connection final : public broker_connection,
                                   public std::enable_shared_from_this<mosquitto_connection> {
public:
    mosquitto_connection(asio::any_io_executor executor, broker_settings settings)
        : settings_(std::move(settings)),
          socket_(executor),
          misc_timer_(executor),
          retry_timer_(executor) {}

    ~mosquitto_connection() override {
        if (client_ != nullptr) mq().mosquitto_destroy(client_);
    }

    void start(events on) override {
        events_ = std::move(on);
        client_ = mq().mosquitto_new(settings_.client_id.c_str(), /*clean_session=*/true, this);
        if (client_ == nullptr)
            throw std::runtime_error("mosquitto_new failed: " + std::string{std::strerror(errno)});
        mq().mosquitto_int_option(client_, MOSQ_OPT_PROTOCOL_VERSION, MQTT_PROTOCOL_V5);
        if (settings_.tls) {
            const auto path = [](const std::optional<std::filesystem::path>& p) {
                return p ? p->c_str() : nullptr;
            };
            const char* capath = settings_.ca_file ? nullptr : "/etc/ssl/certs";
            const int rc =
                mq().mosquitto_tls_set(client_, path(settings_.ca_file), capath,
                                       path(settings_.cert_file), path(settings_.key_file), nullptr);
            if (rc != MOSQ_ERR_SUCCESS) {
                throw std::runtime_error("--iot-broker " + settings_.url +
                                         ": TLS settings refused: " + mq().mosquitto_strerror(rc));
            }
        }
        mq().mosquitto_connect_v5_callback_set(client_, &on_connect);
        mq().mosquitto_disconnect_v5_callback_set(client_, &on_disconnect);
        mq().mosquitto_subscribe_v5_callback_set(client_, &on_subscribe);
        mq().mosquitto_message_v5_callback_set(client_, &on_message);
        connect(/*first=*/true);
    }

    void stop() override {
        if (stopped_) return;
        stopped_ = true;
        misc_timer_.cancel();
        retry_timer_.cancel();
        if (client_ != nullptr && online_) {
            mq().mosquitto_disconnect_v5(client_, MQTT_RC_NORMAL_DISCONNECTION, nullptr);
            mq().mosquitto_loop_write(client_, 1);
        }
        close_socket();
        online_ = false;
    }

    bool online() const noexcept override { return online_; }

    std::optional<std::string> publish(const mqtt_message& message) override {
        if (!online_) return "Device is offline";
        property_list props;
        add(props, mq().mosquitto_property_add_byte(
                       &props.head, MQTT_PROP_PAYLOAD_FORMAT_INDICATOR,
                       message.payload_format == model::payload_format::utf8 ? 1 : 0));
        if (const auto expiry = message.message_expiry_interval_seconds; expiry && *expiry >= 0) {
            const auto seconds = static_cast<std::uint32_t>(std::min<std::int64_t>(*expiry, UINT32_MAX));
            add(props, mq().mosquitto_property_add_int32(&props.head, MQTT_PROP_MESSAGE_EXPIRY_INTERVAL,
                                                         seconds));
        }
        if (message.content_type) {
            add(props, mq().mosquitto_property_add_string(&props.head, MQTT_PROP_CONTENT_TYPE,
                                                          message.content_type->c_str()));
        }
        if (message.response_topic) {
            add(props, mq().mosquitto_property_add_string(&props.head, MQTT_PROP_RESPONSE_TOPIC,
                                                          message.response_topic->c_str()));
        }
        if (message.correlation_data) {
            add(props, mq().mosquitto_property_add_binary(
                           &props.head, MQTT_PROP_CORRELATION_DATA, message.correlation_data->data(),
                           static_cast<std::uint16_t>(message.correlation_data->size())));
        }
        for (const auto& [key, value] : message.user_properties) {
            add(props, mq().mosquitto_property_add_string_pair(&props.head, MQTT_PROP_USER_PROPERTY,
                                                               key.c_str(), value.c_str()));
        }
        const int rc = mq().mosquitto_publish_v5(
            client_, nullptr, message.topic.c_str(), static_cast<int>(message.payload.size()),
            message.payload.data(), message.qos == model::qos::at_least_once ? 1 : 0, message.retain,
            props.head);
        after_call();
        if (rc != MOSQ_ERR_SUCCESS) return std::string{mq().mosquitto_strerror(rc)};
        return std::nullopt;
    }

    void subscribe(const std::string& filter, model::qos qos, std::uint32_t subscription_id) override {
        if (!online_) return;
        property_list props;
        add(props, mq().mosquitto_property_add_varint(&props.head, MQTT_PROP_SUBSCRIPTION_IDENTIFIER,
                                                      subscription_id));
        // As the nucleus subscribes: retain as published, retained messages sent on subscribe.
        int mid = 0;
        const int rc = mq().mosquitto_subscribe_v5(client_, &mid, filter.c_str(),
                                                   qos == model::qos::at_least_once ? 1 : 0,
                                                   MQTT_SUB_OPT_RETAIN_AS_PUBLISHED, props.head);
        if (rc == MOSQ_ERR_SUCCESS) {
            pending_subscriptions_[mid] = filter;
        } else {
            log()->error("subscribing to {} failed: {}", filter, mq().mosquitto_strerror(rc));
        }
        after_call();
    }

    void unsubscribe(const std::string& filter) override {
        if (!online_) return;
        mq().mosquitto_unsubscribe_v5(client_, nullptr, filter.c_str(), nullptr);
        after_call();
    }

private:
    static void add(property_list&, int rc) {
        if (rc != MOSQ_ERR_SUCCESS)
            throw std::runtime_error(std::string{"MQTT property: "} + mq().mosquitto_strerror(rc));
    }

    // ---- connecting ----------------------------------------------------------------------------

    void connect(bool first) {
        if (stopped_) return;
        const int rc = first ? mq().mosquitto_connect_async(client_, settings_.host.c_str(),
                                                            settings_.port, keepalive_seconds)
                             : mq().mosquitto_reconnect_async(client_);
        if (rc != MOSQ_ERR_SUCCESS || mq().mosquitto_socket(client_) < 0) {
            unreachable(reason_of(rc));
            return;
        }
        watch_socket();
    }

    void unreachable(const std::string& why) {
        close_socket();
        if (!reported_unreachable_) {
            log()->warn(
                "IoT broker {} unreachable ({}); retrying, PublishToIoTCore QoS 0 fails and QoS 1 "
                "is spooled meanwhile",
                settings_.url, why);
            reported_unreachable_ = true;
        } else {
            log()->debug("IoT broker {} still unreachable ({})", settings_.url, why);
        }
        schedule_retry();
    }

    void schedule_retry() {
        if (stopped_) return;
        const auto delay = retry_delay_;
        retry_delay_ = std::min(retry_delay_ * 2, max_retry_delay);
        retry_timer_.expires_after(delay);
        retry_timer_.async_wait([weak = weak_from_this()](const boost::system::error_code& ec) {
            const auto self = weak.lock();
            if (!self || ec || self->stopped_) return;
            self->connect(/*first=*/false);
        });
    }

    // ---- the socket ----------------------------------------------------------------------------

    void watch_socket() {
        close_socket();
        const int fd = ::dup(mq().mosquitto_socket(client_));
        if (fd < 0) {
            unreachable(std::strerror(errno));
            return;
        }
        socket_.assign(fd);
        ++generation_;
        wait_readable();
        wait_writable_if_needed();
        arm_misc_timer();
    }

    void close_socket() {
        boost::system::error_code ignored;
        if (socket_.is_open()) socket_.close(ignored);
        writing_ = false;
    }

    void wait_readable() {
        socket_.async_wait(
            asio::posix::stream_descriptor::wait_read,
            [weak = weak_from_this(), generation = generation_](const boost::system::error_code& ec) {
                const auto self = weak.lock();
                if (!self || ec || self->stopped_ || generation != self->generation_) return;
                self->on_readable();
            });
    }

    void on_readable() {
        const int fd = mq().mosquitto_socket(client_);
        int rc = MOSQ_ERR_SUCCESS;
        for (int pass = 0; pass < max_read_passes && rc == MOSQ_ERR_SUCCESS; ++pass) {
            rc = mq().mosquitto_loop_read(client_, 1);
            if (fd < 0 || mq().mosquitto_socket(client_) < 0 || !readable_now(fd)) break;
        }
        if (check_lost(rc)) return;
        wait_readable();
        wait_writable_if_needed();
    }

    void wait_writable_if_needed() {
        if (writing_ || !socket_.is_open() || !mq().mosquitto_want_write(client_)) return;
        writing_ = true;
        socket_.async_wait(
            asio::posix::stream_descriptor::wait_write,
            [weak = weak_from_this(), generation = generation_](const boost::system::error_code& ec) {
                const auto self = weak.lock();
                if (!self || generation != self->generation_) return;
                self->writing_ = false;
                if (ec || self->stopped_) return;
                self->on_writable();
            });
    }

    void on_writable() {
        // Until the TLS handshake is done, libmosquitto's write step waits for it, and only its
        // read step drives it (mosquitto_loop does the same on writability); a read step with
        // nothing to read is a no-op.
        const bool handshaking = settings_.tls && !online_;
        int rc = handshaking ? mq().mosquitto_loop_read(client_, 1) : MOSQ_ERR_SUCCESS;
        // One pass writes all that is queued; a larger count only spins, as libmosquitto's write
        // loop stops early on an error or EAGAIN alone.
        if (rc == MOSQ_ERR_SUCCESS && mq().mosquitto_socket(client_) >= 0)
            rc = mq().mosquitto_loop_write(client_, 1);
        if (check_lost(rc)) return;
        // While handshaking the socket stays writable with CONNECT queued: wait for the broker's
        // answer instead of spinning (each read pass asks for writability again).
        if (!handshaking) wait_writable_if_needed();
    }

    void arm_misc_timer() {
        misc_timer_.expires_after(misc_interval);
        misc_timer_.async_wait(
            [weak = weak_from_this(), generation = generation_](const boost::system::error_code& ec) {
                const auto self = weak.lock();
                if (!self || ec || self->stopped_ || generation != self->generation_) return;
                const int rc = mq().mosquitto_loop_misc(self->client_);
                if (self->check_lost(rc)) return;
                self->wait_writable_if_needed();
                self->arm_misc_timer();
            });
    }

    // After publish/subscribe/unsubscribe: what they queued goes out when the socket takes it.
    void after_call() {
        if (check_lost(MOSQ_ERR_SUCCESS)) return;
        wait_writable_if_needed();
    }

    // Whether the connection is gone (libmosquitto closed its socket); if so, reports it and
    // schedules the reconnect.
    bool check_lost(int rc) {
        if (stopped_) return true;
        if (mq().mosquitto_socket(client_) >= 0 && rc != MOSQ_ERR_CONN_LOST && rc != MOSQ_ERR_NO_CONN)
            return false;
        ++generation_;  // handlers of the old socket are stale
        close_socket();
        pending_subscriptions_.clear();
        misc_timer_.cancel();
        if (online_) {
            online_ = false;
            log()->warn("lost the connection to IoT broker {} ({}); reconnecting", settings_.url,
                        reason_of(rc));
            if (events_.disconnected) events_.disconnected();
            reported_unreachable_ = false;
            retry_delay_ = first_retry_delay;
            schedule_retry();
        } else {
            unreachable(!refusal_.empty() ? std::exchange(refusal_, {}) : reason_of(rc));
        }
        return true;
    }

    static std::string reason_of(int rc) {
        if (rc == MOSQ_ERR_ERRNO) return std::strerror(errno);
        return mq().mosquitto_strerror(rc == MOSQ_ERR_SUCCESS ? MOSQ_ERR_CONN_LOST : rc);
    }

    // ---- libmosquitto callbacks (inside the loop calls) ----------------------------------------

    static mosquitto_connection& self_of(void* user) {
        return *static_cast<mosquitto_connection*>(user);
    }

    static void on_connect(mosquitto*, void* user, int rc, int, const mosquitto_property*) {
        auto& self = self_of(user);
        if (rc != 0) {
            self.refusal_ = std::string{"CONNACK refused: "} + mq().mosquitto_reason_string(rc);
            return;  // the broker closes the connection; the read pass notices
        }
        self.online_ = true;
        self.retry_delay_ = first_retry_delay;
        self.reported_unreachable_ = false;
        log()->info("connected to IoT broker {} as client {}", self.settings_.url,
                    self.settings_.client_id);
        if (self.events_.connected) self.events_.connected();
    }

    static void on_disconnect(mosquitto*, void*, int, const mosquitto_property*) {
        // Handled by check_lost() once the loop call returns.
    }

    static void on_subscribe(mosquitto*, void* user, int mid, int count, const int* granted,
                             const mosquitto_property*) {
        auto& self = self_of(user);
        const auto it = self.pending_subscriptions_.find(mid);
        if (it == self.pending_subscriptions_.end()) return;
        const std::string filter = std::move(it->second);
        self.pending_subscriptions_.erase(it);
        const int reason = count > 0 ? granted[0] : MQTT_RC_UNSPECIFIED;
        if (self.events_.subscribed) self.events_.subscribed(filter, reason);
    }

    static void on_message(mosquitto*, void* user, const mosquitto_message* in,
                           const mosquitto_property* props) {
        auto& self = self_of(user);
        mqtt_message message;
        message.topic = in->topic;
        message.payload.assign(static_cast<const char*>(in->payload),
                               static_cast<std::size_t>(in->payloadlen));
        message.qos = in->qos > 0 ? model::qos::at_least_once : model::qos::at_most_once;
        message.retain = in->retain;
        std::vector<std::uint32_t> subscription_ids;
        for (const mosquitto_property* p = props; p != nullptr; p = mq().mosquitto_property_next(p)) {
            const int id = mq().mosquitto_property_identifier(p);
            switch (id) {
                case MQTT_PROP_PAYLOAD_FORMAT_INDICATOR: {
                    std::uint8_t value = 0;
                    mq().mosquitto_property_read_byte(p, id, &value, false);
                    message.payload_format =
                        value == 1 ? model::payload_format::utf8 : model::payload_format::bytes;
                    break;
                }
                case MQTT_PROP_MESSAGE_EXPIRY_INTERVAL: {
                    std::uint32_t value = 0;
                    mq().mosquitto_property_read_int32(p, id, &value, false);
                    message.message_expiry_interval_seconds = value;
                    break;
                }
                case MQTT_PROP_CONTENT_TYPE:
                case MQTT_PROP_RESPONSE_TOPIC: {
                    char* value = nullptr;
                    mq().mosquitto_property_read_string(p, id, &value, false);
                    if (value != nullptr) {
                        (id == MQTT_PROP_CONTENT_TYPE ? message.content_type : message.response_topic) =
                            value;
                        std::free(value);
                    }
                    break;
                }
                case MQTT_PROP_CORRELATION_DATA: {
                    void* value = nullptr;
                    std::uint16_t length = 0;
                    mq().mosquitto_property_read_binary(p, id, &value, &length, false);
                    message.correlation_data.emplace(static_cast<const char*>(value), length);
                    std::free(value);
                    break;
                }
                case MQTT_PROP_USER_PROPERTY: {
                    char* key = nullptr;
                    char* value = nullptr;
                    mq().mosquitto_property_read_string_pair(p, id, &key, &value, false);
                    message.user_properties.emplace_back(key ? key : "", value ? value : "");
                    std::free(key);
                    std::free(value);
                    break;
                }
                case MQTT_PROP_SUBSCRIPTION_IDENTIFIER: {
                    std::uint32_t value = 0;
                    mq().mosquitto_property_read_varint(p, id, &value, false);
                    subscription_ids.push_back(value);
                    break;
                }
                default:
                    break;
            }
        }
        if (self.events_.message) self.events_.message(message, subscription_ids);
    }

    broker_settings settings_;
    events events_;
    mosquitto* client_ = nullptr;
    asio::posix::stream_descriptor socket_;
    asio::steady_timer misc_timer_;
    asio::steady_timer retry_timer_;
    std::uint64_t generation_ = 0;  // bumped per socket: handlers of an older one do nothing
    bool writing_ = false;
    bool online_ = false;
    bool stopped_ = false;
    bool reported_unreachable_ = false;
    std::string refusal_;  // why the broker refused the last CONNECT
    milliseconds retry_delay_ = first_retry_delay;
    std::unordered_map<int, std::string> pending_subscriptions_;  // SUBSCRIBE mid -> filter
};

// The owner's handle: the connection itself lives on while Asio holds handlers for it.
class connection_handle final : public broker_connection {
public:
    explicit connection_handle(std::shared_ptr<mosquitto_connection> impl) : impl_(std::move(impl)) {}
    ~connection_handle() override { impl_->stop(); }

    void start(events on) override { impl_->start(std::move(on)); }
    void stop() override { impl_->stop(); }
    bool online() const noexcept override { return impl_->online(); }
    std::optional<std::string> publish(const mqtt_message& message) override {
        return impl_->publish(message);
    }
    void subscribe(const std::string& filter, model::qos qos, std::uint32_t id) override {
        impl_->subscribe(filter, qos, id);
    }
    void unsubscribe(const std::string& filter) override { impl_->unsubscribe(filter); }

private:
    std::shared_ptr<mosquitto_connection> impl_;
};

}  // namespace

boost::system::result<broker_settings, std::string> parse_broker_url(std::string_view url) {
    using parsed = boost::system::result<broker_settings, std::string>;
    const auto fail = [](std::string why) {
        return parsed{boost::system::in_place_error, std::move(why)};
    };
    broker_settings out;
    out.url = std::string{url};
    std::string_view rest;
    if (url.starts_with("mqtt://")) {
        rest = url.substr(7);
    } else if (url.starts_with("mqtts://")) {
        rest = url.substr(8);
        out.tls = true;
        out.port = 8883;
    } else {
        return fail("expected mqtt://HOST[:PORT] or mqtts://HOST[:PORT]");
    }
    if (!rest.empty() && rest.back() == '/') rest.remove_suffix(1);
    std::string_view port;
    if (rest.starts_with('[')) {
        const auto close = rest.find(']');
        if (close == std::string_view::npos) return fail("unclosed '[' in the host");
        out.host = std::string{rest.substr(1, close - 1)};
        rest = rest.substr(close + 1);
        if (!rest.empty()) {
            if (rest.front() != ':') return fail("expected ':PORT' after the host");
            port = rest.substr(1);
        }
    } else {
        const auto colon = rest.rfind(':');
        out.host = std::string{rest.substr(0, colon)};
        if (colon != std::string_view::npos) port = rest.substr(colon + 1);
    }
    if (out.host.empty()) return fail("no host");
    if (out.host.find_first_of("/?#@") != std::string::npos) return fail("a host, not a path");
    if (!port.empty() || rest.ends_with(':')) {
        int value = 0;
        const auto [end, ec] = std::from_chars(port.data(), port.data() + port.size(), value);
        if (ec != std::errc{} || end != port.data() + port.size() || value < 1 || value > 65535)
            return fail("bad port '" + std::string{port} + "'");
        out.port = value;
    }
    return out;
}

std::unique_ptr<broker_connection> make_mosquitto_connection(boost::asio::any_io_executor executor,
                                                             broker_settings settings) {
    return std::make_unique<connection_handle>(
        std::make_shared<mosquitto_connection>(std::move(executor), std::move(settings)));
}

}  // namespace standin::server::iotcore
