// SPDX-License-Identifier: Apache-2.0
// aws.greengrass#GetSecretValue (semantics.md §7), in the secret manager's order: the secretId is
// resolved to its ARN before authorization (so the policy resource is the ARN, and an unknown name
// is ResourceNotFoundError whatever the policies say); then both versionId and versionStage set is
// a ServiceError; then the version is looked up. Error messages name the secretId as requested.
// `refresh` has no cloud to refresh from and is ignored.
#include "services/secrets/secrets_service.hpp"

namespace standin::server::secrets_service {

namespace {

constexpr std::string_view resource_type = "secret";

bool present(const std::optional<std::string>& text) {
    return text && !text->empty();
}

struct get_secret_value_op {
    using row = model::operation<"GetSecretValue">;
    using state = secret_store;

    static resource_result resources(secret_store& secrets, const call_context&, const row::request& r) {
        if (!present(r.secretId)) return model::ipc_error::service("SecretId absent in the request");
        auto arn = secrets.resolve(*r.secretId);
        if (!arn) {
            return model::ipc_error::resource_not_found("Secret not configured " + *r.secretId,
                                                        std::string{resource_type});
        }
        return resource_list{std::move(*arn)};
    }

    static std::optional<model::ipc_error> validate(const row::request& r) {
        if (present(r.versionId) && present(r.versionStage)) {
            return model::ipc_error::service("Both versionId and Stage are set in the request");
        }
        return std::nullopt;
    }

    static answer<row::response> handle(secret_store& secrets, const call_context&, row::request& r) {
        const std::string& id = *r.secretId;
        const std::string arn = secrets.resolve(id).value_or(id);
        const auto found = secrets.find(arn, r.versionId, r.versionStage);
        if (const auto* error = std::get_if<secret_store::lookup_error>(&found)) {
            std::string message;
            switch (*error) {
                case secret_store::lookup_error::version_id_not_found:
                    message = "Version Id " + *r.versionId + " not found for secret " + id;
                    break;
                case secret_store::lookup_error::version_stage_not_found:
                    message = "Version stage " + *r.versionStage + " not found for secret " + id;
                    break;
                case secret_store::lookup_error::secret_not_found:
                    message = "Secret not found " + id;
                    break;
            }
            return model::ipc_error::resource_not_found(std::move(message), std::string{resource_type});
        }
        const stored_secret_version& version = *std::get<const stored_secret_version*>(found);
        model::secret_value value;
        if (version.secret_binary) {
            value.secretBinary = model::blob{*version.secret_binary};
        } else {
            value.secretString = version.secret_string;
        }
        return row::response{.secretId = arn,
                             .versionId = version.version_id,
                             .versionStage = version.stages,
                             .secretValue = std::move(value)};
    }
};

}  // namespace

operation_entry get_secret_value(secret_store& secrets) {
    return make_operation<get_secret_value_op>(secrets);
}

}  // namespace standin::server::secrets_service
