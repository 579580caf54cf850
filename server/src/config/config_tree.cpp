// SPDX-License-Identifier: Apache-2.0
#include "config/config_tree.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <utility>

#include "standin/protocol/message.hpp"

namespace standin::server {

namespace {

void record(config_update& out, const config_path& path) {
    if (std::find(out.changed.begin(), out.changed.end(), path) == out.changed.end())
        out.changed.push_back(path);
}

// Topic.withNewerValue: true when the value changed. A newer time with the same value only moves
// the time (the nucleus's timestampUpdated, which no subscriber sees).
bool write_leaf(nlohmann::json& value, config_time& stamp, config_time timestamp,
                const nlohmann::json& proposed) {
    const bool newer = timestamp > stamp;
    const bool same = value == proposed;
    if ((same || timestamp < stamp) && !newer) return false;
    value = proposed;
    stamp = timestamp;
    return !same;
}

}  // namespace

config_node::config_node(std::string name, config_time stamp, bool leaf)
    : name_(std::move(name)), stamp_(stamp), leaf_(leaf) {}

std::unique_ptr<config_node> config_node::clone() const {
    auto copy = std::make_unique<config_node>(name_, stamp_, leaf_);
    copy->value_ = value_;
    copy->children_.reserve(children_.size());
    for (const auto& c : children_)
        copy->children_.push_back(c->clone());
    return copy;
}

config_time config_node::modtime() const noexcept {
    if (leaf_ || children_.empty()) return stamp_;
    config_time latest = std::numeric_limits<config_time>::min();
    for (const auto& c : children_)
        latest = std::max(latest, c->modtime());
    return latest;
}

const config_node* config_node::child(std::string_view key) const noexcept {
    if (leaf_) return nullptr;
    for (const auto& c : children_) {
        if (protocol::ascii_iequals(c->name_, key)) return c.get();
    }
    return nullptr;
}

config_node* config_node::child(std::string_view key) noexcept {
    return const_cast<config_node*>(std::as_const(*this).child(key));
}

nlohmann::json config_node::to_json() const {
    if (leaf_) return value_;
    auto out = nlohmann::json::object();
    for (const auto& c : children_) {
        if (!c->name_.starts_with('_')) out[c->name_] = c->to_json();
    }
    return out;
}

config_tree::config_tree(std::string owner, config_time created)
    : owner_(std::move(owner)), root_(std::make_unique<config_node>("configuration", created, false)) {}

const config_node* config_tree::find(const config_path& path) const noexcept {
    const config_node* node = root_.get();
    for (const auto& key : path) {
        node = node->child(key);
        if (node == nullptr) return nullptr;
    }
    return node;
}

config_path config_tree::stored_path(const config_path& path) const {
    config_path at;
    const config_node* walk = root_.get();
    for (const auto& key : path) {
        walk = walk->child(key);
        at.push_back(walk->name_);
    }
    return at;
}

void config_tree::merge_into(config_node& container, config_path& at, const nlohmann::json& map,
                             config_time timestamp, config_time now, config_update& out) {
    for (const auto& [key, value] : map.items()) {
        config_node* existing = container.child(key);
        std::unique_ptr<config_node>* slot = nullptr;
        if (existing != nullptr) {
            slot = &*std::find_if(container.children_.begin(), container.children_.end(),
                                  [&](const auto& c) { return c.get() == existing; });
            at.push_back(existing->name_);
        } else {
            at.push_back(key);
        }
        if (value.is_object()) {
            if (existing == nullptr) {
                auto& added =
                    container.children_.emplace_back(std::make_unique<config_node>(key, now, false));
                merge_into(*added, at, value, timestamp, now, out);
            } else if (!existing->leaf_) {
                merge_into(*existing, at, value, timestamp, now, out);
            } else {
                // The leaf goes (an event for its path) and a container takes its place.
                record(out, at);
                *slot = std::make_unique<config_node>(key, timestamp, false);
                at.back() = key;
                merge_into(**slot, at, value, timestamp, now, out);
            }
        } else if (existing != nullptr && existing->leaf_) {
            if (write_leaf(existing->value_, existing->stamp_, timestamp, value)) record(out, at);
        } else {
            // A new leaf is an event as soon as it exists, whatever is then written to it.
            if (existing != nullptr) {
                record(out, at);
                *slot = std::make_unique<config_node>(key, 0, true);
                at.back() = key;
            } else {
                slot = &container.children_.emplace_back(std::make_unique<config_node>(key, 0, true));
            }
            record(out, at);
            write_leaf((*slot)->value_, (*slot)->stamp_, timestamp, value);
        }
        at.pop_back();
    }
}

config_update config_tree::merge(const nlohmann::json& map, config_time timestamp, config_time now) {
    config_update out;
    config_path at;
    if (map.is_object()) merge_into(*root_, at, map, timestamp, now, out);
    return out;
}

config_update config_tree::remove(const config_path& path) {
    config_update out;
    if (path.empty()) {
        for (const auto& c : root_->children_)
            out.changed.push_back({c->name_});
        root_->children_.clear();
        return out;
    }
    if (find(path) == nullptr) return out;
    config_path at = stored_path(path);
    config_path parent_path = at;
    parent_path.pop_back();
    auto* parent = const_cast<config_node*>(find(parent_path));
    std::erase_if(parent->children_, [&](const auto& c) { return c->name_ == at.back(); });
    out.changed.push_back(std::move(at));
    return out;
}

config_tree config_tree::clone() const {
    config_tree copy{owner_, root_->stamp_};
    copy.root_ = root_->clone();
    return copy;
}

std::variant<config_update, config_path_error> config_tree::update(const config_path& path,
                                                                   const nlohmann::json& map,
                                                                   config_time timestamp,
                                                                   config_time now) {
    config_update out;
    config_node* node = const_cast<config_node*>(find(path));
    if (node == nullptr) {
        // Topics.lookupTopics: every missing container is created now, and the merge takes its time.
        config_node* container = root_.get();
        std::string full_name = "services." + owner_ + ".configuration";
        config_path at;
        for (const auto& key : path) {
            config_node* next = container->child(key);
            if (next == nullptr) {
                next = container->children_.emplace_back(std::make_unique<config_node>(key, now, false))
                           .get();
            } else if (next->leaf_) {
                return config_path_error{key + " in " + full_name +
                                         " is already a leaf, cannot become a container"};
            }
            full_name += "." + next->name_;
            at.push_back(next->name_);
            container = next;
        }
        timestamp = container->modtime();
        merge_into(*container, at, map, timestamp, now, out);
    } else if (node->leaf_) {
        // The parent merges {leaf: map}, so the leaf becomes a container.
        config_path at = stored_path(path);
        at.pop_back();
        auto* parent = const_cast<config_node*>(find(at));
        auto wrapped = nlohmann::json::object();
        wrapped[node->name_] = map;
        merge_into(*parent, at, wrapped, timestamp, now, out);
    } else {
        config_path at = stored_path(path);
        merge_into(*node, at, map, timestamp, now, out);
    }
    const config_node* after = find(path);
    out.older_than_modtime = after != nullptr && timestamp < after->modtime();
    return out;
}

config_time to_config_time(double epoch_seconds) noexcept {
    constexpr double limit = 9.0e15;  // ms that fit an int64 with room
    if (!std::isfinite(epoch_seconds)) return 0;
    epoch_seconds = std::clamp(epoch_seconds, -limit / 1000, limit / 1000);
    const auto seconds = static_cast<std::int64_t>(epoch_seconds);
    const auto nanos = static_cast<std::int64_t>((epoch_seconds - static_cast<double>(seconds)) * 1e9);
    std::int64_t millis = nanos / 1'000'000;
    if (nanos % 1'000'000 < 0) --millis;  // floor, as Instant normalizes negative nanoseconds
    return seconds * 1000 + millis;
}

bool config_path_starts_with(const config_path& path, const config_path& prefix) noexcept {
    if (prefix.size() > path.size()) return false;
    for (std::size_t i = 0; i < prefix.size(); ++i) {
        if (!protocol::ascii_iequals(path[i], prefix[i])) return false;
    }
    return true;
}

}  // namespace standin::server
