// SPDX-License-Identifier: Apache-2.0
// The shadow manager's limit on local shadow requests over IPC (semantics.md §6.1; the plugin's
// InboundRateLimiter and IpcRateLimiter): a total rate for every thing together, then a rate per
// thing, each counted in fixed one-second windows that start at the first request after the last
// window ended. A refused request is answered ServiceError "Too Many Requests". Requests the shadow
// manager takes from local pub/sub are not limited, as in the plugin. Pure: the clock is a parameter.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <list>
#include <string>
#include <string_view>
#include <unordered_map>

namespace standin::server::local_shadow {

// Spec (the plugin's Constants): maxLocalRequestsPerSecondPerThing, maxTotalLocalRequestsRate.
inline constexpr std::int32_t default_requests_per_second_per_thing = 20;
inline constexpr std::int32_t default_total_requests_per_second = 200;

// One window counter (IpcRateLimiter).
class window_limiter {
public:
    using clock = std::chrono::steady_clock;

    window_limiter(std::int32_t rate, clock::time_point start) : rate_(rate), window_start_(start) {}

    bool try_acquire(clock::time_point now);
    // A new rate keeps the current window's share used (the plugin scales the count).
    void set_rate(std::int32_t rate);

private:
    std::int32_t rate_;
    std::int32_t count_ = 0;
    clock::time_point window_start_;
};

class request_rate_limiter {
public:
    using clock = window_limiter::clock;

    enum class verdict : std::uint8_t { allowed, total_rate_exceeded, thing_rate_exceeded };

    explicit request_rate_limiter(clock::time_point start = clock::now());

    // Counts one request for `thing_name`; an empty name is not counted (the plugin leaves it to
    // the name validation that follows).
    verdict acquire(std::string_view thing_name, clock::time_point now);

    // Both rates must be positive (the caller validates, as the plugin's configuration does).
    void set_rates(std::int32_t total_per_second, std::int32_t per_thing_per_second);
    std::int32_t total_rate() const noexcept { return total_rate_; }
    std::int32_t per_thing_rate() const noexcept { return per_thing_rate_; }

    // How many things have a counter: at most the total rate, the oldest dropped first.
    std::size_t tracked_things() const noexcept { return per_thing_.size(); }

private:
    struct thing_counter {
        window_limiter limiter;
        std::list<std::string>::iterator age;  // position in oldest_first_
    };

    std::int32_t total_rate_ = default_total_requests_per_second;
    std::int32_t per_thing_rate_ = default_requests_per_second_per_thing;
    window_limiter total_;
    std::unordered_map<std::string, thing_counter> per_thing_;
    std::list<std::string> oldest_first_;  // insertion order, as the plugin's LinkedHashMap
};

}  // namespace standin::server::local_shadow
