// SPDX-License-Identifier: Apache-2.0
// Unit tests exercise denials and bad requests on purpose; their info-level log lines would bury
// gtest's output. STANDIN_TEST_LOG_LEVEL=debug (or any level name) brings them back.
#include <cstdlib>

#include <gtest/gtest.h>

#include "util/log.hpp"

namespace {

class quiet_logs final : public ::testing::Environment {
public:
    void SetUp() override {
        const char* level = std::getenv("STANDIN_TEST_LOG_LEVEL");
        standin::server::set_log_level(level != nullptr ? level : "warn");
    }
};

[[maybe_unused]] const auto* const registered = ::testing::AddGlobalTestEnvironment(new quiet_logs);

}  // namespace
