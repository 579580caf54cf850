// SPDX-License-Identifier: Apache-2.0
// `--audit FILE`: every authorization decision as one JSON line (time, component, service id,
// operation, resource, decision, the policy that allowed it or the denial message), written
// through to the file so that a test or a person tailing it sees each decision as it is made.
#pragma once

#include <cstdio>
#include <filesystem>
#include <memory>

#include "rpc/access_check.hpp"

namespace standin::server {

// An access_checker that asks `inner` and records each answer. Not thread-safe (I/O thread only).
class audited_access_checker final : public access_checker {
public:
    // Opens `file` for appending; throws std::runtime_error naming it when that fails.
    audited_access_checker(const access_checker& inner, const std::filesystem::path& file);
    access_decision check(const access_request& request, bool explain) const override;

private:
    struct closer {
        void operator()(std::FILE* f) const noexcept { std::fclose(f); }
    };
    const access_checker& inner_;
    std::unique_ptr<std::FILE, closer> file_;
};

}  // namespace standin::server
