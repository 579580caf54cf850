// SPDX-License-Identifier: Apache-2.0
// The fixture file: the fake cloud and device state the daemon starts with (contract.md, "Fixture
// file"). YAML or JSON; every key is optional; a key outside the documented schema is an error.
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "util/source_error.hpp"

namespace standin::server {

// A fixture that cannot be used. file/line/column (1-based, 0 = unknown) point at the offending node.
struct fixture_error : source_error {
    using source_error::source_error;
};

struct secret_version {
    std::string version_id;
    std::vector<std::string> stages;  // e.g. AWSCURRENT; a stage is on at most one version
    // Exactly one of the two is set.
    std::optional<std::string> secret_string;
    std::optional<std::string> secret_binary;  // bytes, decoded from base64
};

struct secret {
    std::string arn;   // required; arn:<partition>:secretsmanager:<region>:<12 digits>:secret:<id>
    std::string name;  // empty when the fixture gives none
    std::vector<secret_version> versions;
};

struct fixture_shadow {
    std::string thing_name;                           // defaults to fixture::thing_name
    std::string shadow_name;                          // "" is the classic shadow
    nlohmann::json state = nlohmann::json::object();  // {desired?, reported?}, each an object
};

struct client_device {
    std::string thing_name;
    std::string certificate_pem;
};

struct fixture {
    std::string thing_name = "standin-thing";
    std::string region = "us-east-1";
    std::vector<secret> secrets;
    std::vector<fixture_shadow> shadows;
    // Component name -> configuration object merged over that recipe's DefaultConfiguration.
    std::map<std::string, nlohmann::json> components;
    std::vector<client_device> client_devices;
};

// Parses a fixture document; an empty document gives all defaults. Throws fixture_error.
fixture parse_fixture(std::string_view text, const std::filesystem::path& file_for_messages);

// Reads and parses one file. Throws fixture_error, also when the file cannot be read.
fixture load_fixture_file(const std::filesystem::path& file);

}  // namespace standin::server
