// SPDX-License-Identifier: Apache-2.0
// aws.greengrass.SecretManager: GetSecretValue from the fixture's secrets (semantics.md §7). Its
// operation sees the secret store and nothing else.
#pragma once

#include "rpc/operation.hpp"
#include "rpc/operation_registry.hpp"
#include "secrets/secret_store.hpp"

namespace standin::server {

namespace secrets_service {
operation_entry get_secret_value(secret_store& secrets);
}  // namespace secrets_service

void register_secrets_service(operation_registry& registry, secret_store& secrets);

}  // namespace standin::server
