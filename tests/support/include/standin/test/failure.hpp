// SPDX-License-Identifier: Apache-2.0
// How the harness reports a problem it cannot return to its caller: a check made in a destructor
// (the daemon's exit at teardown), or a framing error noticed while reading. The harness itself
// does not depend on a test framework; a layer installs hooks (standin_test_support installs
// GoogleTest's). Without hooks a failure is written to stderr and counted.
#pragma once

#include <cstddef>
#include <string>

namespace standin::test {

struct failure_hooks {
    // Records a failure of the current test; `file`/`line` name the harness code that noticed it.
    void (*fail)(const char* file, int line, const std::string& message) = nullptr;
    // Whether the current test has failed so far (decides whether diagnostics are printed).
    bool (*has_failed)() = nullptr;
};

// Replaces the hooks (null members fall back to the defaults). Not thread-safe against concurrent
// report_failure(); call it before tests start.
void install_failure_hooks(failure_hooks hooks) noexcept;

// Reports through the installed hook, or writes to stderr and counts. Thread-safe when the hook is.
void report_failure(const char* file, int line, const std::string& message);

// True when a failure was reported (default hooks) or the test framework says the test failed.
bool current_test_failed();

// Failures reported through the default hook so far.
std::size_t default_hook_failures() noexcept;

}  // namespace standin::test

// Reports a failure at the call site.
#define STANDIN_TEST_FAIL(message) ::standin::test::report_failure(__FILE__, __LINE__, (message))
