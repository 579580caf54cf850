// SPDX-License-Identifier: Apache-2.0
// The pieces a dispatcher runs on, assembled for unit tests: the nucleus's services registered with
// the authorizer, policies given as accessControl JSON, a registry, and frames decoded back.
#pragma once

#include <gtest/gtest.h>

#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "authz/authorizer.hpp"
#include "fake_sink.hpp"
#include "rpc/dispatcher.hpp"
#include "standin/protocol/frame_decoder.hpp"
#include "standin/protocol/rpc.hpp"

namespace standin::server::testing {

struct decoded_frame {
    protocol::message message;
    protocol::rpc::metadata meta;

    std::string header(std::string_view name) const {
        const auto* h = message.find(name);
        return h ? std::get<std::string>(h->value) : std::string{"<absent>"};
    }
    nlohmann::json body() const { return nlohmann::json::parse(message.payload); }
    std::string error_shape() const { return header("service-model-type"); }
    std::string error_message() const { return body().value("message", std::string{"<none>"}); }
};

inline decoded_frame decode_frame(const protocol::encoded_frame& frame) {
    const auto bytes = frame.to_string();
    decoded_frame out;
    const auto ec = protocol::decode_frame(
        {reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size()}, {}, out.message);
    EXPECT_FALSE(ec) << ec.message();
    out.meta = protocol::rpc::extract_metadata(out.message).value();
    return out;
}

inline decoded_frame decode_frame(const dispatch_result& result) {
    if (!result.frame) {
        ADD_FAILURE() << "the dispatcher answered nothing yet";
        return {};
    }
    return decode_frame(*result.frame);
}

class dispatch_fixture {
public:
    dispatch_fixture() { register_nucleus_services(authz); }

    // Gives `component` the policies of `access_control` (an accessControl value).
    void allow(const std::string& component, const nlohmann::json& access_control) {
        std::vector<std::string> diagnostics;
        authz.load_component(component, access_control, diagnostics);
    }
    // One policy: `operations` on `resources` of `service_id`.
    void allow(const std::string& component, std::string_view service_id,
               const std::vector<std::string>& policy_operations,
               const std::vector<std::string>& resources) {
        allow(component,
              nlohmann::json{{std::string{service_id},
                              {{component + ":policy",
                                {{"operations", policy_operations}, {"resources", resources}}}}}});
    }

    dispatch_result call(std::string_view caller, std::string_view operation, std::string_view payload,
                         std::int32_t stream_id = 1) {
        return dispatch.dispatch(context(caller, stream_id), operation, payload);
    }

    call_context context(std::string_view caller, std::int32_t stream_id = 1) {
        return {caller, stream_id, 1, sink.get(), sink};
    }

    authorizer authz;
    operation_registry operations;
    policy_access_checker access{authz};
    dispatcher dispatch{operations, access, protocol::default_max_frame_size};
    std::shared_ptr<fake_sink> sink = std::make_shared<fake_sink>();
};

}  // namespace standin::server::testing
