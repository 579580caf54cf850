// SPDX-License-Identifier: Apache-2.0
#include "standin/client/connection.hpp"

#include <cstdlib>
#include <future>
#include <thread>

#include <boost/asio/associated_executor.hpp>
#include <boost/asio/dispatch.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/system_executor.hpp>

#include "connection_impl.hpp"

namespace standin::client {
namespace detail {
namespace {

namespace asio = boost::asio;

template <class Handler, class Value>
void complete_detached(Handler handler, Value value) {
    auto executor = asio::get_associated_executor(handler, asio::system_executor{});
    asio::dispatch(executor, [h = std::move(handler), v = std::move(value)]() mutable {
        std::move(h)(std::move(v));
    });
}

error moved_from() {
    return error::make(errc::not_connected, "the connection object was moved from");
}

}  // namespace

// The io_context and thread of a blocking-mode connection. The thread owns the io_context too, so
// that a connection destroyed on that very thread (from a handler) can leave it to finish alone.
class owned_thread {
public:
    owned_thread() : io_(std::make_shared<asio::io_context>(1)), work_(asio::make_work_guard(*io_)) {
        thread_ = std::thread([io = io_] {
            for (;;) {
                try {
                    io->run();
                    return;
                } catch (...) {
                    // A user completion handler threw; keep serving the connection.
                }
            }
        });
    }
    owned_thread(const owned_thread&) = delete;
    owned_thread& operator=(const owned_thread&) = delete;
    ~owned_thread() {
        work_.reset();
        if (thread_.get_id() == std::this_thread::get_id()) {
            thread_.detach();
        } else {
            thread_.join();
        }
    }

