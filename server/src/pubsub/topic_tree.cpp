// SPDX-License-Identifier: Apache-2.0
// Rules (Java nucleus SubscriptionTrie, v2.6.0+; semantics.md §3.2):
//   * A filter or topic is split into levels like Java String.split("/"): trailing empty levels
//     are dropped ("foo/" is "foo"), a leading one is kept ("/foo" is "", "foo"), middle ones are
//     kept ("a//b" is "a", "", "b"), "" is one empty level and "/" or "//" has no level at all.
//   * A level equal to "+" matches exactly one topic level, including an empty one.
//   * A level equal to "#" matches one or more further levels, never zero: "foo/#" does not match
//     "foo" (nor "foo/", which is "foo"). A "#" level that is not last behaves like "+" when
//     matching (the trie visits the "#" child at every level), although is_wildcard_filter does
//     not count it as a wildcard.
//   * "+" or "#" inside a longer level is an ordinary character: "foo/+bar" is literal.
//   * Wildcards match "$"-prefixed topics ("#" matches "$foo/bar", "+" matches "$foo").
//   * Levels compare byte-wise and case-sensitively. Published topics never contain "+", "#" or
//     "*" (publish rejects them), but matching does not rely on that.
//
// Examples that match (filter: topics):
//   foo          : foo
//   #            : foo, foo/bar, foo/bar/baz, $foo/bar, ""
//   foo/#        : foo/bar, foo/bar/baz, foo/bar/#, foo/+
//   +            : +, foo, foo/, $foo, ""
//   foo/+/baz    : foo/bar/baz
//   foo/+/baz/#  : foo//baz/bar, foo/bar/baz/bat, foo/bar/baz/bat/#
//   foo/#/baz    : foo/x/baz          ("#" not last acts as one level)
// Examples that do not match:
//   foo          : fo, foo/bar, abc
//   foo/bar      : foo, foo/bar/baz, fo/bar
//   foo/#        : foo, foo/
//   +            : /foo, foo/bar
//   foo/+/baz    : foo, foo/baz, foo/bar/bat/baz
//   foo/+bar     : foo/xbar
//   /            : anything (the filter has no level)
// Wildcard filters (is_wildcard_filter): +, #, /+/, /#, foo/+, foo/ba+/#, $aws/things/+/shadow/#.
// Not wildcard filters: /, foo, #/foo, foo/+bar, foo/+#.
#include "pubsub/topic_tree.hpp"

#include <algorithm>
#include <functional>
#include <optional>
#include <string>
#include <utility>

#include <boost/unordered/unordered_flat_map.hpp>

namespace standin::server {

namespace {

constexpr std::string_view single_level = "+";
constexpr std::string_view multi_level = "#";

struct level_hash {
    using is_transparent = void;
    std::size_t operator()(std::string_view s) const noexcept {
        return std::hash<std::string_view>{}(s);
    }
};

// The part of `s` that holds its levels, or nullopt when Java's split yields no level at all.
// Trailing '/' are dropped, so splitting the result on '/' gives exactly Java's array.
std::optional<std::string_view> level_body(std::string_view s) {
    if (s.empty()) return s;
    const auto last = s.find_last_not_of('/');
    if (last == std::string_view::npos) return std::nullopt;
    return s.substr(0, last + 1);
}

// Splits a level body one level at a time.
struct level_cursor {
    std::string_view body;
    std::size_t pos = 0;
    bool done = false;

    std::string_view next() {
        const auto slash = body.find('/', pos);
        std::string_view level;
        if (slash == std::string_view::npos) {
            level = body.substr(pos);
            done = true;
        } else {
            level = body.substr(pos, slash - pos);
            pos = slash + 1;
        }
        return level;
    }
};

}  // namespace

struct topic_tree::node {
    boost::unordered_flat_map<std::string, std::unique_ptr<node>, level_hash, std::equal_to<>> children;
    // Insertion order; a vector because most nodes hold a handful of subscriptions.
    std::vector<subscription_id> ids;

