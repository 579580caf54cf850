// SPDX-License-Identifier: Apache-2.0
// The dispatcher's view of authorization: one question per checked resource, one answer. The
// policy engine (authz/) implements it; the RPC layer knows nothing of policies.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace standin::server {

struct access_request {
    std::string_view service_id;               // accessControl key, e.g. "aws.greengrass.ipc.pubsub"
    std::string_view principal;                // the calling component
    std::string_view operation;                // "aws.greengrass#PublishToTopic"
    std::optional<std::string_view> resource;  // nullopt: the request carries none
};

struct access_decision {
    bool allowed = false;
    std::string message;      // the nucleus's UnauthorizedError message when denied
    std::string explanation;  // which policy decided and why: always for a denial, else when asked
    std::string policy;       // "<component>/<policy id>" of the allowing policy, when explained
};

class access_checker {
public:
    virtual ~access_checker() = default;
    // `explain`: explain an allowed decision too and name its policy (costs string builds per call;
    // denials, which are rare, are always explained).
    virtual access_decision check(const access_request& request, bool explain) const = 0;
};

}  // namespace standin::server
