// SPDX-License-Identifier: Apache-2.0
#include "shadow/request_rate_limiter.hpp"

namespace standin::server::local_shadow {

namespace {
constexpr auto window = std::chrono::seconds{1};
}  // namespace

bool window_limiter::try_acquire(clock::time_point now) {
    if (now - window_start_ >= window) {
        count_ = 1;
        window_start_ = now;
        return true;
    }
    if (count_ < rate_) {
        ++count_;
        return true;
    }
    return false;
}

void window_limiter::set_rate(std::int32_t rate) {
    count_ = static_cast<std::int32_t>(static_cast<std::int64_t>(count_) * rate / rate_);
    rate_ = rate;
}

request_rate_limiter::request_rate_limiter(clock::time_point start)
    : total_(default_total_requests_per_second, start) {}

request_rate_limiter::verdict request_rate_limiter::acquire(std::string_view thing_name,
                                                            clock::time_point now) {
    if (thing_name.empty()) return verdict::allowed;
    if (!total_.try_acquire(now)) return verdict::total_rate_exceeded;

    auto it = per_thing_.find(std::string{thing_name});
    if (it == per_thing_.end()) {
        oldest_first_.emplace_back(thing_name);
        it = per_thing_
                 .emplace(std::string{thing_name}, thing_counter{window_limiter{per_thing_rate_, now},
                                                                 std::prev(oldest_first_.end())})
                 .first;
        // The plugin's map keeps at most as many things as the total rate allows per second; the
        // new one is the youngest, so it stays (and erasing others leaves `it` valid).
        while (per_thing_.size() > static_cast<std::size_t>(total_rate_)) {
            per_thing_.erase(oldest_first_.front());
            oldest_first_.pop_front();
        }
    }
    return it->second.limiter.try_acquire(now) ? verdict::allowed : verdict::thing_rate_exceeded;
}

void request_rate_limiter::set_rates(std::int32_t total_per_second, std::int32_t per_thing_per_second) {
    total_rate_ = total_per_second;
    total_.set_rate(total_per_second);
    per_thing_rate_ = per_thing_per_second;
    for (auto& [name, counter] : per_thing_)
        counter.limiter.set_rate(per_thing_per_second);
}

}  // namespace standin::server::local_shadow
