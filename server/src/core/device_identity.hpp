// SPDX-License-Identifier: Apache-2.0
// The device the daemon stands in for: what the fixture or the command line names it.
#pragma once

#include <string>

namespace standin::server {

struct device_identity {
    std::string thing_name = "standin-thing";
    std::string region = "us-east-1";
};

}  // namespace standin::server
