// SPDX-License-Identifier: Apache-2.0
// The client-device certificates under fixtures/clientdevices (its README says how they were made).
#pragma once

#include <filesystem>
#include <string>

#include "standin/test/files.hpp"

namespace standin::server::clientdevices {

inline std::string read_fixture(const std::string& name) {
    return test::read_file(std::filesystem::path{STANDIN_CLIENTDEVICE_FIXTURES_DIR} / name);
}

}  // namespace standin::server::clientdevices
