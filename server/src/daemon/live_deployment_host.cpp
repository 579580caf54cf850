// SPDX-License-Identifier: Apache-2.0
#include "daemon/live_deployment_host.hpp"

#include <algorithm>
#include <memory>
#include <utility>

#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>

#include "authz/recipe_policies.hpp"
#include "deployments/recipe_store.hpp"
#include "lifecycle/configuration_variables.hpp"
#include "recipes/recipe_artifacts.hpp"
#include "util/log.hpp"

namespace standin::server {

namespace fs = std::filesystem;

namespace {

const std::shared_ptr<spdlog::logger>& deployments_log() {
    static const auto instance = logger("deployments");
    return instance;
}

// What the nucleus's copyRecipesAndArtifacts reports, by the message of its exception.
deployments::deployment_host::prepared read_and_copy(const std::optional<fs::path>& recipe_dir,
                                                     const std::optional<fs::path>& artifacts_dir,
                                                     const fs::path& store) {
    std::vector<recipe> recipes;
    if (recipe_dir) {
        try {
            recipes = deployments::load_recipe_tree(*recipe_dir);
        } catch (const recipe_error& e) {
            const bool whole_directory = e.file == *recipe_dir;
            return deployments::deployment_failure{
                whole_directory ? std::string{e.what()}
                                : "Unable to parse " + e.file.string() + " as a recipe due to: " +
                                      format_source_message({}, e.line, e.column, e.problem),
                {"DEPLOYMENT_FAILURE", "IO_ERROR", "RECIPE_PARSE_ERROR"},
                {"COMPONENT_RECIPE_ERROR"}};
        }
    }
    if (artifacts_dir) {
        std::error_code ec;
        if (!fs::is_directory(*artifacts_dir, ec)) {
            return deployments::deployment_failure{"Unable to copy artifacts from " +
                                                       artifacts_dir->string() +
                                                       " due to: no such directory",
                                                   {"DEPLOYMENT_FAILURE", "IO_ERROR"},
                                                   {"DEVICE_ERROR"}};
        }
        fs::create_directories(store, ec);
        if (!ec)
            fs::copy(*artifacts_dir, store,
                     fs::copy_options::recursive | fs::copy_options::overwrite_existing, ec);
        if (ec) {
            return deployments::deployment_failure{
                "Unable to copy artifacts from " + artifacts_dir->string() + " due to: " + ec.message(),
                {"DEPLOYMENT_FAILURE", "IO_ERROR", "IO_WRITE_ERROR"},
                {"DEVICE_ERROR"}};
        }
    }
    return recipes;
}

}  // namespace

fs::path artifact_store(const fs::path& root) {
    return root / "packages" / "artifacts";
}

void live_deployment_host::post(std::function<void()> work) {
    boost::asio::post(parts_.work.io_executor(), std::move(work));
}

std::map<std::string, const recipe*, std::less<>> live_deployment_host::deployed() const {
    std::map<std::string, const recipe*, std::less<>> out;
    for (const auto& [name, c] : parts_.registry.all())
        out.emplace(name, &c.source);
    return out;
}

const config_tree* live_deployment_host::configuration(std::string_view component) const {
    return parts_.configuration.find(component);
}

config_time live_deployment_host::now() const {
    return parts_.configuration.now();
}

void live_deployment_host::prepare(const deployments::deployment_request& request,
                                   std::function<void(deployments::deployment_host::prepared)> done) {
    parts_.work.run([recipe_dir = request.recipe_dir, artifacts_dir = request.artifacts_dir,
                     store = artifact_store(
                         parts_.root)] { return read_and_copy(recipe_dir, artifacts_dir, store); },
                    [done = std::move(done)](auto result) {
                        if (result) {
                            done(std::move(*result));
                            return;
                        }
                        std::string why = "unknown error";
                        try {
                            std::rethrow_exception(result.error());
                        } catch (const std::exception& e) {
                            why = e.what();
                        } catch (...) {
                        }
                        done(deployments::deployment_failure{
                            why, {"DEPLOYMENT_FAILURE", "IO_ERROR"}, {"DEVICE_ERROR"}});
                    });
}

bool live_deployment_host::request_validation(
    const std::string& component, const std::string& deployment_id, const nlohmann::json& proposed,
    std::chrono::milliseconds timeout,
    std::function<void(std::optional<model::configuration_validity_report>)> done) {
    // As request_configuration_validation, with the timer kept here so that stop() can end the
    // wait: a pending timer would hold up the daemon's shutdown for the whole timeout.
    auto timer = track(std::make_shared<boost::asio::steady_timer>(parts_.work.io_executor()));
    auto finish =
        std::make_shared<std::function<void(std::optional<model::configuration_validity_report>)>>(
            std::move(done));
    const bool asked =
        parts_.validation.request(component, deployment_id, proposed,
                                  [timer, finish](const model::configuration_validity_report& report) {
                                      timer->cancel();
                                      if (auto call = std::exchange(*finish, nullptr)) call(report);
                                  });
    if (!asked) return false;
    timer->expires_after(timeout);
    timer->async_wait(
        [this, timer, finish, component, deployment_id](const boost::system::error_code& ec) {
            if (ec) return;  // the report came first, or the daemon stops
            parts_.validation.discard(component, deployment_id);
            if (auto call = std::exchange(*finish, nullptr)) call(std::nullopt);
        });
    return true;
}

void live_deployment_host::stop() {
    for (const auto& t : timers_) {
        if (const auto timer = t.lock()) timer->cancel();
    }
    timers_.clear();
}

nlohmann::json live_deployment_host::interpolate(const recipe& component,
                                                 const nlohmann::json& configuration,
                                                 const std::vector<recipe>& resolved) const {
    if (!parts_.interpolation) return configuration;
    return interpolate_configuration(configuration, component, *parts_.interpolation, resolved);
}

lifecycle::component_facts live_deployment_host::facts_of(const deployments::component_install& c,
                                                          std::string token) const {
    const recipe& r = c.source;
    return {r.component_name,
            r.component_version,
            r.component_type,
            std::move(token),
            r.lifecycle,
            r.dependencies,
            r.file,
            read_recipe_artifacts(r.selected_manifest),
            c.run_as.posix_user.value_or("")};
}

void live_deployment_host::apply(deployments::change_set changes,
                                 std::function<void(std::optional<apply_failure>)> done) {
    auto pending = std::make_shared<deployments::change_set>(std::move(changes));
    bootstrap_from(
        pending, 0,
        [this, pending, done = std::move(done)](std::optional<apply_failure> failed) mutable {
            if (failed) {
                done(std::move(failed));
                return;
            }
            std::vector<std::string> to_stop = pending->remove;
            for (const auto& c : pending->components) {
                if (c.restart && parts_.supervisor.find(c.source.component_name))
                    to_stop.push_back(c.source.component_name);
            }
            // What goes, as the supervisor knows it (user, token, artifacts), for its Uninstall
            // step once it stopped.
            auto removed = std::make_shared<std::vector<lifecycle::component_facts>>();
            for (const auto& name : pending->remove) {
                if (const auto* facts = parts_.supervisor.facts_of(name)) removed->push_back(*facts);
            }
            retire_in_order(
                std::move(to_stop), [this, pending, removed, done = std::move(done)]() mutable {
                    uninstall_from(removed, 0, [this, pending, done = std::move(done)]() mutable {
                        std::vector<std::string> started;
                        for (const auto& c : pending->components) {
                            if (c.restart) started.push_back(c.source.component_name);
                        }
                        const auto resolved_before = resolved_lifecycles();
                        install(*pending);
                        restart_changed_lifecycles(resolved_before, started);
                        wait_until_steady(std::move(started),
                                          [done = std::move(done)](std::optional<std::string> broken) {
                                              if (!broken) {
                                                  done(std::nullopt);
                                              } else {
                                                  done(apply_failure{std::move(*broken), std::nullopt});
                                              }
                                          });
                    });
                });
        });
}

void live_deployment_host::bootstrap_from(std::shared_ptr<deployments::change_set> changes,
                                          std::size_t next,
                                          std::function<void(std::optional<apply_failure>)> done) {
    while (next < changes->components.size() &&
           !(changes->components[next].bootstrap && changes->components[next].restart))
        ++next;
    if (next == changes->components.size()) {
        done(std::nullopt);
        return;
    }
    const auto& c = changes->components[next];
    const auto* registered = parts_.registry.find(c.source.component_name);
    parts_.supervisor.run_deployment_step(
        facts_of(c, registered != nullptr ? registered->token : std::string{}),
        lifecycle::deployment_step::bootstrap,
        [this, changes, next, done = std::move(done),
         name = c.source.component_name](lifecycle::deployment_step_result result) mutable {
            // As the nucleus's BootstrapManager: 0 done, 100 and 101 ask for a nucleus restart or
            // a reboot (which standin does not do: it says so and goes on), anything else fails.
            if (!result.exit_code) {
                done(apply_failure{name, deployments::deployment_failure{
                                             result.why,
                                             {"DEPLOYMENT_FAILURE", "COMPONENT_BOOTSTRAP_TIMEOUT"},
                                             {"USER_COMPONENT_ERROR"}}});
                return;
            }
            if (*result.exit_code == bootstrap_restart_requested) {
                deployments_log()->warn(
                    "{}: its Bootstrap step asks for a nucleus restart (exit code 100); "
                    "standin does not restart itself: the deployment goes on",
                    name);
            } else if (*result.exit_code == bootstrap_reboot_requested) {
                deployments_log()->warn(
                    "{}: its Bootstrap step asks for a device reboot (exit code 101); "
                    "standin does not reboot: the deployment goes on",
                    name);
            } else if (*result.exit_code != 0) {
                done(apply_failure{name, deployments::deployment_failure{
                                             "Fail to execute bootstrap step for " + name +
                                                 ", exit code: " + std::to_string(*result.exit_code),
                                             {"DEPLOYMENT_FAILURE", "COMPONENT_BOOTSTRAP_ERROR"},
                                             {"USER_COMPONENT_ERROR"}}});
                return;
            }
            bootstrap_from(std::move(changes), next + 1, std::move(done));
        });
}

void live_deployment_host::uninstall_from(
    std::shared_ptr<std::vector<lifecycle::component_facts>> removed, std::size_t next,
    std::function<void()> done) {
    if (next == removed->size()) {
        done();
        return;
    }
    auto facts = (*removed)[next];
    const std::string name = facts.name;
    parts_.supervisor.run_deployment_step(
        std::move(facts), lifecycle::deployment_step::uninstall,
        [this, removed, next, name,
         done = std::move(done)](lifecycle::deployment_step_result result) mutable {
            // The nucleus logs a failed or late Uninstall and removes the component anyway.
            if (!result.exit_code) {
                deployments_log()->error("{}: Uninstall did not finish ({}); removed anyway", name,
                                         result.why);
            } else if (*result.exit_code != 0) {
                deployments_log()->error("{}: Uninstall exited with code {}; removed anyway", name,
                                         *result.exit_code);
            }
            uninstall_from(std::move(removed), next + 1, std::move(done));
        });
}

void live_deployment_host::retire_in_order(std::vector<std::string> names, std::function<void()> done) {
    if (names.empty()) {
        done();
        return;
    }
    // As the nucleus stops a component's dependents before it: first what nothing else in
    // `names` depends on, then the rest.
    std::vector<std::string> now;
    std::vector<std::string> later;
    for (const auto& name : names) {
        const bool depended_on = std::any_of(names.begin(), names.end(), [&](const std::string& other) {
            const auto* c = parts_.registry.find(other);
            return other != name && c != nullptr && c->source.dependencies.is_object() &&
                   c->source.dependencies.contains(name);
        });
        (depended_on ? later : now).push_back(name);
    }
    if (now.empty()) now = std::exchange(later, {});  // a cycle: together
    parts_.supervisor.retire(std::move(now),
                             [this, later = std::move(later), done = std::move(done)]() mutable {
                                 retire_in_order(std::move(later), std::move(done));
                             });
}

void live_deployment_host::wait_until_steady(std::vector<std::string> names,
                                             std::function<void(std::optional<std::string>)> done) {
    if (names.empty()) {
        done(std::nullopt);
        return;
    }
    // RUNNING is reported as soon as a run script starts; the nucleus looks again a poll interval
    // later, by which time a component that fails at once has errored (or broken).
    parts_.supervisor.await_settled(names, [this, names, done](std::optional<std::string> broken) {
        if (broken) {
            done(std::move(broken));
            return;
        }
        auto timer = track(std::make_shared<boost::asio::steady_timer>(parts_.work.io_executor(),
                                                                       steady_check_interval));
        timer->async_wait([this, timer, names, done](const boost::system::error_code& ec) {
            if (ec) return;  // the daemon stops
            for (const auto& name : names) {
                const auto c = parts_.supervisor.find(name);
                const auto state = c ? c->state : lifecycle::component_state::broken;
                if (state == lifecycle::component_state::broken) {
                    done(name);
                    return;
                }
                if (state != lifecycle::component_state::running &&
                    state != lifecycle::component_state::finished) {
                    wait_until_steady(names, done);
                    return;
                }
            }
            done(std::nullopt);
        });
    });
}

std::shared_ptr<boost::asio::steady_timer> live_deployment_host::track(
    std::shared_ptr<boost::asio::steady_timer> timer) {
    std::erase_if(timers_, [](const auto& t) { return t.expired(); });
    timers_.push_back(timer);
    return timer;
}

std::map<std::string, std::string> live_deployment_host::resolved_lifecycles() const {
    std::map<std::string, std::string> out;
    for (const auto& c : parts_.supervisor.components())
        out.emplace(c.name, parts_.supervisor.resolved_lifecycle(c.name));
    return out;
}

void live_deployment_host::restart_changed_lifecycles(const std::map<std::string, std::string>& before,
                                                      std::vector<std::string>& restarted) {
    for (const auto& [name, resolved] : before) {
        if (std::find(restarted.begin(), restarted.end(), name) != restarted.end()) continue;
        const auto now = parts_.supervisor.resolved_lifecycle(name);
        if (now.empty() || now == resolved) continue;
        deployments_log()->info(
            "{}: its lifecycle changed with the configuration it refers to; restarting it", name);
        if (parts_.supervisor.restart(name)) restarted.push_back(name);
    }
}

void live_deployment_host::install(deployments::change_set& changes) {
    for (const auto& name : changes.remove) {
        parts_.registry.remove(name);
        parts_.authz.remove_component(name);
        parts_.configuration.remove(name);
        deployments_log()->info("{} removed", name);
    }
    std::vector<std::string> to_start;
    for (auto& c : changes.components) {
        const std::string name = c.source.component_name;
        const auto& registered = parts_.registry.put(c.source);
        // A change under accessControl takes effect at once, as the nucleus reloads policies.
        std::vector<policy_diagnostic> diagnostics;
        load_component_policies(parts_.authz, name, c.configuration.root().to_json(), diagnostics);
        for (const auto& diagnostic : diagnostics)
            deployments_log()->warn("accessControl of {}: {}", name, diagnostic.text);
        parts_.configuration.replace(name, std::move(c.configuration), c.changed);
        if (!c.restart) continue;
        parts_.supervisor.add(facts_of(c, registered.token));
        to_start.push_back(name);
    }
    for (const auto& name : to_start)
        parts_.supervisor.start(name);
    if (parts_.components_changed) parts_.components_changed();
}

}  // namespace standin::server