    node* find(std::string_view level) const {
        const auto it = children.find(level);
        return it == children.end() ? nullptr : it->second.get();
    }
};

namespace {

// Frees a subtree without recursion: the default unique_ptr chain would recurse once per level,
// and a filter may have as many levels as a frame has bytes.
template <typename Node>
void destroy_iteratively(std::unique_ptr<Node> subtree) {
    std::vector<std::unique_ptr<Node>> pending;
    pending.push_back(std::move(subtree));
    while (!pending.empty()) {
        std::unique_ptr<Node> current = std::move(pending.back());
        pending.pop_back();
        if (!current) continue;
        for (auto& entry : current->children)
            pending.push_back(std::move(entry.second));
    }
}

}  // namespace

topic_tree::topic_tree() : root_(std::make_unique<node>()) {}

topic_tree::~topic_tree() {
    destroy_iteratively(std::move(root_));
}

// A moved-from tree has no root node until its next insert; it behaves as empty.
topic_tree::topic_tree(topic_tree&& other) noexcept
    : root_(std::move(other.root_)),
      size_(std::exchange(other.size_, 0)),
      node_count_(std::exchange(other.node_count_, 1)) {}

topic_tree& topic_tree::operator=(topic_tree&& other) noexcept {
    if (this != &other) {
        destroy_iteratively(std::exchange(root_, std::move(other.root_)));
        size_ = std::exchange(other.size_, 0);
        node_count_ = std::exchange(other.node_count_, 1);
    }
    return *this;
}

bool is_wildcard_filter(std::string_view filter) {
    const auto body = level_body(filter);
    if (!body) return false;
    level_cursor cursor{*body};
    while (!cursor.done) {
        const auto level = cursor.next();
        if (level == single_level) return true;
        if (level == multi_level && cursor.done) return true;
    }
    return false;
}

bool publish_topic_has_wildcard(std::string_view topic) {
    return topic.find_first_of("+#*") != std::string_view::npos;
}

bool topic_tree::insert(std::string_view filter, subscription_id id) {
    if (!root_) root_ = std::make_unique<node>();
    node* current = root_.get();
    if (const auto body = level_body(filter)) {
        level_cursor cursor{*body};
        while (!cursor.done) {
            const auto level = cursor.next();
            node* child = current->find(level);
            if (child == nullptr) {
                auto fresh = std::make_unique<node>();
                child = fresh.get();
                current->children.emplace(std::string{level}, std::move(fresh));
                ++node_count_;
            }
            current = child;
        }
    }
    if (std::find(current->ids.begin(), current->ids.end(), id) != current->ids.end()) return false;
    current->ids.push_back(id);
    ++size_;
    return true;
}

bool topic_tree::erase(std::string_view filter, subscription_id id) {
    // The path is kept so emptied nodes can be freed bottom-up without recursion: filter depth is
    // bounded only by the frame size.
    if (!root_) return false;
    std::vector<std::pair<node*, std::string_view>> path;  // (parent, level of the child below it)
    node* current = root_.get();
    if (const auto body = level_body(filter)) {
        level_cursor cursor{*body};
        while (!cursor.done) {
            const auto level = cursor.next();
            node* child = current->find(level);
            if (child == nullptr) return false;
            path.emplace_back(current, level);
            current = child;
        }
    }
    const auto it = std::find(current->ids.begin(), current->ids.end(), id);
    if (it == current->ids.end()) return false;
    current->ids.erase(it);
    --size_;

    for (auto step = path.rbegin(); step != path.rend(); ++step) {
        auto& [parent, level] = *step;
        const node* child = parent->find(level);
        if (!child->ids.empty() || !child->children.empty()) break;
        parent->children.erase(parent->children.find(level));
        --node_count_;
    }
    return true;
}

void topic_tree::match(std::string_view topic, std::vector<subscription_id>& out) const {
    out.clear();
    const auto body = level_body(topic);
    if (!body || !root_) return;

    // Depth-first over (node, offset of the next topic level). Each node sits at one depth, so
    // it is reached at most once; only the same id under two filters can repeat.
    struct frame {
        const node* at;
        std::size_t pos;
    };
    // Small fixed stack first; the heap is used only for pathological fan-out of wildcards.
    constexpr std::size_t inline_frames = 64;
    frame inline_stack[inline_frames];
    std::vector<frame> overflow;
    std::size_t depth = 0;
    auto push = [&](const node* at, std::size_t pos) {
        if (depth < inline_frames) {
            inline_stack[depth++] = frame{at, pos};
        } else {
            overflow.push_back(frame{at, pos});
        }
    };
    auto pop = [&]() -> frame {
        if (!overflow.empty()) {
            const frame f = overflow.back();
            overflow.pop_back();
            return f;
        }
        return inline_stack[--depth];
    };
    auto append = [&](const node& n) { out.insert(out.end(), n.ids.begin(), n.ids.end()); };

    std::size_t contributing = 0;
    push(root_.get(), 0);
    while (depth > 0 || !overflow.empty()) {
        const frame f = pop();
        level_cursor cursor{*body, f.pos};
        const auto level = cursor.next();
        const bool last = cursor.done;
        auto step = [&](const node& child) {
            if (last) {
                contributing += child.ids.empty() ? 0 : 1;
                append(child);
            } else {
                push(&child, cursor.pos);
            }
        };
        if (level != single_level && level != multi_level) {
            if (const node* child = f.at->find(level)) step(*child);
        }
        if (const node* child = f.at->find(single_level)) step(*child);
        if (const node* child = f.at->find(multi_level)) {
            // "#" takes this level and everything after it; it also continues as a path so that a
            // non-final "#" level keeps matching deeper levels, exactly as the nucleus's trie does.
            contributing += child->ids.empty() ? 0 : 1;
            append(*child);
            if (!last) push(child, cursor.pos);
        }
    }

    std::sort(out.begin(), out.end());
    if (contributing > 1) out.erase(std::unique(out.begin(), out.end()), out.end());
}

}  // namespace standin::server
