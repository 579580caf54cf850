// SPDX-License-Identifier: Apache-2.0
#include "config/config_store.hpp"

#include <chrono>
#include <vector>

#include "standin/protocol/message.hpp"

namespace standin::server {

namespace {

config_time system_now() {
    using namespace std::chrono;
    return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}

}  // namespace

config_store::watch::~watch() {
    owner_.watchers_.erase(id_);
}

config_store::config_store(clock now) : now_(now ? std::move(now) : clock{system_now}) {}

std::map<std::string, config_tree>::iterator config_store::find_entry(
    std::string_view component) noexcept {
    for (auto it = trees_.begin(); it != trees_.end(); ++it) {
        if (protocol::ascii_iequals(it->first, component)) return it;
    }
    return trees_.end();
}

void config_store::seed(const std::string& component, const nlohmann::json& configuration) {
    auto it = find_entry(component);
    if (it == trees_.end()) it = trees_.try_emplace(component, component, now_()).first;
    it->second.merge(configuration, default_value_time, now_());
}

const config_tree* config_store::find(std::string_view component) const noexcept {
    auto it = const_cast<config_store*>(this)->find_entry(component);
    return it == trees_.end() ? nullptr : &it->second;
}

std::string_view config_store::canonical_name(std::string_view component) const noexcept {
    auto it = const_cast<config_store*>(this)->find_entry(component);
    return it == trees_.end() ? std::string_view{} : std::string_view{it->first};
}

std::variant<config_update, config_path_error> config_store::update(std::string_view component,
                                                                    const config_path& path,
                                                                    const nlohmann::json& map,
                                                                    config_time timestamp) {
    const auto it = find_entry(component);
    if (it == trees_.end()) return config_update{};
    auto result = it->second.update(path, map, timestamp, now_());
    const auto* done = std::get_if<config_update>(&result);
    if (done == nullptr || done->changed.empty()) return result;
    notify(it->first, done->changed);
    return result;
}

void config_store::replace(const std::string& component, config_tree tree,
                           const std::vector<config_path>& changed) {
    auto it = find_entry(component);
    if (it == trees_.end()) {
        it = trees_.emplace(component, std::move(tree)).first;
    } else {
        it->second = std::move(tree);
    }
    notify(it->first, changed);
}

void config_store::remove(std::string_view component) {
    const auto it = find_entry(component);
    if (it != trees_.end()) trees_.erase(it);
}

void config_store::notify(const std::string& component, const std::vector<config_path>& changed) {
    if (changed.empty()) return;
    // A watcher may end watches (its own stream closing) while it is told: walk a snapshot.
    std::vector<std::uint64_t> ids;
    for (const auto& [id, w] : watchers_) {
        if (w.component == component) ids.push_back(id);
    }
    for (const auto& path : changed) {
        for (const auto id : ids) {
            const auto w = watchers_.find(id);
            if (w == watchers_.end()) continue;
            if (!config_path_starts_with(path, w->second.path)) continue;
            const auto notify = w->second.notify;  // it may end its own watch
            notify(path);
        }
    }
}

std::unique_ptr<config_store::watch> config_store::subscribe(std::string_view component,
                                                             config_path path, watcher w) {
    const auto id = next_id_++;
    watchers_.emplace(id, entry{std::string{canonical_name(component)}, std::move(path), std::move(w)});
    return std::make_unique<watch>(*this, id);
}

}  // namespace standin::server
