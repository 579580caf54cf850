// SPDX-License-Identifier: Apache-2.0
#include "daemon/daemon.hpp"

#include <sys/un.h>
#include <unistd.h>

#include <cstdio>
#include <functional>
#include <iostream>
#include <map>
#include <random>

#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/thread_pool.hpp>

#include "authz/audit_log.hpp"
#include "authz/authorizer.hpp"
#include "authz/recipe_policies.hpp"
#include "clientdevices/certificates.hpp"
#include "clientdevices/client_device_auth.hpp"
#include "components/component_registry.hpp"
#include "config/fixture.hpp"
#include "core/device_identity.hpp"
#include "daemon/daemon_info.hpp"
#include "daemon/live_deployment_host.hpp"
#include "lifecycle/configuration_variables.hpp"
#include "net/listener.hpp"
#include "recipes/recipe.hpp"
#include "recipes/recipe_artifacts.hpp"
#include "rpc/dispatcher.hpp"
#include "services/services.hpp"
#include "standin/model/service_ids.hpp"
#include "util/log.hpp"

namespace standin::server {

namespace asio = boost::asio;
namespace fs = std::filesystem;

namespace {

// The nucleus merges configuration maps key by key and replaces everything else.
void merge_configuration(nlohmann::json& target, const nlohmann::json& update) {
    if (!target.is_object() || !update.is_object()) {
        target = update;
        return;
    }
    for (const auto& [key, value] : update.items())
        merge_configuration(target[key], value);
}

std::vector<fs::path> recipe_directories(const daemon_options& options) {
    if (!options.recipe_dirs.empty()) return options.recipe_dirs;
    if (fs::is_directory("recipes")) return {"recipes"};
    return {};
}

void prepare_root(const fs::path& root) {
    std::error_code ec;
    fs::create_directories(root / "work", ec);
    if (ec) throw startup_error("cannot create root directory " + root.string() + ": " + ec.message());
}

// SDK clients connect to the path they are given, and sockaddr_un holds 107 bytes of it. For a
// socket deeper than that (CI temp dirs), the nucleus hands out a relative path through a symlink;
// we hand out a short absolute alias, <tmp>/standin-<pid>, a symlink to the socket's directory,
// which works from any working directory. nullopt when the path fits or no alias can be made.
std::optional<fs::path> make_short_socket_alias(const fs::path& socket) {
    constexpr std::size_t max_path = sizeof(sockaddr_un::sun_path) - 1;
    if (socket.native().size() <= max_path) return std::nullopt;
    std::error_code ec;
    const fs::path link = fs::temp_directory_path(ec) / ("standin-" + std::to_string(::getpid()));
    if (ec || (link / socket.filename()).native().size() > max_path) return std::nullopt;
    fs::remove(link, ec);
    fs::create_directory_symlink(socket.parent_path(), link, ec);
    if (ec) return std::nullopt;
    return link;
}

// `command` as one sh -c script, each argument single-quoted.
std::string shell_command(const std::vector<std::string>& command) {
    std::string out;
    for (const auto& argument : command) {
        if (!out.empty()) out += ' ';
        out += '\'';
        for (const char c : argument)
            out += c == '\'' ? std::string{"'\\''"} : std::string(1, c);
        out += '\'';
    }
    return out;
}

// The directory of the running standin, first on the PATH of component processes: recipes can
// call `standin pubsub ...` without knowing where standin is installed.
fs::path own_directory() {
    std::error_code ec;
    const auto self = fs::read_symlink("/proc/self/exe", ec);
    return ec ? fs::path{} : self.parent_path();
}

fixture load_fixture(const daemon_options& options) {
    if (!options.fixture) return {};
    try {
        return load_fixture_file(*options.fixture);
    } catch (const std::exception& e) {
        throw startup_error(e.what());
    }
}

// Registers every recipe's component (token, policies), with the fixture's configuration merged
// over its defaults. Logs what the nucleus would silently skip; with strict_policies a dropped
// policy is a startup_error naming the recipe file and the policy.
void add_components(component_registry& components, authorizer& authz, const daemon_options& options,
                    const fixture& fake_cloud, const device_layout& device) {
    const auto log = logger("daemon");
    std::vector<recipe> recipes;
    try {
        recipes = load_recipe_directories(recipe_directories(options));
    } catch (const std::exception& e) {
        throw startup_error(e.what());
    }
    for (auto& r : recipes) {
        if (const auto it = fake_cloud.components.find(r.component_name);
            it != fake_cloud.components.end()) {
            merge_configuration(r.default_configuration, it->second);
        }
    }
    // After the merge, as the nucleus interpolates the configuration a deployment resolves; before
    // any recipe moves on, since a dependency's version may be needed.
    if (options.interpolate_component_configuration) {
        for (auto& r : recipes)
            r.default_configuration =
                interpolate_configuration(r.default_configuration, r, device, recipes);
    }
    for (auto& r : recipes) {
        for (const auto& warning : r.warnings)
            log->warn("{}", warning);
        std::vector<policy_diagnostic> diagnostics;
        load_component_policies(authz, r.component_name, r.default_configuration, diagnostics);
        for (const auto& diagnostic : diagnostics) {
            if (options.strict_policies && diagnostic.dropped()) {
                throw startup_error(r.file.string() + ": accessControl of " + r.component_name + ": " +
                                    diagnostic.text +
                                    " (--strict-policies; standin lint shows the line)");
            }
            log->warn("accessControl of {}: {}", r.component_name, diagnostic.text);
        }
        components.add(std::move(r));
    }
    // A configuration for a component no recipe defines is a typo that must not pass silently.
    for (const auto& [name, configuration] : fake_cloud.components) {
        if (components.find(name) == nullptr) {
            throw startup_error(options.fixture->string() + ": components." + name +
                                ": no recipe defines this component");
        }
    }
}

// The client device auth plugin as the daemon starts it: the fixture's devices as IoT Core's
// registry and the device policies from the aws.greengrass.clientdevices.Auth configuration, with
// a fresh local CA and the broker server certificate it issues made on first use (also for the
// debug console's certificate fingerprints). A fixture certificate that does not parse or a
// configuration the plugin would reject is a startup_error. Returns the watch that re-reads the device
// groups when the plugin's configuration changes (its configChangeHandler): a bad new configuration is
// logged and the old groups stay, as the plugin errors and keeps what it had.
std::unique_ptr<config_store::watch> start_client_device_auth(service_states& services,
                                                              const fixture& fake_cloud,
                                                              const device_identity& device,
                                                              const daemon_options& options) {
    namespace cda = clientdevices;
    constexpr const char* auth_component = "aws.greengrass.clientdevices.Auth";
    std::vector<cda::registered_device> devices;
    for (std::size_t i = 0; i < fake_cloud.client_devices.size(); ++i) {
        const auto& d = fake_cloud.client_devices[i];
        if (d.certificate_pem.empty()) continue;  // a thing no certificate is attached to
        auto parsed = cda::certificate::from_pem(d.certificate_pem);
        if (!parsed) {
            throw startup_error(options.fixture->string() + ": clientDevices[" + std::to_string(i) +
                                "].certificatePem: not a PEM X.509 certificate");
        }
        devices.push_back({d.thing_name, std::move(*parsed)});
    }
    cda::auth_configuration configuration;
    if (const config_tree* tree = services.configuration.store.find(auth_component)) {
        try {
            configuration =
                cda::auth_configuration::from_component_configuration(tree->root().to_json());
        } catch (const std::invalid_argument& e) {
            throw startup_error(std::string{"configuration of "} + auth_component + ": " + e.what());
        }
    }
    // The CA is made on first use (client_devices_state::start); what could be wrong with the
    // fixture or the configuration was checked above, at start-up.
    struct core_inputs {  // a std::function must be copyable; the configuration is not
        std::vector<cda::registered_device> devices;
        cda::auth_configuration configuration;
    };
    auto inputs = std::make_shared<core_inputs>(std::move(devices), std::move(configuration));
    services.client_devices.start = [&services, inputs, thing = device.thing_name,
                                     auth_component](client_devices_state& state) {
        const auto now = std::chrono::system_clock::now();
        auto ca = cda::certificate_authority::generate("Greengrass Core CA", now);
        state.server_certificate =
            ca.issue_server_certificate(thing, {"localhost"}, {"127.0.0.1", "::1"}, now,
                                        inputs->configuration.server_certificate_validity);
        state.auth.emplace(std::move(ca), std::move(inputs->devices), std::move(inputs->configuration));
        // The device groups as they are now: the configuration may have changed since start-up.
        if (const config_tree* tree = services.configuration.store.find(auth_component)) {
            const auto all = tree->root().to_json();
            const auto groups = all.is_object() ? all.find("deviceGroups") : all.end();
            try {
                state.auth->set_device_groups(cda::device_groups::from_configuration(
                    groups != all.end() ? *groups : nlohmann::json{}));
            } catch (const std::invalid_argument&) {
                // Rejected when it changed (logged then): the start-up groups stay.
            }
        }
    };
    services.debug_password.server_certificate_fingerprints = [&services] {
        debug_passwords::fingerprints hashes;
        if (clientdevices_service::ensure_started(services.client_devices)) return hashes;
        const auto server =
            cda::certificate::from_pem(services.client_devices.server_certificate.certificate_pem);
        if (server) {
            hashes.sha1 = cda::fingerprint(server->der(), "SHA1");
            hashes.sha256 = cda::fingerprint(server->der(), "SHA256");
        }
        return hashes;
    };
    if (services.configuration.store.find(auth_component) == nullptr) return nullptr;
    return services.configuration.store.subscribe(
        auth_component, {"deviceGroups"}, [&services, auth_component](const config_path&) {
            const config_tree* tree = services.configuration.store.find(auth_component);
            if (tree == nullptr || !services.client_devices.auth) return;
            const auto all = tree->root().to_json();
            const auto groups = all.is_object() ? all.find("deviceGroups") : all.end();
            try {
                services.client_devices.auth->set_device_groups(cda::device_groups::from_configuration(
                    groups != all.end() ? *groups : nlohmann::json{}));
                logger("clientdevices")->info("device groups of {} updated", auth_component);
            } catch (const std::invalid_argument& e) {
                logger("clientdevices")
                    ->error("device groups of {} not updated: {}", auth_component, e.what());
            }
        });
}

}  // namespace

int run_daemon(const daemon_options& options) {
    const auto log = logger("daemon");
    const fixture fake_cloud = load_fixture(options);
    const device_identity device{options.thing_name.value_or(fake_cloud.thing_name),
                                 options.region.value_or(fake_cloud.region)};
    authorizer authz;
    register_nucleus_services(authz);
    component_registry components;
    const device_layout layout{fs::absolute(options.root).lexically_normal(), device.thing_name,
                               options.artifacts};
    add_components(components, authz, options, fake_cloud, layout);
    // standin's own commands (standin component ...) call the daemon as the Greengrass CLI does,
    // as aws.greengrass.Cli, which the operation table trusts for its operations.
    std::map<std::string, std::string> builtin_tokens;
    if (const std::string cli{model::service_ids::cli}; components.find(cli) == nullptr)
        builtin_tokens.emplace(cli, components.add_builtin(cli));

    // Each service owns its state; the registry binds each operation to its own service's.
    service_states services;
    for (const auto& s : fake_cloud.secrets) {
        stored_secret stored{s.arn, s.name, {}};
        for (const auto& v : s.versions)
            stored.versions.push_back({v.version_id, v.stages, v.secret_string, v.secret_binary});
        services.secrets.add(std::move(stored));
    }
    services.shadows.token_key = std::random_device{}();
    for (const auto& s : fake_cloud.shadows) {
        // The device's own shadows follow --thing-name.
        services.shadows.seed(s.thing_name == fake_cloud.thing_name ? device.thing_name : s.thing_name,
                              s.shadow_name, s.state);
    }
    if (options.foreground && components.all().size() != 1) {
        throw startup_error("standin run takes one recipe; the recipes define " +
                            std::to_string(components.all().size()) + " components");
    }
    for (const auto& [name, c] : components.all()) {
        services.configuration.store.seed(name, c.source.default_configuration);
        nlohmann::json lifecycle = c.source.lifecycle;
        if (options.foreground && !options.foreground->command.empty())
            lifecycle = {{"Run", shell_command(options.foreground->command)}};
        services.components.add({name,
                                 c.source.component_version,
                                 c.source.component_type,
                                 c.token,
                                 std::move(lifecycle),
                                 c.source.dependencies,
                                 c.source.file,
                                 read_recipe_artifacts(c.source.selected_manifest),
                                 {}});
    }
    // The shadow manager's settings are its component's configuration, when a recipe declares it.
    if (const config_tree* shadow_config = services.configuration.store.find(shadow_manager_component)) {
        try {
            services.shadows.configure(shadow_config->root().to_json());
        } catch (const std::invalid_argument& e) {
            throw startup_error(std::string{shadow_manager_component} + " configuration: " + e.what());
        }
    }
    services.shadows.listen_on_pubsub();
    services.components.set_configuration_source(
        [&store = services.configuration.store](std::string_view name) -> std::optional<nlohmann::json> {
            const config_tree* tree = store.find(name);
            if (tree == nullptr) return std::nullopt;
            return tree->root().to_json();
        });
    const auto device_groups_watch = start_client_device_auth(services, fake_cloud, device, options);
    services.tokens.component_of = [&components](std::string_view token) {
        return components.component_for_token(token);
    };
    operation_registry operations;
    register_services(operations, services);
    if (options.profile == nucleus_profile::lite) {
        operations.retain_if([](const model::operation_info& op) { return op.lite; });
        log->info("profile lite: only the operations nucleus lite serves, frames up to {} bytes",
                  options.limits.max_frame_size);
    }
    const policy_access_checker policies{authz};
    std::optional<audited_access_checker> audited;
    if (options.audit) {
        try {
            audited.emplace(policies, *options.audit);
        } catch (const std::exception& e) {
            throw startup_error(e.what());
        }
    }
    const access_checker& access = audited ? static_cast<const access_checker&>(*audited) : policies;
    const dispatcher dispatch{operations, access, options.limits.max_frame_size};

    const fs::path root = fs::absolute(options.root).lexically_normal();
    prepare_root(root);
    const fs::path socket_path =
        options.socket ? fs::absolute(*options.socket).lexically_normal() : root / "ipc.socket";

    asio::io_context io{1};
    // The broker connection runs on `io`, so it goes before `io` does, however run_daemon ends.
    struct iot_bridge_stop {
        iot_core& iot;
        ~iot_bridge_stop() { iot.disconnect(); }
    } const stop_iot_bridge{services.iot};
    if (options.iot_broker) {
        auto settings = *options.iot_broker;
        settings.client_id = device.thing_name;
        services.iot.connect_to(
            iotcore::make_mosquitto_connection(io.get_executor(), std::move(settings)));
    }
    // Signals are caught before the socket exists, so that none can leave it behind.
    asio::signal_set signals{io, SIGINT, SIGTERM};
    session_registry sessions{io.get_executor()};
    std::optional<listener> ipc;
    const auto socket_alias = make_short_socket_alias(socket_path);
    const auto remove_alias = [&] {
        std::error_code ignored;
        if (socket_alias) fs::remove(*socket_alias, ignored);
    };
    daemon_info info;
    try {
        ipc.emplace(io, socket_path, options.socket_mode);
        info.pid = static_cast<long>(::getpid());
        info.socket = socket_path;
        info.client_socket = socket_alias ? *socket_alias / socket_path.filename() : socket_path;
        info.thing_name = device.thing_name;
        info.region = device.region;
        for (const auto& [name, c] : components.all())
            info.tokens.emplace(name, c.token);
        info.builtin_tokens = builtin_tokens;
        write_daemon_info(root, info);
    } catch (const std::exception& e) {
        if (ipc) ipc->close();
        remove_alias();
        throw startup_error(e.what());
    }

    // Local deployments change the components once they run; what they read from disk is read on
    // the pool. `standin env` learns the tokens of the components they add.
    asio::thread_pool blocking_pool{1};
    live_deployment_host live_deployments{
        {components, authz, services.configuration.store, services.configuration.validation,
         services.components, blocking_work{io.get_executor(), blocking_pool}, root,
         [&] {
             info.tokens.clear();
             for (const auto& [name, c] : components.all())
                 info.tokens.emplace(name, c.token);
             try {
                 write_daemon_info(root, info);
             } catch (const std::exception& e) {
                 log->error("{}", e.what());
             }
         },
         // What a deployment resolves is interpolated as the
         // recipes at start-up are.
         options.interpolate_component_configuration ? std::optional<device_layout>{layout}
                                                     : std::nullopt}};
    services.deployments.root = root;
    {
        std::vector<recipe> deployed;
        for (const auto& [name, c] : components.all())
            deployed.push_back(c.source);
        services.deployments.engine.attach(live_deployments, deployed);
        services.deployments.engine.set_validation_timeout(options.validation_timeout);
    }

    // The first signal stops the components (their shutdown scripts may still use IPC), then the
    // IPC server; a second one kills what is left at once.
    std::function<void(const boost::system::error_code&, int)> on_signal;
    bool stopping = false;
    int exit_code = 0;
    const auto shut_down = [&](int code) {
        if (stopping) return;
        stopping = true;
        exit_code = code;
        services.deployments.engine.stop();
        live_deployments.stop();
        services.components.stop_all([&] {
            boost::system::error_code ignored;
            signals.cancel(ignored);
            ipc->close();
            sessions.stop_all();
            services.iot.disconnect();
        });
    };
    on_signal = [&](const boost::system::error_code& ec, int signal_number) {
        if (ec) return;
        if (stopping) {
            log->warn("signal {} received again; killing every component process", signal_number);
            services.components.kill_all();
            return;
        }
        log->info("signal {} received; shutting down", signal_number);
        signals.async_wait(on_signal);
        shut_down(0);
    };
    signals.async_wait(on_signal);
    if (options.foreground) {
        // standin run ends with its component: the command's exit code; for a lifecycle, 0 once
        // FINISHED, 1 once BROKEN.
        const bool command = !options.foreground->command.empty();
        lifecycle::supervisor_events events;
        events.script_exited = [&, command](std::string_view, lifecycle::step which, int code) {
            if (command && which == lifecycle::step::run) shut_down(code);
        };
        events.state_changed = [&](std::string_view, lifecycle::component_state state) {
            if (state == lifecycle::component_state::finished) shut_down(0);
            if (state == lifecycle::component_state::broken) shut_down(1);
        };
        services.components.set_events(std::move(events));
    }

    const session_context connections{
        dispatch, [&components](std::string_view payload) { return components.authenticate(payload); },
        options.limits, sessions};
    ipc->start(connections);
    log->info("serving {} component(s) as thing {} in {}; {} of {} operations served",
              components.all().size(), device.thing_name, device.region, operations.size(),
              model::operation_count);
    std::cout << "standin ready socket=" << socket_path.string() << " root=" << root.string()
              << " components=" << components.all().size() << std::endl;
    // Components start once the socket is ready for them (and the ready line out).
    lifecycle::supervisor_settings lifecycle_settings;
    lifecycle_settings.root = root;
    lifecycle_settings.artifacts_dir = options.artifacts;
    lifecycle_settings.launch = options.launch;
    lifecycle_settings.socket = socket_path.string();
    lifecycle_settings.client_socket =
        (socket_alias ? *socket_alias / socket_path.filename() : socket_path).string();
    lifecycle_settings.thing_name = device.thing_name;
    lifecycle_settings.region = device.region;
    lifecycle_settings.path_prefix = own_directory();
    lifecycle_settings.blocking =
        std::make_shared<const blocking_work>(io.get_executor(), blocking_pool);
    services.components.launch(io.get_executor(), std::move(lifecycle_settings));

    io.run();
    ipc->close();
    remove_alias();
    remove_daemon_info(root);
    return exit_code;
}

}  // namespace standin::server
