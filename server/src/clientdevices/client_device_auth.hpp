// SPDX-License-Identifier: Apache-2.0
// The client device auth plugin's core (aws.greengrass.clientdevices.Auth), with the fixture as
// its cloud: which certificates AWS IoT knows and which thing each is attached to.
//
// Rules, as the plugin applies them:
//   verify(pem): a certificate the local CA issued (and valid now) is a Greengrass component's:
//     true. Otherwise true exactly when it is within its validity period and a fixture device's
//     certificate (IoT Core knows it, ACTIVE); it is then in the local registry. Unparsable: false.
//   create_session(clientId, pem): a certificate the local CA issued gets a component session
//     (every action allowed). Otherwise, in order: a clientId over 128 characters, a certificate
//     that does not parse, or one not in the local registry (never verified) is an
//     authentication failure; a clientId that is not a valid thing name is an error; a thing the
//     certificate is not attached to (no fixture device with that name and certificate) is an
//     authentication failure. A session gets a random UUID token.
//   authorize(token, operation, resource): "ALLOW_ALL" (a workaround the plugin keeps for its
//     broker) is always allowed; an unknown token is an invalid session; a component session is
//     allowed; a device session is decided by the device groups (device_groups.hpp).
//   Sessions do not expire by time: the plugin keeps at most performance.maxActiveAuthTokens of
//     them (default 2500) and evicts the least recently used beyond that.
#pragma once

#include <chrono>
#include <cstddef>
#include <functional>
#include <list>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <unordered_map>
#include <variant>
#include <vector>

#include <nlohmann/json.hpp>

#include "clientdevices/certificates.hpp"
#include "clientdevices/device_groups.hpp"

namespace standin::server::clientdevices {

// A device as IoT Core knows it: a thing with the certificate attached to it.
struct registered_device {
    std::string thing_name;
    certificate attached;
};

// The parts of the aws.greengrass.clientdevices.Auth configuration that standin applies.
struct auth_configuration {
    device_groups groups;
    std::size_t max_active_auth_tokens = 2500;  // performance.maxActiveAuthTokens, >= 1
    // certificates.serverCertificateValiditySeconds, clamped to [1 minute, 10 days].
    std::chrono::seconds server_certificate_validity{7 * 24 * 3600};

    // From the component's configuration (the object under its "configuration" key, as
    // GetConfiguration returns it). Throws std::invalid_argument as the plugin's service errors.
    static auth_configuration from_component_configuration(const nlohmann::json& configuration);
};

// Sessions by token, least recently used first out once over capacity.
class session_store {
public:
    struct session {
        std::optional<std::string> thing_name;  // nullopt: a Greengrass component's session
    };

    explicit session_store(std::size_t capacity) : capacity_(capacity == 0 ? 1 : capacity) {}

    // Stores `s` under a new random token and returns the token.
    std::string add(session s);
    // The session of `token` (now the most recently used), or nullptr.
    const session* find(const std::string& token);
    std::size_t size() const noexcept { return by_token_.size(); }

private:
    using entry = std::pair<std::string, session>;
    std::size_t capacity_;
    std::list<entry> recency_;  // most recently used first
    std::unordered_map<std::string, std::list<entry>::iterator> by_token_;
};

class client_device_auth {
public:
    using clock_function = std::function<system_clock::time_point()>;

    enum class session_error {
        authentication_failed,  // InvalidCredentialError
        invalid_thing_name,     // the plugin's unhandled IllegalArgumentException: ServiceError
    };
    enum class authorization {
        allowed,
        denied,
        invalid_session,   // InvalidClientDeviceAuthTokenError
        service_mismatch,  // ServiceError
    };

    // `ca` is the plugin's local CA; `now` the clock every validity check reads.
    client_device_auth(certificate_authority ca, std::vector<registered_device> devices,
                       auth_configuration configuration, clock_function now = system_clock::now);

    bool verify(std::string_view certificate_pem);
    // The new session's token, or why there is none. `reason` gets the plugin's log text.
    std::variant<std::string, session_error> create_session(const std::optional<std::string>& client_id,
                                                            std::string_view certificate_pem,
                                                            std::string& reason);
    authorization authorize(const std::string& token, std::string_view operation,
                            std::string_view resource);

    // The plugin re-reads its device groups when its configuration changes; sessions stay.
    void set_device_groups(device_groups groups) { configuration_.groups = std::move(groups); }

    const certificate_authority& authority() const noexcept { return ca_; }
    system_clock::time_point now() const { return now_(); }

private:
    bool is_component(const certificate& c) const;

    certificate_authority ca_;
    std::vector<registered_device> devices_;
    auth_configuration configuration_;
    clock_function now_;
    std::set<std::string> verified_;  // the local registry: DER of certificates verified ACTIVE
    session_store sessions_;
};

// Whether `name` is a valid AWS IoT thing name ([a-zA-Z0-9:_-]+, at most 128 characters).
bool valid_thing_name(std::string_view name);

}  // namespace standin::server::clientdevices
