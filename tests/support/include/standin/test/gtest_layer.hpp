// SPDX-License-Identifier: Apache-2.0
// The GoogleTest layer over the harness (standin_test_support). Linking it routes every failure the
// harness reports (standin/test/failure.hpp: a daemon that did not end cleanly, a framing error, a
// barrier that never completed) to ADD_FAILURE of the running test, and adds assertions on raw
// connections. The harness itself (standin_test_harness) does not depend on GoogleTest.
#pragma once

#include <gtest/gtest.h>

#include "standin/test/raw_client.hpp"

namespace standin::test {

// Success when a ping barrier on `client` completes with nothing arriving before its
// PING_RESPONSE; the failure message lists what did arrive.
::testing::AssertionResult nothing_more_arrives(raw_client& client,
                                                milliseconds timeout = default_timeout);

}  // namespace standin::test
