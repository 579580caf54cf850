// SPDX-License-Identifier: Apache-2.0
// Every component's configuration (semantics.md §4) and who watches it. Components are found by
// name case-insensitively (the nucleus's services topics). A watcher of a key path hears of every
// changed path at or below it, each once per update, in the order of change, after the update is
// done: the nucleus's SubscribeToConfigurationUpdate watchers without its initialized,
// timestampUpdated and interiorAdded events. Touched from one thread.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include <nlohmann/json.hpp>

#include "config/config_tree.hpp"

namespace standin::server {

class config_store {
public:
    using clock = std::function<config_time()>;
    // Called with the path (as spelled in the tree) of each changed node at or below the watched one.
    using watcher = std::function<void(const config_path& changed)>;

    // Unwatches when destroyed; must not outlive the store.
    class watch {
    public:
        watch(config_store& owner, std::uint64_t id) : owner_(owner), id_(id) {}
        ~watch();
        watch(const watch&) = delete;
        watch& operator=(const watch&) = delete;

    private:
        config_store& owner_;
        std::uint64_t id_;
    };

    // `now` gives the current time (system clock ms by default).
    explicit config_store(clock now = {});

    // Merges `configuration` into `component`'s (created when new) at recipe-default time
    // (default_value_time), as a deployment merges a recipe's DefaultConfiguration.
    void seed(const std::string& component, const nlohmann::json& configuration);

    // The component's configuration, case-insensitively; nullptr when no such component.
    const config_tree* find(std::string_view component) const noexcept;
    // The component's name as the store spells it, or "" when unknown.
    std::string_view canonical_name(std::string_view component) const noexcept;

    // config_tree::update on `component` (which must exist), then tells the watchers.
    std::variant<config_update, config_path_error> update(std::string_view component,
                                                          const config_path& path,
                                                          const nlohmann::json& map,
                                                          config_time timestamp);

    // Puts `tree` in place of `component`'s configuration (created when new), as a deployment
    // does once it has worked out the new one, then tells the watchers of each `changed` path.
    void replace(const std::string& component, config_tree tree,
                 const std::vector<config_path>& changed);
    // Forgets `component`'s configuration (a component a deployment removed).
    void remove(std::string_view component);

    // Watches `component`'s `path` (which must exist: check with find()).
    std::unique_ptr<watch> subscribe(std::string_view component, config_path path, watcher w);
    std::size_t watch_count() const noexcept { return watchers_.size(); }

    config_time now() const { return now_(); }

private:
    struct entry {
        std::string component;  // canonical
        config_path path;
        watcher notify;
    };
    std::map<std::string, config_tree>::iterator find_entry(std::string_view component) noexcept;
    void notify(const std::string& component, const std::vector<config_path>& changed);

    clock now_;
    std::map<std::string, config_tree> trees_;  // by canonical name
    std::map<std::uint64_t, entry> watchers_;   // in subscription order
    std::uint64_t next_id_ = 1;
};

}  // namespace standin::server
