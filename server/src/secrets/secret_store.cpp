// SPDX-License-Identifier: Apache-2.0
#include "secrets/secret_store.hpp"

#include <algorithm>
#include <regex>

namespace standin::server {

namespace {

bool present(const std::optional<std::string_view>& text) {
    return text && !text->empty();
}

// The suffix Secrets Manager appends to a name in an ARN: "-" and six alphanumerics, optionally
// followed by ":<version or stage>".
bool arn_has_name(std::string_view arn, std::string_view name) {
    static const std::regex suffix{R"(-[A-Za-z0-9]{6}(:[A-Za-z0-9/_+=.@-]+)?)"};
    const std::string marker = ":secret:" + std::string{name};
    for (auto at = arn.find(marker); at != std::string_view::npos; at = arn.find(marker, at + 1)) {
        const std::string rest{arn.substr(at + marker.size())};
        if (std::regex_match(rest, suffix)) return true;
    }
    return false;
}

}  // namespace

void secret_store::add(stored_secret secret) {
    secrets_.push_back(std::move(secret));
}

bool secret_store::is_secret_arn(std::string_view id) {
    static const std::regex pattern{
        R"(arn:([^:]+):secretsmanager:[a-z0-9\-]+:[0-9]{12}:secret:([a-zA-Z0-9\\]+/)*)"
        R"([a-zA-Z0-9/_+=,.@\-]+(-[a-zA-Z0-9]+)?)"};
    return std::regex_match(id.begin(), id.end(), pattern);
}

std::optional<std::string> secret_store::resolve(std::string_view secret_id) const {
    if (is_secret_arn(secret_id)) return std::string{secret_id};
    for (const auto& s : secrets_) {
        if (!s.name.empty() && s.name == secret_id) return s.arn;
    }
    for (const auto& s : secrets_) {
        if (arn_has_name(s.arn, secret_id)) return s.arn;
    }
    return std::nullopt;
}

const stored_secret* secret_store::by_arn(std::string_view arn) const {
    const auto it = std::find_if(secrets_.begin(), secrets_.end(),
                                 [&](const stored_secret& s) { return s.arn == arn; });
    return it == secrets_.end() ? nullptr : &*it;
}

std::variant<const stored_secret_version*, secret_store::lookup_error> secret_store::find(
    std::string_view arn, std::optional<std::string_view> version_id,
    std::optional<std::string_view> version_stage) const {
    const stored_secret* secret = by_arn(arn);
    const auto with_stage = [&](std::string_view stage) -> const stored_secret_version* {
        if (secret == nullptr) return nullptr;
        for (const auto& v : secret->versions) {
            if (std::find(v.stages.begin(), v.stages.end(), stage) != v.stages.end()) return &v;
        }
        return nullptr;
    };
    if (present(version_id)) {
        if (secret != nullptr) {
            for (const auto& v : secret->versions) {
                if (v.version_id == *version_id) return &v;
            }
        }
        return lookup_error::version_id_not_found;
    }
    if (present(version_stage)) {
        if (const auto* v = with_stage(*version_stage)) return v;
        return lookup_error::version_stage_not_found;
    }
    if (const auto* v = with_stage(current_stage)) return v;
    return lookup_error::secret_not_found;
}

}  // namespace standin::server
