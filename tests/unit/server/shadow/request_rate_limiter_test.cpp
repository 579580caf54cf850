// SPDX-License-Identifier: Apache-2.0
#include "shadow/request_rate_limiter.hpp"

#include <gtest/gtest.h>

namespace standin::server::local_shadow {
namespace {

using namespace std::chrono_literals;
using verdict = request_rate_limiter::verdict;
const auto t0 = request_rate_limiter::clock::time_point{} + 100s;

TEST(RequestRateLimiter, DefaultsAreThePluginsRates) {
    request_rate_limiter limits{t0};
    EXPECT_EQ(limits.per_thing_rate(), 20);
    EXPECT_EQ(limits.total_rate(), 200);
    for (int i = 0; i < 20; ++i)
        EXPECT_EQ(limits.acquire("thing", t0 + 1ms), verdict::allowed) << i;
    EXPECT_EQ(limits.acquire("thing", t0 + 2ms), verdict::thing_rate_exceeded);
}

TEST(RequestRateLimiter, EachThingHasItsOwnWindow) {
    request_rate_limiter limits{t0};
    limits.set_rates(100, 2);
    EXPECT_EQ(limits.acquire("a", t0), verdict::allowed);
    EXPECT_EQ(limits.acquire("a", t0 + 100ms), verdict::allowed);
    EXPECT_EQ(limits.acquire("a", t0 + 200ms), verdict::thing_rate_exceeded);
    EXPECT_EQ(limits.acquire("b", t0 + 300ms), verdict::allowed);
    // A's window started at its first request: one second later it counts afresh.
    EXPECT_EQ(limits.acquire("a", t0 + 999ms), verdict::thing_rate_exceeded);
    EXPECT_EQ(limits.acquire("a", t0 + 1000ms), verdict::allowed);
    EXPECT_EQ(limits.acquire("a", t0 + 1001ms), verdict::allowed);
    EXPECT_EQ(limits.acquire("a", t0 + 1002ms), verdict::thing_rate_exceeded);
}

TEST(RequestRateLimiter, TheTotalRateIsCheckedFirstAndCountsRefusedThings) {
    request_rate_limiter limits{t0};
    limits.set_rates(3, 1);
    EXPECT_EQ(limits.acquire("a", t0 + 1ms), verdict::allowed);
    EXPECT_EQ(limits.acquire("a", t0 + 2ms), verdict::thing_rate_exceeded);  // counted in the total
    EXPECT_EQ(limits.acquire("b", t0 + 3ms), verdict::allowed);
    EXPECT_EQ(limits.acquire("c", t0 + 4ms), verdict::total_rate_exceeded);
    EXPECT_EQ(limits.acquire("c", t0 + 1004ms), verdict::allowed);
}

TEST(RequestRateLimiter, AnEmptyThingNameIsLeftToTheNameCheck) {
    request_rate_limiter limits{t0};
    limits.set_rates(1, 1);
    for (int i = 0; i < 5; ++i)
        EXPECT_EQ(limits.acquire("", t0 + 1ms), verdict::allowed);
    EXPECT_EQ(limits.tracked_things(), 0U);
}

TEST(RequestRateLimiter, AtMostTheTotalRateOfThingsAreTracked) {
    // The plugin's per-thing map drops its oldest entry past the total rate: memory stays bounded
    // however many thing names callers invent.
    request_rate_limiter limits{t0};
    limits.set_rates(4, 1);
    for (int i = 0; i < 20; ++i)
        limits.acquire("thing-" + std::to_string(i), t0 + std::chrono::seconds{2 * i});
    EXPECT_EQ(limits.tracked_things(), 4U);
    // thing-19 is tracked (refused again in its window), thing-0 was dropped (a fresh counter).
    EXPECT_EQ(limits.acquire("thing-19", t0 + 38s + 1ms), verdict::thing_rate_exceeded);
    EXPECT_EQ(limits.acquire("thing-0", t0 + 38s + 2ms), verdict::allowed);
}

TEST(RequestRateLimiter, ANewRateKeepsTheShareOfTheWindowUsed) {
    request_rate_limiter limits{t0};
    limits.set_rates(100, 4);
    EXPECT_EQ(limits.acquire("a", t0), verdict::allowed);
    EXPECT_EQ(limits.acquire("a", t0 + 1ms), verdict::allowed);  // 2 of 4 used
    limits.set_rates(100, 2);                                    // 1 of 2 used
    EXPECT_EQ(limits.acquire("a", t0 + 2ms), verdict::allowed);
    EXPECT_EQ(limits.acquire("a", t0 + 3ms), verdict::thing_rate_exceeded);
}

}  // namespace
}  // namespace standin::server::local_shadow
