// SPDX-License-Identifier: Apache-2.0
// aws.greengrass#CreateDebugPassword ([CLI] CLIEventStreamAgent#CreateDebugPasswordHandler,
// semantics.md §8.4): authorized on "*" under aws.greengrass.Cli; answers username "debug", a
// password of 32 random bytes hashed with SHA-256 in unpadded base64url (43 characters), valid for
// eight hours, and the SHA-1 / SHA-256 fingerprints of the certificate the debug console would
// serve (here the broker server certificate of the local CA). The password is kept with its
// expiry, as the CLI keeps it for the debug console.

#include <chrono>

#include "services/cli/cli_service.hpp"
#include "standin/model/base64.hpp"
#include "util/libcrypto.hpp"
#include "util/log.hpp"

namespace standin::server::cli_service {

namespace {

using util::libcrypto;

constexpr std::size_t password_random_bytes = 32;
constexpr auto password_lifetime = std::chrono::hours{8};
constexpr const char* debug_username = "debug";

std::optional<std::string> new_password() {
    unsigned char random[password_random_bytes];
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int size = 0;
    if (libcrypto().RAND_bytes(random, sizeof random) != 1 ||
        libcrypto().EVP_Digest(random, sizeof random, digest, &size, libcrypto().EVP_sha256(),
                               nullptr) != 1) {
        return std::nullopt;
    }
    std::string text = model::base64_encode({reinterpret_cast<const char*>(digest), size});
    for (char& c : text) {
        if (c == '+') c = '-';
        if (c == '/') c = '_';
    }
    while (!text.empty() && text.back() == '=')
        text.pop_back();
    return text;
}

struct create_debug_password_op {
    using row = model::operation<"CreateDebugPassword">;
    using state = debug_passwords;

    static answer<row::response> handle(debug_passwords& s, const call_context& call, row::request&) {
        auto password = new_password();
        if (!password) return model::ipc_error::service("Unable to generate a password");
        const auto expiration = std::chrono::system_clock::now() + password_lifetime;
        s.issued.push_back({*password, expiration});
        const double seconds = static_cast<double>(std::chrono::duration_cast<std::chrono::milliseconds>(
                                                       expiration.time_since_epoch())
                                                       .count()) /
                               1000.0;
        logger("cli")->info("{} created a debug password, valid for {} hours", call.caller,
                            password_lifetime.count());
        row::response out;
        out.password = std::move(*password);
        out.username = debug_username;
        out.passwordExpiration = model::timestamp{seconds};
        if (s.server_certificate_fingerprints) {
            auto hashes = s.server_certificate_fingerprints();
            if (!hashes.sha256.empty()) out.certificateSHA256Hash = std::move(hashes.sha256);
            if (!hashes.sha1.empty()) out.certificateSHA1Hash = std::move(hashes.sha1);
        }
        return out;
    }
};

}  // namespace

operation_entry create_debug_password(debug_passwords& passwords) {
    return make_operation<create_debug_password_op>(passwords);
}

}  // namespace standin::server::cli_service
