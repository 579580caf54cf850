// SPDX-License-Identifier: Apache-2.0
#include "standin/test/gtest_layer.hpp"

#include "standin/test/failure.hpp"
#include "standin/test/frames.hpp"

namespace standin::test {

namespace {

void gtest_fail(const char* file, int line, const std::string& message) {
    ADD_FAILURE_AT(file, line) << message;
}

bool gtest_has_failed() {
    return ::testing::Test::HasFailure();
}

// standin_test_support is an OBJECT library, so this object is linked into every test program that
// uses it and the hooks are in place before main() runs.
const bool hooks_installed = [] {
    install_failure_hooks({gtest_fail, gtest_has_failed});
    return true;
}();

}  // namespace

::testing::AssertionResult nothing_more_arrives(raw_client& client, milliseconds timeout) {
    const auto before = client.ping_barrier(timeout);
    if (!before) return ::testing::AssertionFailure() << "the ping barrier did not complete";
    if (!before->empty()) {
        return ::testing::AssertionFailure()
               << "arrived before the barrier's PING_RESPONSE: " << frames::describe(*before);
    }
    return ::testing::AssertionSuccess();
}

}  // namespace standin::test
