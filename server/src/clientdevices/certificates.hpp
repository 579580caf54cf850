// SPDX-License-Identifier: Apache-2.0
// X.509 certificates as the client device auth plugin handles them, through OpenSSL: parsing PEM,
// validity periods, fingerprints, and the local certificate authority that the plugin keeps (it
// issues the broker's server certificate, and a client certificate it issued marks a Greengrass
// component rather than a device).
#pragma once

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

// OpenSSL's types, without its headers here.
struct x509_st;
struct evp_pkey_st;

namespace standin::server::clientdevices {

using system_clock = std::chrono::system_clock;

// A parsed certificate. Immutable; cheap to move.
class certificate {
public:
    // The first certificate of PEM text, or nullopt when there is none that parses.
    static std::optional<certificate> from_pem(std::string_view pem);

    // DER bytes: what identifies a certificate (two PEM spellings of one certificate are equal).
    const std::string& der() const noexcept { return der_; }
    system_clock::time_point not_before() const noexcept { return not_before_; }
    system_clock::time_point not_after() const noexcept { return not_after_; }
    bool valid_at(system_clock::time_point when) const noexcept {
        return not_before_ <= when && when <= not_after_;
    }
    x509_st* native() const noexcept { return x509_.get(); }

private:
    friend class certificate_authority;
    certificate() = default;

    struct free_x509 {
        void operator()(x509_st* x) const noexcept;
    };
    std::shared_ptr<x509_st> x509_;
    std::string der_;
    system_clock::time_point not_before_;
    system_clock::time_point not_after_;
};

// The certificate PEM the plugin works with, from what a client sent (IPCUtils.reEncodeCertToPem):
// text that starts with the PEM header is taken as is; anything else is read as base64 the way
// Java's MIME decoder reads it (characters outside the alphabet are skipped) and wrapped in PEM.
// nullopt when that base64 is malformed: the plugin's "Unable to convert certificate PEM".
std::optional<std::string> certificate_pem_from_client(std::string_view text);

// The digest of `bytes` as upper-case hex pairs joined by ':' ("AB:01:..."), the way certificate
// fingerprints are shown. `algorithm` is an OpenSSL digest name ("SHA1", "SHA256").
std::string fingerprint(std::string_view bytes, const char* algorithm);

// The CDA's certificateUpdate: PEM text throughout.
struct issued_certificate {
    std::string certificate_pem;
    std::string private_key_pem;  // PKCS#8, "PRIVATE KEY"
    std::string public_key_pem;   // SubjectPublicKeyInfo, "PUBLIC KEY"
};

// A self-signed CA with an EC P-256 key, made in memory at start (the plugin's managed CA; it
// defaults to RSA-2048, P-256 is one of its caType choices and keeps every daemon start fast).
class certificate_authority {
public:
    // Throws std::runtime_error when OpenSSL fails.
    static certificate_authority generate(const std::string& common_name, system_clock::time_point now);

    const std::string& certificate_pem() const noexcept { return certificate_pem_; }
    const certificate& ca_certificate() const noexcept { return certificate_; }

    // A server certificate for `common_name` with the given DNS and IP subject alternative names,
    // signed by this CA and valid from `now` for `validity`. Throws std::runtime_error on failure.
    issued_certificate issue_server_certificate(const std::string& common_name,
                                                const std::vector<std::string>& dns_names,
                                                const std::vector<std::string>& ip_addresses,
                                                system_clock::time_point now,
                                                std::chrono::seconds validity) const;

    // Whether `leaf` chains to this CA and is valid at `when` (the plugin's PKIX check, revocation
    // off): how it tells a Greengrass component's certificate from a device's.
    bool issued(const certificate& leaf, system_clock::time_point when) const;

private:
    certificate_authority() = default;

    struct free_key {
        void operator()(evp_pkey_st* key) const noexcept;
    };
    std::shared_ptr<evp_pkey_st> key_;
    certificate certificate_;
    std::string certificate_pem_;
};

}  // namespace standin::server::clientdevices
