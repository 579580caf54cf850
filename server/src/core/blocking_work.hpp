// SPDX-License-Identifier: Apache-2.0
// Runs blocking work (process spawn and wait, scanning recipe folders, file I/O) on a small thread
// pool and hands its result back on the I/O thread, so that the single-threaded core never blocks
// (architecture.md decision 1).
#pragma once

#include <exception>
#include <type_traits>
#include <utility>
#include <variant>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/execution/outstanding_work.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/prefer.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/system/result.hpp>

namespace standin::server {

class blocking_work {
public:
    // `io` is where results are delivered; `pool` runs the work. Both outlive *this.
    blocking_work(boost::asio::any_io_executor io, boost::asio::thread_pool& pool)
        : io_(std::move(io)), pool_(pool) {}

    // Runs `work()` on the pool, then `done(result)` on the I/O executor, where `result` is a
    // boost::system::result<R, std::exception_ptr> of work's return value R (or of std::monostate
    // for void work). `done` runs even when work throws. Work must not touch I/O-thread state.
    template <class Work, class Done>
    void run(Work work, Done done) const {
        // The tracked executor counts as work for the io_context: it does not run out of work (and
        // return from run()) while a result is still on its way.
        auto io = boost::asio::prefer(io_, boost::asio::execution::outstanding_work.tracked);
        boost::asio::post(
            pool_, [io = std::move(io), work = std::move(work), done = std::move(done)]() mutable {
                auto result = invoke_catching(work);
                boost::asio::post(io, [done = std::move(done), result = std::move(result)]() mutable {
                    done(std::move(result));
                });
            });
    }

    const boost::asio::any_io_executor& io_executor() const noexcept { return io_; }

private:
    template <class Work>
    static auto invoke_catching(Work& work) {
        using value = std::invoke_result_t<Work&>;
        using stored = std::conditional_t<std::is_void_v<value>, std::monostate, value>;
        using result_type = boost::system::result<stored, std::exception_ptr>;
        try {
            if constexpr (std::is_void_v<value>) {
                work();
                return result_type{boost::system::in_place_value, std::monostate{}};
            } else {
                return result_type{boost::system::in_place_value, work()};
            }
        } catch (...) {
            return result_type{boost::system::in_place_error, std::current_exception()};
        }
    }

    boost::asio::any_io_executor io_;
    boost::asio::thread_pool& pool_;
};

}  // namespace standin::server
