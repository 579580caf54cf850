// SPDX-License-Identifier: Apache-2.0
#include "clientdevices/client_device_auth.hpp"

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <limits>
#include <stdexcept>
#include <utility>

#include "util/libcrypto.hpp"

namespace standin::server::clientdevices {

namespace {

using util::libcrypto;

constexpr std::size_t max_thing_name_length = 128;
constexpr std::string_view allow_all_session = "ALLOW_ALL";

// A random (version 4) UUID, as java.util.UUID.randomUUID() spells it.
std::string random_uuid() {
    unsigned char bytes[16];
    if (libcrypto().RAND_bytes(bytes, sizeof bytes) != 1) throw std::runtime_error("no random bytes");
    bytes[6] = static_cast<unsigned char>((bytes[6] & 0x0F) | 0x40);
    bytes[8] = static_cast<unsigned char>((bytes[8] & 0x3F) | 0x80);
    char text[37];
    std::snprintf(text, sizeof text,
                  "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x", bytes[0],
                  bytes[1], bytes[2], bytes[3], bytes[4], bytes[5], bytes[6], bytes[7], bytes[8],
                  bytes[9], bytes[10], bytes[11], bytes[12], bytes[13], bytes[14], bytes[15]);
    return text;
}

// Coerce.toInt of a configuration value: numbers, and strings holding one; else nullopt.
std::optional<long long> coerce_int(const nlohmann::json& value) {
    if (value.is_number()) return static_cast<long long>(value.get<double>());
    if (value.is_string()) {
        try {
            return std::stoll(value.get<std::string>());
        } catch (const std::exception&) {
            return std::nullopt;
        }
    }
    return std::nullopt;
}

}  // namespace

bool valid_thing_name(std::string_view name) {
    if (name.empty() || name.size() > max_thing_name_length) return false;
    return std::all_of(name.begin(), name.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == ':' ||
               c == '_' || c == '-';
    });
}

auth_configuration auth_configuration::from_component_configuration(
    const nlohmann::json& configuration) {
    auth_configuration out;
    if (!configuration.is_object()) return out;
    if (const auto groups = configuration.find("deviceGroups"); groups != configuration.end()) {
        out.groups = device_groups::from_configuration(*groups);
    }
    if (const auto performance = configuration.find("performance");
        performance != configuration.end() && performance->is_object()) {
        if (const auto tokens = performance->find("maxActiveAuthTokens"); tokens != performance->end()) {
            // The plugin clamps to [1, Integer.MAX_VALUE - 1].
            constexpr long long most = std::numeric_limits<std::int32_t>::max() - 1;
            if (const auto value = coerce_int(*tokens)) {
                out.max_active_auth_tokens = static_cast<std::size_t>(std::clamp(*value, 1LL, most));
            }
        }
    }
    if (const auto certificates = configuration.find("certificates");
        certificates != configuration.end() && certificates->is_object()) {
        if (const auto validity = certificates->find("serverCertificateValiditySeconds");
            validity != certificates->end()) {
            constexpr long long least = 60, most = 10 * 24 * 3600;
            if (const auto value = coerce_int(*validity)) {
                out.server_certificate_validity = std::chrono::seconds{std::clamp(*value, least, most)};
            }
        }
    }
    return out;
}

std::string session_store::add(session s) {
    std::string token;
    do {
        token = random_uuid();
    } while (by_token_.contains(token));
    recency_.emplace_front(token, std::move(s));
    by_token_.emplace(token, recency_.begin());
    while (by_token_.size() > capacity_) {
        by_token_.erase(recency_.back().first);
        recency_.pop_back();
    }
    return token;
}

const session_store::session* session_store::find(const std::string& token) {
    const auto it = by_token_.find(token);
    if (it == by_token_.end()) return nullptr;
    recency_.splice(recency_.begin(), recency_, it->second);
    return &it->second->second;
}

client_device_auth::client_device_auth(certificate_authority ca, std::vector<registered_device> devices,
                                       auth_configuration configuration, clock_function now)
    : ca_(std::move(ca)),
      devices_(std::move(devices)),
      configuration_(std::move(configuration)),
      now_(std::move(now)),
      sessions_(configuration_.max_active_auth_tokens) {}

bool client_device_auth::is_component(const certificate& c) const {
    return ca_.issued(c, now_());
}

bool client_device_auth::verify(std::string_view certificate_pem) {
    const auto parsed = certificate::from_pem(certificate_pem);
    if (!parsed) return false;
    if (is_component(*parsed)) return true;
    if (!parsed->valid_at(now_())) return false;
    // IoT Core is asked every time (standin is always online); what it says is what the local
    // registry then holds.
    const bool known = std::any_of(devices_.begin(), devices_.end(), [&](const registered_device& d) {
        return d.attached.der() == parsed->der();
    });
    if (known) {
        verified_.insert(parsed->der());
    } else {
        verified_.erase(parsed->der());
    }
    return known;
}

std::variant<std::string, client_device_auth::session_error> client_device_auth::create_session(
    const std::optional<std::string>& client_id, std::string_view certificate_pem, std::string& reason) {
    const auto parsed = certificate::from_pem(certificate_pem);
    if (parsed && is_component(*parsed)) return sessions_.add({std::nullopt});
    if (client_id && client_id->size() > max_thing_name_length) {
        reason = "Thing name is too long";
        return session_error::authentication_failed;
    }
    if (!parsed) {
        reason = "Certificate is invalid";
        return session_error::authentication_failed;
    }
    if (!verified_.contains(parsed->der())) {
        reason = "Certificate not in local registry";
        return session_error::authentication_failed;
    }
    if (!client_id || !valid_thing_name(*client_id)) {
        reason = "Invalid thing name. The thing name must match \"[a-zA-Z0-9\\-_:]+\".";
        return session_error::invalid_thing_name;
    }
    const bool attached = std::any_of(devices_.begin(), devices_.end(), [&](const registered_device& d) {
        return d.thing_name == *client_id && d.attached.der() == parsed->der();
    });
    if (!attached) {
        reason = "Failed to verify certificate attached to thing";
        return session_error::authentication_failed;
    }
    return sessions_.add({*client_id});
}

client_device_auth::authorization client_device_auth::authorize(const std::string& token,
                                                                std::string_view operation,
                                                                std::string_view resource) {
    if (token == allow_all_session) return authorization::allowed;
    const auto* s = sessions_.find(token);
    if (s == nullptr) return authorization::invalid_session;
    if (!s->thing_name) return authorization::allowed;
    switch (configuration_.groups.authorize(*s->thing_name, operation, resource)) {
        case device_decision::allowed:
            return authorization::allowed;
        case device_decision::denied:
            return authorization::denied;
        case device_decision::service_mismatch:
            return authorization::service_mismatch;
    }
    return authorization::denied;
}

}  // namespace standin::server::clientdevices