    asio::any_io_executor executor() const { return io_->get_executor(); }
    std::thread::id id() const noexcept { return thread_.get_id(); }

private:
    std::shared_ptr<asio::io_context> io_;
    asio::executor_work_guard<asio::io_context::executor_type> work_;
    std::thread thread_;
};

void start_connect(const std::shared_ptr<connection_impl>& impl, void_handler handler) {
    if (!impl) return complete_detached(std::move(handler), result<void>{moved_from()});
    impl->connect(std::move(handler));
}

void start_call(const std::shared_ptr<connection_impl>& impl, std::string operation, std::string payload,
                std::optional<std::chrono::milliseconds> timeout, call_handler handler) {
    if (!impl) return complete_detached(std::move(handler), result<nlohmann::json>{moved_from()});
    impl->call(std::move(operation), std::move(payload), timeout, std::move(handler));
}

void start_subscribe(const std::shared_ptr<connection_impl>& impl, std::string operation,
                     std::string payload, stream_handler events,
                     std::optional<std::chrono::milliseconds> timeout, subscribe_handler handler) {
    if (!impl) return complete_detached(std::move(handler), result<stream>{moved_from()});
    impl->subscribe(std::move(operation), std::move(payload), std::move(events), timeout,
                    std::move(handler));
}

void start_ping(const std::shared_ptr<connection_impl>& impl, std::string payload,
                std::optional<std::chrono::milliseconds> timeout, void_handler handler) {
    if (!impl) return complete_detached(std::move(handler), result<void>{moved_from()});
    impl->ping(std::move(payload), timeout, std::move(handler));
}

void start_close(const std::shared_ptr<connection_impl>& impl, void_handler handler) {
    if (!impl) return complete_detached(std::move(handler), result<void>{});
    impl->close(std::move(handler));
}

}  // namespace detail

namespace {

error deadlock(std::string_view what) {
    return error::make(errc::would_deadlock,
                       std::string{what} +
                           " is a blocking call and was made on the connection's own thread (from a "
                           "handler); it would wait for that thread forever: use the async_ call there");
}

// Runs one asynchronous operation and waits for it on this thread.
template <class T, class Start>
result<T> wait_for(Start&& start) {
    std::promise<result<T>> promise;
    auto future = promise.get_future();
    start([&promise](result<T> r) { promise.set_value(std::move(r)); });
    return future.get();
}

}  // namespace

std::string qualified_operation_name(std::string_view operation) {
    if (operation.find('#') != std::string_view::npos) return std::string{operation};
    return "aws.greengrass#" + std::string{operation};
}

connection::connection(connection_config config) : thread_(std::make_shared<detail::owned_thread>()) {
    impl_ = std::make_shared<detail::connection_impl>(thread_->executor(), std::move(config));
    impl_->set_owned_thread(thread_->id());
}

connection::connection(executor_type executor, connection_config config)
    : impl_(std::make_shared<detail::connection_impl>(std::move(executor), std::move(config))) {}

connection::connection(connection&&) noexcept = default;

connection& connection::operator=(connection&& other) noexcept {
    if (this != &other) {
        if (impl_) impl_->abort();
        impl_ = std::move(other.impl_);
        thread_ = std::move(other.thread_);
    }
    return *this;
}

connection::~connection() {
    if (impl_) impl_->abort();
    impl_.reset();
    thread_.reset();  // joins, once the aborted connection has finished
}

connection::executor_type connection::get_executor() const {
    if (!impl_) return {};
    return impl_->strand();
}

const connection_config& connection::config() const {
    static const connection_config none;
    return impl_ ? impl_->config() : none;
}

bool connection::is_connected() const noexcept {
    return impl_ && impl_->is_connected();
}

result<void> connection::connect() {
    if (!impl_) return detail::moved_from();
    if (impl_->on_own_thread()) return deadlock("connect()");
    return wait_for<void>([&](auto handler) { detail::start_connect(impl_, std::move(handler)); });
}

result<nlohmann::json> connection::call(std::string_view operation,
                                        const nlohmann::ordered_json& request) {
    if (!impl_) return detail::moved_from();
    if (impl_->on_own_thread()) return deadlock("call()");
    return wait_for<nlohmann::json>([&](auto handler) {
        detail::start_call(impl_, qualified_operation_name(operation), request.dump(),
                           impl_->config().call_timeout, std::move(handler));
    });
}

result<nlohmann::json> connection::call(std::string_view operation,
                                        const nlohmann::ordered_json& request,
                                        std::chrono::milliseconds timeout) {
    if (!impl_) return detail::moved_from();
    if (impl_->on_own_thread()) return deadlock("call()");
    return wait_for<nlohmann::json>([&](auto handler) {
        detail::start_call(impl_, qualified_operation_name(operation), request.dump(), timeout,
                           std::move(handler));
    });
}

result<stream> connection::subscribe(std::string_view operation, const nlohmann::ordered_json& request,
                                     stream_handler handler) {
    if (!impl_) return detail::moved_from();
    if (impl_->on_own_thread()) return deadlock("subscribe()");
    return wait_for<stream>([&](auto completion) {
        detail::start_subscribe(impl_, qualified_operation_name(operation), request.dump(),
                                std::move(handler), impl_->config().call_timeout, std::move(completion));
    });
}

result<stream> connection::subscribe(std::string_view operation, const nlohmann::ordered_json& request,
                                     stream_handler handler, std::chrono::milliseconds timeout) {
    if (!impl_) return detail::moved_from();
    if (impl_->on_own_thread()) return deadlock("subscribe()");
    return wait_for<stream>([&](auto completion) {
        detail::start_subscribe(impl_, qualified_operation_name(operation), request.dump(),
                                std::move(handler), timeout, std::move(completion));
    });
}

result<void> connection::ping() {
    if (!impl_) return detail::moved_from();
    if (impl_->on_own_thread()) return deadlock("ping()");
    return wait_for<void>([&](auto handler) {
        detail::start_ping(impl_, std::string{}, impl_->config().call_timeout, std::move(handler));
    });
}

result<void> connection::ping(std::chrono::milliseconds timeout) {
    if (!impl_) return detail::moved_from();
    if (impl_->on_own_thread()) return deadlock("ping()");
    return wait_for<void>(
        [&](auto handler) { detail::start_ping(impl_, std::string{}, timeout, std::move(handler)); });
}

void connection::close() {
    if (!impl_) return;
    if (impl_->on_own_thread()) {
        detail::start_close(impl_, [](result<void>) {});
        return;
    }
    (void)wait_for<void>([&](auto handler) { detail::start_close(impl_, std::move(handler)); });
}

}  // namespace standin::client
