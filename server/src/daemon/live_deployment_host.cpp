// SPDX-License-Identifier: Apache-2.0
#include "daemon/live_deployment_host.hpp"

#include <memory>
#include <utility>

#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>

#include "authz/recipe_policies.hpp"
#include "deployments/recipe_store.hpp"
#include "recipes/recipe_artifacts.hpp"
#include "util/log.hpp"

namespace standin::server {

namespace fs = std::filesystem;

namespace {

const std::shared_ptr<spdlog::logger>& log() {
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

void live_deployment_host::apply(deployments::change_set changes,
                                 std::function<void(std::optional<std::string>)> done) {
    std::vector<std::string> to_stop = changes.remove;
    for (const auto& c : changes.components) {
        if (c.restart && parts_.supervisor.find(c.source.component_name))
            to_stop.push_back(c.source.component_name);
    }
    auto pending = std::make_shared<deployments::change_set>(std::move(changes));
    parts_.supervisor.retire(std::move(to_stop), [this, pending, done = std::move(done)]() mutable {
        std::vector<std::string> started;
        for (const auto& c : pending->components) {
            if (c.restart) started.push_back(c.source.component_name);
        }
        install(*pending);
        wait_until_steady(std::move(started), std::move(done));
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

void live_deployment_host::install(deployments::change_set& changes) {
    for (const auto& name : changes.remove) {
        parts_.registry.remove(name);
        parts_.authz.remove_component(name);
        parts_.configuration.remove(name);
        log()->info("{} removed", name);
    }
    std::vector<std::string> to_start;
    for (auto& c : changes.components) {
        const std::string name = c.source.component_name;
        const auto& registered = parts_.registry.put(c.source);
        // A change under accessControl takes effect at once, as the nucleus reloads policies.
        std::vector<policy_diagnostic> diagnostics;
        load_component_policies(parts_.authz, name, c.configuration.root().to_json(), diagnostics);
        for (const auto& diagnostic : diagnostics)
            log()->warn("accessControl of {}: {}", name, diagnostic.text);
        parts_.configuration.replace(name, std::move(c.configuration), c.changed);
        if (!c.restart) continue;
        const recipe& r = registered.source;
        parts_.supervisor.add({name, r.component_version, r.component_type, registered.token,
                               r.lifecycle, r.dependencies, r.file,
                               read_recipe_artifacts(r.selected_manifest)});
        to_start.push_back(name);
    }
    for (const auto& name : to_start)
        parts_.supervisor.start(name);
    if (parts_.components_changed) parts_.components_changed();
}

}  // namespace standin::server
