// SPDX-License-Identifier: Apache-2.0
// The secrets GetSecretValue serves (semantics.md §7), as the secret manager's local cache holds
// them: each secret by ARN, each version by id and by every stage (label) on it.
//
// Rules, as the plugin's SecretManager applies them:
//   resolve(id): an id that matches the secret ARN pattern is taken as the ARN, configured or not;
//                otherwise it is a name: the secret's own name, else a configured ARN ending in
//                ":secret:<name>-XXXXXX" (six alphanumerics, optionally ":<suffix>"); else unknown.
//   find(arn, versionId, stage): versionId first, then stage, else AWSCURRENT; an empty string
//                counts as absent.
// Examples: resolve("db") -> "arn:aws:secretsmanager:us-east-1:123456789012:secret:db-AbCdEf";
//           resolve("arn:aws:secretsmanager:us-east-1:123456789012:secret:x") -> that ARN as is.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace standin::server {

struct stored_secret_version {
    std::string version_id;
    std::vector<std::string> stages;
    // Exactly one is set.
    std::optional<std::string> secret_string;
    std::optional<std::string> secret_binary;  // raw bytes
};

struct stored_secret {
    std::string arn;
    std::string name;  // may be empty
    std::vector<stored_secret_version> versions;
};

// The stage a request without versionId and versionStage gets.
inline constexpr std::string_view current_stage = "AWSCURRENT";

class secret_store {
public:
    enum class lookup_error { secret_not_found, version_id_not_found, version_stage_not_found };

    void add(stored_secret secret);

    // Whether `id` has the shape of a secret ARN (the plugin's VALID_SECRET_ARN_PATTERN).
    static bool is_secret_arn(std::string_view id);

    // The ARN `secret_id` names, or nullopt when it is a name nobody configured (see the rules above).
    std::optional<std::string> resolve(std::string_view secret_id) const;

    // The version of the secret `arn` selected by the rules above. The pointer is valid until the
    // next add().
    std::variant<const stored_secret_version*, lookup_error> find(
        std::string_view arn, std::optional<std::string_view> version_id,
        std::optional<std::string_view> version_stage) const;

    std::size_t size() const noexcept { return secrets_.size(); }

private:
    const stored_secret* by_arn(std::string_view arn) const;

    std::vector<stored_secret> secrets_;
};

}  // namespace standin::server
