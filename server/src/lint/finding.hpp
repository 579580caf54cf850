// SPDX-License-Identifier: Apache-2.0
// One problem `standin lint` found in a recipe: where, what, and how to fix it.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include <nlohmann/json_fwd.hpp>

namespace standin::server::lint {

enum class severity : std::uint8_t {
    error,    // the nucleus (or the target) drops it, rejects it, or it can never work
    warning,  // works, but not as it reads
    note,     // worth knowing, nothing to fix
};

const char* to_string(severity level) noexcept;

struct finding {
    severity level = severity::error;
    std::filesystem::path file;
    int line = 0;         // 1-based; 0 when unknown
    int column = 0;       // 1-based; 0 when unknown
    std::string check;    // stable id for tools, e.g. "service-id"
    std::string problem;  // what is wrong, one sentence
    std::string fix;      // what to write instead; empty when there is nothing to suggest
};

// "file:line:column: error: problem [check]" and, when there is one, "  fix: ..." on a second line.
std::string format_text(const finding& f);

// {"file", "line", "column", "severity", "check", "problem", "fix"}.
nlohmann::json to_json(const finding& f);

// Findings ordered by file, line, column (stable otherwise).
void sort_findings(std::vector<finding>& findings);

}  // namespace standin::server::lint
