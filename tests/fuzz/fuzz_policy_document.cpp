// SPDX-License-Identifier: Apache-2.0
// Loads an arbitrary accessControl document (JSON, the input's first line) for a component, then
// checks requests whose resources come from the rest of the input, one per line, in both resource
// syntaxes. Each resource line is also compiled as a policy pattern, when valid, and matched
// against every line, so matching is exercised even when the document does not load. Nothing may
// crash, a decision must be self-consistent (allowed iff it has a grant, denied iff it carries a
// message), and the two matchers must agree: matches() iff mismatch_offset() finds no failure.
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "authz/authorizer.hpp"
#include "authz/resource_pattern.hpp"

using namespace standin::server;

namespace {

// Enough lines to find cross-line bugs; the matchers are O(resource x pattern), so the work per
// input stays bounded by its size squared.
constexpr std::size_t max_lines = 16;

std::vector<std::string> lines_of(std::string_view text) {
    std::vector<std::string> out;
    while (!text.empty() && out.size() < max_lines) {
        const auto end = text.find('\n');
        out.emplace_back(text.substr(0, end));
        text = end == std::string_view::npos ? std::string_view{} : text.substr(end + 1);
    }
    return out;
}

void match_directly(const std::vector<std::string>& lines) {
    for (const auto& pattern_text : lines) {
        if (validate_resource(pattern_text)) continue;
        for (const auto syntax : {resource_syntax::glob, resource_syntax::mqtt}) {
            const resource_pattern pattern{pattern_text, syntax};
            for (const auto& resource : lines) {
                const bool matched = pattern.matches(resource);
                const auto offset = pattern.mismatch_offset(resource);
                if (matched == offset.has_value()) std::abort();
                if (offset && *offset > resource.size()) std::abort();
            }
        }
    }
}

// Whether the accessControl names a service "" (it may come as a JSON string, which the
// authorizer parses once). A diagnostic about a policy of that service has an empty service id.
bool names_the_empty_service(const nlohmann::json& document) {
    if (document.is_string()) {
        const auto parsed = nlohmann::json::parse(document.get<std::string>(), nullptr, false);
        return parsed.is_object() && parsed.contains("");
    }
    return document.is_object() && document.contains("");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view input{reinterpret_cast<const char*>(data), size};
    const auto split = input.find('\n');
    const auto lines =
        lines_of(split == std::string_view::npos ? std::string_view{} : input.substr(split + 1));
    match_directly(lines);

    const auto document = nlohmann::json::parse(input.substr(0, split), nullptr, false);
    if (document.is_discarded()) return 0;

    authorizer authz;
    register_nucleus_services(authz);
    std::vector<policy_diagnostic> diagnostics;
    authz.load_component("fuzz.Component", document, diagnostics);
    authz.load_component("fuzz.Other", document, diagnostics);
    const bool empty_service = names_the_empty_service(document);
    for (const auto& d : diagnostics) {
        if (d.text.empty()) std::abort();
        // A policy belongs to a service.
        if (d.policy_id && d.service_id.empty() && !empty_service) std::abort();
    }

    for (const auto& resource : lines) {
        for (const auto* service : {"aws.greengrass.ipc.pubsub", "aws.greengrass.ipc.mqttproxy"}) {
            for (const auto* operation :
                 {"aws.greengrass#PublishToTopic", "aws.greengrass#PublishToIoTCore"}) {
                for (const auto& r :
                     {std::optional<std::string>{resource}, std::optional<std::string>{}}) {
                    const auto decision = authz.check({service, "fuzz.Component", operation, r});
                    if (decision.allowed != decision.grant.has_value()) std::abort();
                    if (decision.allowed == !decision.message.empty()) std::abort();
                    (void)decision.to_string();
                }
            }
        }
    }
    return 0;
}
