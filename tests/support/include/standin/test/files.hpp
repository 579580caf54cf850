// SPDX-License-Identifier: Apache-2.0
// Reading the fixture and capture files tests compare against.
#pragma once

#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>

namespace standin::test {

// The whole file, byte for byte; empty when it cannot be read (the comparison then fails).
inline std::string read_file(const std::filesystem::path& path) {
    std::ifstream in{path, std::ios::binary};
    return {std::istreambuf_iterator<char>{in}, std::istreambuf_iterator<char>{}};
}

}  // namespace standin::test
