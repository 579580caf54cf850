// SPDX-License-Identifier: Apache-2.0
#include "standin/test/failure.hpp"

#include <atomic>
#include <iostream>

namespace standin::test {

namespace {

std::atomic<std::size_t> default_failures{0};

void default_fail(const char* file, int line, const std::string& message) {
    ++default_failures;
    std::cerr << file << ':' << line << ": failure: " << message << '\n';
}

bool default_has_failed() {
    return default_failures.load() > 0;
}

failure_hooks& hooks() {
    static failure_hooks installed{default_fail, default_has_failed};
    return installed;
}

}  // namespace

void install_failure_hooks(failure_hooks h) noexcept {
    hooks() =
        failure_hooks{h.fail ? h.fail : default_fail, h.has_failed ? h.has_failed : default_has_failed};
}

void report_failure(const char* file, int line, const std::string& message) {
    hooks().fail(file, line, message);
}

bool current_test_failed() {
    return hooks().has_failed();
}

std::size_t default_hook_failures() noexcept {
    return default_failures.load();
}

}  // namespace standin::test
