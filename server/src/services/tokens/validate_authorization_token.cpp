// SPDX-License-Identifier: Apache-2.0
// aws.greengrass#ValidateAuthorizationToken ([N] AuthorizationIPCAgent,
// AuthenticationHandler#doAuthentication): after the caller rule, a missing token is
// InvalidTokenError "Invalid authentication token", an unknown one (the empty string included)
// "Authentication token not found"; a known one is {isValid: true}. The answer is never false.
#include "services/tokens/tokens_service.hpp"
#include "util/log.hpp"

namespace standin::server::tokens_service {

namespace {

struct validate_authorization_token_op {
    using row = model::operation<"ValidateAuthorizationToken">;
    using state = authentication_tokens;

    static answer<row::response> handle(authentication_tokens& tokens, const call_context& call,
                                        row::request& r) {
        if (!r.token) {
            return model::ipc_error::make(model::error_kind::invalid_token_error,
                                          "Invalid authentication token");
        }
        const auto component = tokens.component_of ? tokens.component_of(*r.token) : std::nullopt;
        if (!component) {
            logger("tokens")->debug("{}: invalid token in ValidateAuthorizationToken", call.caller);
            return model::ipc_error::make(model::error_kind::invalid_token_error,
                                          "Authentication token not found");
        }
        logger("tokens")->debug("{}: token of {} validated", call.caller, *component);
        return row::response{.isValid = true};
    }
};

}  // namespace

operation_entry validate_authorization_token(authentication_tokens& tokens) {
    return make_operation<validate_authorization_token_op>(tokens);
}

}  // namespace standin::server::tokens_service
