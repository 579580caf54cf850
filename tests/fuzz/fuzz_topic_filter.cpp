// SPDX-License-Identifier: Apache-2.0
// Subscribes arbitrary filters, matches arbitrary topics, then unsubscribes everything.
// Input: newline-separated lines; a line starting with 'S' subscribes the rest of the line, 'U'
// unsubscribes the filter subscribed N lines earlier, anything else is a published topic.
// Invariants: matches are inserted ids, unique and ascending; erasing all leaves only the root.
#include <cstdint>
#include <cstdlib>
#include <string_view>
#include <utility>
#include <vector>

#include "pubsub/topic_tree.hpp"

using standin::server::subscription_id;
using standin::server::topic_tree;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    std::string_view input{reinterpret_cast<const char*>(data), size};
    topic_tree tree;
    std::vector<std::pair<std::string_view, subscription_id>> live;
    std::vector<subscription_id> out;
    subscription_id next = 1;

    while (!input.empty()) {
        const auto end = input.find('\n');
        const auto line = input.substr(0, end);
        input = end == std::string_view::npos ? std::string_view{} : input.substr(end + 1);
        if (line.starts_with('S')) {
            if (tree.insert(line.substr(1), next)) live.emplace_back(line.substr(1), next);
            ++next;
        } else if (line.starts_with('U') && !live.empty()) {
            const auto index =
                (line.size() > 1 ? static_cast<unsigned char>(line[1]) : 0u) % live.size();
            if (!tree.erase(live[index].first, live[index].second)) std::abort();
            live.erase(live.begin() + static_cast<std::ptrdiff_t>(index));
        } else {
            tree.match(line, out);
            for (std::size_t i = 0; i < out.size(); ++i) {
                if (out[i] == 0 || out[i] >= next) std::abort();
                if (i > 0 && out[i - 1] >= out[i]) std::abort();
            }
            (void)standin::server::is_wildcard_filter(line);
            (void)standin::server::publish_topic_has_wildcard(line);
        }
    }
    if (tree.size() != live.size()) std::abort();
    for (const auto& [filter, id] : live) {
        if (!tree.erase(filter, id)) std::abort();
    }
    if (!tree.empty() || tree.node_count() != 1) std::abort();
    return 0;
}
