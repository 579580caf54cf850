// SPDX-License-Identifier: Apache-2.0
// Loads an arbitrary accessControl document (JSON) for a component, then checks requests whose
// resources come from the same input, in both resource syntaxes. Nothing may crash, and a decision
// must be self-consistent: allowed iff it has a grant, denied iff it carries a message.
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "authz/authorizer.hpp"

using namespace standin::server;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view input{reinterpret_cast<const char*>(data), size};
    const auto split = input.find('\n');
    const auto document = nlohmann::json::parse(input.substr(0, split), nullptr, false);
    if (document.is_discarded()) return 0;

    authorizer authz;
    register_nucleus_services(authz);
    std::vector<std::string> diagnostics;
    authz.load_component("fuzz.Component", document, diagnostics);
    authz.load_component("fuzz.Other", document, diagnostics);

    std::string_view resources =
        split == std::string_view::npos ? std::string_view{} : input.substr(split + 1);
    do {
        const auto end = resources.find('\n');
        const std::string resource{resources.substr(0, end)};
        resources = end == std::string_view::npos ? std::string_view{} : resources.substr(end + 1);
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
    } while (!resources.empty());
    return 0;
}
